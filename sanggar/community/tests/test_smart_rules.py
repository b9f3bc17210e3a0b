"""Smart rules of groups (PRD v7.3 part 10): a new group post → the group's followers in the app, once per post (off:
nobody; unfollowed: not told); more than N comments on a post → admins "Konten populer", once per post. The group
page's "Ikuti notifikasi" / "Berhenti mengikuti" button and the generic API, with access checks."""

import pytest
from django.urls import reverse

from sanggar.api.testing import call
from sanggar.community import fanout, services
from sanggar.community.constants import Notify
from sanggar.community.models import GroupMember
from sanggar.notifications.models import Notification, Subscription
from sanggar.notifications.smart_rules import smart_rules_save

from .world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.COMMUNITY_POST_RATE_LIMIT = settings.COMMUNITY_POST_IP_RATE_LIMIT = "1000/3600"
    settings.COMMUNITY_COMMENT_RATE_LIMIT = settings.COMMUNITY_COMMENT_IP_RATE_LIMIT = "1000/3600"
    w = World(make_user, admin_user)
    services.group_join(user=w.free, group=w.public)
    services.group_join(user=w.mentor, group=w.public)
    return w


def _set(world, key, *, enabled=True, value=None):
    smart_rules_save(actor=world.admin, values={key: {"enabled": enabled, "value": value}})


def _post(world, django_capture_on_commit_callbacks, body="Ada yang sudah kirim sampel?"):
    with django_capture_on_commit_callbacks(execute=True):
        return services.post_create(user=world.premium, group=world.public, body=body)


def test_new_post_tells_followers_once(world, django_capture_on_commit_callbacks):
    services.group_notify_toggle(user=world.mentor, group=world.public, on=False)  # the mentor unfollowed
    post = _post(world, django_capture_on_commit_callbacks)
    told = Notification.objects.filter(data__template=Notify.NEW_POST)
    assert set(told.values_list("user_id", flat=True)) == {world.free.pk, world.admin.pk}  # not the author
    assert told.first().source == services.group_source(world.public)
    assert not told.first().deliveries.exists()  # in the app only
    assert fanout.new_post_fanout(post_id=post.pk) == 0  # once per post
    assert told.count() == 2


def test_new_post_rule_off_tells_nobody_and_announcements_still_go(world, django_capture_on_commit_callbacks):
    _set(world, "community.new_post", enabled=False)
    post = _post(world, django_capture_on_commit_callbacks)
    assert fanout.new_post_fanout(post_id=post.pk) == 0
    assert not Notification.objects.filter(data__template=Notify.NEW_POST).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(user=world.admin, group=world.public, body="Pengumuman", is_announcement=True)
    assert Notification.objects.filter(data__template=Notify.ANNOUNCEMENT, user=world.free).exists()


def test_popular_content_alerts_admins_once(world, django_capture_on_commit_callbacks):
    _set(world, "community.popular", value=3)
    post = _post(world, django_capture_on_commit_callbacks)
    for i in range(3):
        services.comment_create(user=world.free, post=post, body=f"Komentar {i}")
    popular = Notification.objects.filter(data__template=Notify.VIRAL_POST)
    assert not popular.exists()
    services.comment_create(user=world.free, post=post, body="Keempat")  # 4 > 3
    assert list(popular.values_list("user_id", flat=True)) == [world.admin.pk]
    assert "lebih dari 3 komentar" in popular.get().message
    services.comment_create(user=world.free, post=post, body="Kelima")
    assert popular.count() == 1
    _set(world, "community.popular", enabled=False, value=3)
    other = _post(world, django_capture_on_commit_callbacks, body="Lain")
    for i in range(5):
        services.comment_create(user=world.free, post=other, body=f"K {i}")
    assert popular.count() == 1


def test_group_page_button_and_api(world, client):
    url = reverse("community:group", args=[world.public.slug])
    source = services.group_source(world.public)
    client.force_login(world.free)
    page = client.get(url).content.decode()
    assert f'data-follow-source="{source}" data-following="1"' in page and "Berhenti mengikuti" in page
    response = client.post(
        reverse("notifications:subscription_toggle"), {"source": source, "subscribed": "0", "next": url}
    )
    assert response.status_code == 302 and response["Location"] == url
    assert GroupMember.objects.get(group=world.public, user=world.free).notify_posts is False  # kept in step
    assert Subscription.objects.get(user=world.free, source=source).subscribed is False
    assert "Ikuti notifikasi" in client.get(url).content.decode()
    on = call(client, "put", "/notifications/subscription", {"source": source, "subscribed": True}, user=world.free)
    assert on.status_code == 200 and on.json() == {"source": source, "subscribed": True}
    assert GroupMember.objects.get(group=world.public, user=world.free).notify_posts is True


def test_outsiders_cannot_follow_a_group(world, client):
    source = services.group_source(world.private)
    assert (
        call(client, "get", "/notifications/subscription", {"source": source}, user=world.outsider).status_code == 403
    )
    denied = call(
        client, "put", "/notifications/subscription", {"source": source, "subscribed": True}, user=world.outsider
    )
    assert denied.status_code == 403
    client.force_login(world.outsider)
    client.post(reverse("notifications:subscription_toggle"), {"source": source, "subscribed": "1"})
    assert not Subscription.objects.filter(user=world.outsider).exists()
