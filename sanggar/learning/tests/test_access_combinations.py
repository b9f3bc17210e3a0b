"""The course access policy as a matrix: course status (draft / pending / published / private / archived) × "tampilkan
di publik" × who asks (anonymous, member without access, member whose plan includes the course, expired member,
buyer, the course's mentor, another mentor, admin) × surface (the service's decision, the lesson page, the API, the
private video stream, the attachment download), with the spec's exact messages. A locked lesson's content, video
bytes and file never reach the client. Affiliate-only courses and "Akses melalui Membership Anda." below."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sanggar.access.constants import GrantSource
from sanggar.access.services import grants_give
from sanggar.api.testing import call
from sanggar.catalog.models import PlanPrice
from sanggar.core.roles import Role
from sanggar.learning import services
from sanggar.learning import video as videos
from sanggar.learning.models import Course
from sanggar.memberships.services import membership_activate
from sanggar.memberships.services.sweeps import memberships_expire_sweep
from sanggar.orders.tests.shop import Shop

pytestmark = pytest.mark.django_db

PREMIUM = "Kelas ini hanya untuk Member Premium. Silakan upgrade membership."
NO_PERMISSION = "Anda tidak memiliki izin untuk mengakses kelas ini."
VIA_MEMBERSHIP = "Akses melalui Membership Anda."
SECRET = "ISI-RAHASIA-PELAJARAN"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 8
PDF = b"%PDF-1.4 lampiran rahasia"
STATUSES = ("draft", "pending", "published", "private", "archived")
ROLES = ("anonymous", "free", "member", "expired", "buyer", "owner", "other_mentor", "admin")
MESSAGES = {
    "draft": "Kelas ini belum diterbitkan.",
    "archived": "Kelas ini sudah diarsipkan.",
    "premium": PREMIUM,
    "expired": "Membership Anda berakhir pada",
    "login": "Masuk terlebih dahulu",
}


def expected(status: str, role: str) -> str | None:
    """None: allowed; else the key of the message the person must see."""
    if role in ("owner", "admin"):
        return None
    if role == "anonymous":
        return "login"
    if status in ("draft", "pending"):
        return "draft"
    if status == "archived":
        return "archived"
    if role in ("member", "buyer"):
        return None
    if role == "expired":
        return "expired"
    return "premium"  # a member without access, another mentor


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    shop = Shop(admin_user)
    owner = make_user(Role.MENTOR, full_name="Mentor Pemilik", email="owner@example.com")
    course = services.course_create(
        actor=admin_user, data={"title": "Kelas Matriks", "role_access": "member", "mentor": owner.pk}
    )
    module = services.module_save(actor=admin_user, course=course, title="Modul 1")
    lesson = services.lesson_save(
        actor=admin_user, module=module, data={"title": "Pelajaran Terkunci", "content": f"<p>{SECRET}</p>"}
    )
    videos.lesson_video_set(actor=admin_user, lesson=lesson, upload=SimpleUploadedFile("v.mp4", MP4))
    attachment = services.attachment_add(
        actor=admin_user, lesson=lesson, title="Lampiran", upload=SimpleUploadedFile("l.pdf", PDF)
    )
    plan = shop.plan("Gold", rank=2, resources=[course.resource], slug="gold")
    price = PlanPrice.objects.get(plan=plan)
    now = timezone.now()
    users = {
        "free": make_user(full_name="Gratis", email="free@example.com"),
        "member": make_user(full_name="Member Gold", email="gold@example.com"),
        "expired": make_user(full_name="Mantan Member", email="expired@example.com"),
        "buyer": make_user(full_name="Pembeli", email="buyer@example.com"),
        "owner": owner,
        "other_mentor": make_user(Role.MENTOR, full_name="Mentor Lain", email="other@example.com"),
        "admin": admin_user,
    }
    membership_activate(user=users["member"], plan_price=price, amount_paid=1, now=now)
    membership_activate(user=users["expired"], plan_price=price, amount_paid=1, now=now - timedelta(days=500))
    memberships_expire_sweep(now=now)
    grants_give(
        user=users["buyer"],
        resources=[course.resource],
        source=GrantSource.PURCHASE,
        source_ref="order:matrix",
        starts_at=now,
    )
    return {"course": course, "lesson": lesson, "attachment": attachment, "users": users, "plan": plan}


def _set(course, status, is_public):
    Course.objects.filter(pk=course.pk).update(status=status, is_public=is_public)
    course.refresh_from_db()


def _check(world, status, is_public, role) -> list[str]:
    course, lesson, attachment = world["course"], world["lesson"], world["attachment"]
    user = world["users"].get(role)
    want = expected(status, role)
    where = f"{status}/{'publik' if is_public else 'internal'}/{role}"
    problems = []
    client = Client()
    if user is not None:
        client.force_login(user)
        decision = services.course_decision(user=user, course=course)
        if decision.allowed != (want is None):
            problems.append(f"{where} service: allowed={decision.allowed}")
        elif want and not str(decision.message).startswith(MESSAGES[want]):
            problems.append(f"{where} service: {decision.message!r}")
    # the lesson page
    page = client.get(reverse("learning:lesson", args=[course.slug, lesson.pk]))
    html = page.content.decode()
    if want is None:
        if page.status_code != 200 or SECRET not in html:
            problems.append(f"{where} page: {page.status_code}")
    else:
        if page.status_code != 403 or SECRET in html:
            problems.append(f"{where} page: {page.status_code}")
        elif want != "login" and MESSAGES[want] not in html:
            problems.append(f"{where} page: message missing")
    # the API
    api = call(client, "get", f"/courses/{course.slug}/lessons/{lesson.pk}", user=user)
    visible = status == "published" and (is_public or user is not None)
    if want is None:
        if api.status_code != 200 or SECRET not in api.json()["content"]:
            problems.append(f"{where} api: {api.status_code}")
    elif not visible or (status == "private"):
        if api.status_code != 404 or SECRET in api.content.decode():
            problems.append(f"{where} api: {api.status_code} (expected 404)")
    elif api.status_code != 403 or not api.json()["message"].startswith(MESSAGES[want]):
        problems.append(f"{where} api: {api.status_code} {api.content[:120]!r}")
    # the private video stream (the API's link carries the account; a visitor's carries none)
    link = videos.video_link(user=user or AnonymousUser(), lesson=lesson, session_bound=False)
    stream = Client().get(link)
    body = b"".join(stream.streaming_content) if stream.streaming else stream.content
    if want is None:
        if stream.status_code != 200 or body != MP4:
            problems.append(f"{where} video: {stream.status_code}")
    elif stream.status_code != 403 or MP4[:40] in body:
        problems.append(f"{where} video: {stream.status_code}")
    elif want != "login" and MESSAGES[want] not in body.decode():
        problems.append(f"{where} video: {body[:100]!r}")
    # the attachment
    download = client.get(reverse("learning:attachment", args=[attachment.pk]))
    content = b"".join(download.streaming_content) if download.streaming else download.content
    if want is None:
        if download.status_code != 200 or content != PDF:
            problems.append(f"{where} lampiran: {download.status_code}")
    elif PDF in content or download.status_code not in ((302,) if role == "anonymous" else (403,)):
        problems.append(f"{where} lampiran: {download.status_code}")
    elif role != "anonymous" and MESSAGES[want] not in content.decode():
        problems.append(f"{where} lampiran: message missing")
    return problems


@pytest.mark.parametrize("status", STATUSES)
def test_matrix(world, status):
    problems = []
    for is_public in (True, False):
        _set(world["course"], status, is_public)
        for role in ROLES:
            problems += _check(world, status, is_public, role)
    assert problems == []


def test_detail_page_by_visibility_and_via_membership(world, client):
    course = world["course"]
    url = reverse("learning:course_detail", args=[course.slug])
    _set(course, "published", True)
    assert client.get(url).status_code == 200  # visitors see a public course's page
    _set(course, "published", False)
    assert client.get(url).status_code == 404  # internal only
    for status in ("draft", "pending", "archived", "private"):
        _set(course, status, True)
        assert client.get(url).status_code == 404, status
    _set(course, "published", True)
    client.force_login(world["users"]["member"])
    assert VIA_MEMBERSHIP in client.get(url).content.decode()
    detail = call(client, "get", f"/courses/{course.slug}", user=world["users"]["member"]).json()
    assert detail["via_membership"] is True and detail["access"]["allowed"] is True
    client.force_login(world["users"]["free"])
    page = client.get(url).content.decode()
    assert VIA_MEMBERSHIP not in page and PREMIUM in page
    api = call(client, "get", f"/courses/{course.slug}", user=world["users"]["free"]).json()
    assert api["access"] == {**api["access"], "allowed": False, "message": PREMIUM}
    assert api["via_membership"] is False


def test_affiliate_only_course(world, make_user, client):
    course = world["course"]
    _set(course, "published", True)
    Course.objects.filter(pk=course.pk).update(role_access="affiliate")
    course.refresh_from_db()
    affiliate = make_user(Role.AFFILIATE, full_name="Affiliate", email="aff@example.com")
    assert services.course_decision(user=affiliate, course=course).allowed
    for role in ("free", "other_mentor"):
        user = world["users"][role]
        decision = services.course_decision(user=user, course=course)
        assert (decision.allowed, str(decision.message)) == (False, NO_PERMISSION), role
        client.force_login(user)
        page = client.get(reverse("learning:course_detail", args=[course.slug]))
        assert page.status_code == 403 and NO_PERMISSION in page.content.decode()
        lesson = client.get(reverse("learning:lesson", args=[course.slug, world["lesson"].pk]))
        assert lesson.status_code == 403 and SECRET not in lesson.content.decode()
        api = call(client, "get", f"/courses/{course.slug}/lessons/{world['lesson'].pk}", user=user)
        assert api.status_code == 403 and api.json()["message"] == NO_PERMISSION
    # the public catalogue never lists it, even marked public
    assert course.slug not in Client().get(reverse("learning:catalogue")).content.decode()
