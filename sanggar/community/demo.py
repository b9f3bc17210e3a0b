"""Demo community (after the catalog's and the memberships' demo): the placeholder groups the demo plans include
become real groups, plus an open group for everyone; posts, a poll, comments and reactions from the demo accounts
about export business; badges; a keyword rule. Built through the services; running it twice changes nothing."""

import contextlib
import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from sanggar.accounts.models import User
from sanggar.chat import services as chat_services
from sanggar.chat import stickers as chat_stickers
from sanggar.core.exceptions import NotAllowed
from sanggar.learning import services as learning
from sanggar.learning.models import Course

from . import badges, gamification, proposals, scheduled, services, stories
from .constants import BadgeCriteria, BadgePeriod, KeywordAction
from .demo_challenges import seed_challenges
from .models import (
    Comment,
    Group,
    GroupFile,
    GroupInvitation,
    GroupProposal,
    KeywordRule,
    Level,
    MemberOfWeek,
    Post,
    ScheduledPost,
    Story,
)
from .required import required_groups_setup

GROUPS = [
    (
        "ukm-ekspor-indonesia",
        "UKM Ekspor Indonesia",
        "public",
        "Tempat berbagi pengalaman ekspor untuk semua member: produk, buyer, dokumen dan pengiriman.",
        "1. Saling menghormati.\n2. Dilarang spam atau jualan tanpa izin admin.\n3. Bagikan pengalaman, bukan hoaks.",
    ),
    (
        "komunitas-pemula",
        "Komunitas Pemula",
        "private",
        "Grup untuk member paket pemula: tanya jawab langkah pertama ekspor.",
        "Tanya apa saja, tidak ada pertanyaan bodoh.",
    ),
    (
        "komunitas-premium",
        "Komunitas Premium",
        "private",
        "Diskusi strategi pasar, buyer dan harga ekspor untuk member premium.",
        "Jaga kerahasiaan data buyer sesama member.",
    ),
    (
        "grup-vip-platinum",
        "Grup VIP Platinum",
        "hidden",
        "Ruang khusus member Platinum bersama mentor: review penawaran dan kontrak.",
        "Khusus member Platinum.",
    ),
]

POSTS = [
    (
        "ukm-ekspor-indonesia",
        "admin@sanggar.test",
        True,
        "Selamat datang di UKM Ekspor Indonesia! Perkenalkan diri Anda: produk apa dan ke negara mana?",
        None,
    ),
    (
        "ukm-ekspor-indonesia",
        "member@sanggar.test",
        False,
        "Baru kirim sampel kopi arabika Gayo ke buyer di Osaka. Ada yang punya pengalaman soal sertifikat fitosanitari "
        "untuk Jepang? Berapa lama prosesnya di Balai Karantina?",
        None,
    ),
    (
        "ukm-ekspor-indonesia",
        "mentor@sanggar.test",
        False,
        "Menurut teman-teman, Incoterm apa yang paling aman untuk pengiriman pertama ke buyer baru?",
        ["FOB", "CIF", "EXW"],
    ),
    (
        "komunitas-premium",
        "mentor@sanggar.test",
        False,
        "Tips negosiasi: jangan langsung memberi harga terendah. Siapkan tiga tingkat harga berdasarkan volume "
        "pesanan (MOQ), lalu beri ruang diskon untuk pembayaran di muka.",
        None,
    ),
]

COMMENTS = [
    (1, "mentor@sanggar.test", "Untuk Jepang biasanya 3-5 hari kerja setelah pemeriksaan. Siapkan juga COA dari lab."),
    (1, "affiliate@sanggar.test", "Saya pernah lewat Tanjung Perak, lancar asal dokumen lengkap. Semangat, Kak Maya!"),
]


STUDY_GROUP = ("grup-belajar-dasar-ekspor", "Grup Belajar Dasar Ekspor", "dasar-ekspor")


def _study_group(admin, mentor, log) -> None:
    """The private study group of the demo course "Dasar Ekspor": its learners (by plan or purchase) join it; the
    demo mentor moderates it."""
    slug, name, course_key = STUDY_GROUP
    course = Course.objects.select_related("resource").filter(resource__key=course_key).first()
    if course is None:
        return
    group = Group.objects.filter(slug=slug).first()
    if group is None:
        group = services.group_create(
            actor=admin,
            data={
                "name": name,
                "slug": slug,
                "visibility": "hidden",
                "description": "Tempat diskusi dan tanya jawab khusus peserta kursus Dasar Ekspor.",
                "rules": "Bertanya dengan sopan, bagikan pengalaman ekspor Anda, tidak berjualan di grup.",
            },
        )
        if mentor is not None:
            services.member_add(actor=admin, group=group, user=mentor, role="moderator")
    if not course.resource.bundled.filter(pk=group.resource_id).exists():
        learning.course_extras_set(actor=admin, course=course, bonus_products=None, study_group=group.resource_id)
        log(f"{course.title}: study group {name}")


PROPOSAL = {
    "name": "Eksportir Kopi Nusantara",
    "slug": "eksportir-kopi-nusantara",
    "description": "Grup terbuka untuk petani, roaster dan eksportir kopi: standar mutu, sertifikasi dan buyer.",
    "rules": "Bagikan pengalaman nyata, tanpa iklan. Sumber harga dan data wajib disebutkan.",
    "reason": "Banyak peserta kursus saya eksportir kopi; mereka butuh ruang diskusi terbuka lintas paket.",
}


def _proposal(mentor, log) -> None:
    """A mentor's proposed public group, waiting for an admin's review at /admin/grup/usulan."""
    if mentor is None or GroupProposal.objects.filter(slug=PROPOSAL["slug"]).exists():
        return
    if Group.objects.filter(slug=PROPOSAL["slug"]).exists():
        return
    proposals.proposal_create(actor=mentor, data=PROPOSAL)
    log(f"community: group proposal {PROPOSAL['name']} (waiting for review)")


@transaction.atomic
def _seed_sticker_comment(*, public, log) -> None:
    """A comment that is a sticker alone ("Terima kasih", built-in pack) under the public group's newest post by
    someone else; once."""
    pack = chat_stickers.builtin_ensure()
    if Comment.objects.filter(post__group=public, sticker__isnull=False).exists():
        return
    member = User.objects.filter(email="member@sanggar.test").first()
    post = Post.objects.filter(group=public, status="published").exclude(author=member).order_by("-id").first()
    sticker = pack.stickers.filter(static_path="chat/stickers/terima-kasih.svg").first()
    if member is None or post is None or sticker is None or not services.is_member(member, public):
        return
    services.comment_create(user=member, post=post, body="", sticker=sticker.pk)
    log("community: demo sticker comment created")


def _seed_posts(*, admin) -> int:
    """The demo posts of the groups, the first pinned, with comments and reactions (only on a fresh database). A
    demo user the community's rules do not let post or comment here (no Premium plan yet) is left out."""
    posts = []  # aligned with POSTS: None where the author was left out
    for slug, email, announce, body, poll in POSTS:
        author = User.objects.filter(email=email).first()
        group = Group.objects.get(slug=slug)
        post = None
        if author is not None and services.is_member(author, group):
            with contextlib.suppress(NotAllowed):
                post = services.post_create(user=author, group=group, body=body, poll=poll, is_announcement=announce)
        posts.append(post)
    if posts and posts[0] is not None:
        services.post_pin(actor=admin, post=posts[0], pinned=True)
    for index, email, body in COMMENTS:
        author = User.objects.filter(email=email).first()
        if author is not None and index < len(posts) and posts[index] is not None:
            with contextlib.suppress(NotAllowed):
                services.comment_create(user=author, post=posts[index], body=body)
    if len(posts) > 1 and posts[1] is not None:
        for email, kind in (
            ("mentor@sanggar.test", "love"),
            ("affiliate@sanggar.test", "like"),
            ("free@sanggar.test", "wow"),
        ):
            user = User.objects.filter(email=email).first()
            if user is not None:
                services.reaction_set(user=user, post=posts[1], type=kind)
    return sum(post is not None for post in posts)


@transaction.atomic
def seed(*, log):
    admin = User.objects.filter(email="admin@sanggar.test").first()
    if admin is None:
        return
    for slug, name, visibility, description, rules in GROUPS:
        if not Group.objects.filter(slug=slug).exists():
            services.group_create(
                actor=admin,
                data={"name": name, "slug": slug, "visibility": visibility, "description": description, "rules": rules},
            )
    mentor = User.objects.filter(email="mentor@sanggar.test").first()
    _study_group(admin, mentor, log)
    _proposal(mentor, log)
    public = Group.objects.get(slug="ukm-ekspor-indonesia")
    for email in ("member@sanggar.test", "mentor@sanggar.test", "affiliate@sanggar.test", "free@sanggar.test"):
        user = User.objects.filter(email=email).first()
        if user is not None:
            services.group_join(user=user, group=public)
            services.profile_update(user=user, data={"show_in_directory": True})
    if mentor is not None:
        row = services.member_row(mentor, public)
        if row.role != "moderator":
            services.member_set_role(actor=admin, member=row, role="moderator")
    _group_extras(admin=admin, public=public, mentor=mentor)
    created = 0
    if Post.objects.filter(group=public).exists():
        log("community: demo posts already present")
    else:
        created = _seed_posts(admin=admin)
    _seed_post_features(public=public, log=log)
    seed_challenges(admin=admin, log=log)
    _seed_sticker_comment(public=public, log=log)
    services.badge_ensure(
        slug="member-aktif",
        name="Member Aktif",
        description="Mengumpulkan 50 poin.",
        points_required=50,
        icon="star",
    )
    services.badge_ensure(
        slug="eksportir-perdana",
        name="Eksportir Perdana",
        description="Berhasil mengirim ekspor pertama (diberikan admin).",
        icon="rocket",
    )
    services.badge_ensure(
        slug="kontributor", name="Kontributor", description="Mengumpulkan 5 poin.", points_required=5, icon="award"
    )
    services.badge_ensure(
        slug="diskusi-aktif",
        name="Diskusi Aktif",
        description="Lebih dari 10 komentar di diskusi kelas.",
        icon="graduation-cap",
        criteria=BadgeCriteria.COURSE_COMMENTS,
        threshold=11,
    )
    weekly = services.badge_ensure(
        slug="aktif-diskusi-mingguan",
        name="Aktif Diskusi Mingguan",
        description="Minimal 5 komentar komunitas dalam satu minggu.",
        icon="messages-square",
        criteria=BadgeCriteria.COMMENTS,
        threshold=5,
        period=BadgePeriod.WEEKLY,
    )
    # levels named by the admin, and a member of the week for the feed's sidebar
    if not Level.objects.exists():
        for threshold, name in ((50, "Penjelajah"), (150, "Pedagang"), (400, "Eksportir"), (1000, "Juragan Ekspor")):
            gamification.level_save(actor=admin, threshold=threshold, name=name)
    star = User.objects.filter(email="member@sanggar.test").first()
    if star is not None:  # last week's weekly badge, as the Monday sweep would have awarded it
        last_monday = gamification.week_start() - timedelta(days=7)
        badges.award(weekly, [star.pk], badges.period_key(last_monday))
    if star is not None and not MemberOfWeek.objects.exists():
        gamification.member_of_week_pick(actor=admin, user=star)
    if not KeywordRule.objects.filter(phrase="investasi bodong").exists():
        services.keyword_rule_save(actor=admin, phrase="investasi bodong", action=KeywordAction.REJECT)
    # PR #3: the required groups, and every active member in them (the command `community_required_groups`).
    required_groups_setup(actor=admin)
    private = Group.objects.filter(slug="komunitas-premium").first()
    free = User.objects.filter(email="free@sanggar.test").first()
    if private is not None and free is not None and not GroupInvitation.objects.filter(invitee=free).exists():
        services.invitation_create(actor=admin, group=private, invitee=free)
    # The public group's chat, switched on, with a short conversation.
    if not public.chat_enabled:
        services.group_chat_set(actor=admin, group=public, enabled=True)
        conversation = services.group_chat_open(user=admin, group=public)
        chat_services.message_send(
            user=admin,
            conversation_id=conversation.pk,
            body="Selamat datang di obrolan grup UKM Ekspor Indonesia! Silakan perkenalkan diri dan produk Anda.",
            client_id="demo-group-chat-1",
        )
        member = User.objects.filter(email="member@sanggar.test").first()
        if member is not None and services.is_member(member, public):
            chat_services.message_send(
                user=member,
                conversation_id=conversation.pk,
                body="Halo semua, saya Dinda dari Jepara. Produk saya mebel jati, sedang cari buyer di Belanda.",
                client_id="demo-group-chat-2",
            )
    log(f"community: {len(GROUPS)} groups (+ required groups), {created} posts")


def demo_image(size, top, bottom) -> SimpleUploadedFile:
    """A gradient (the demo has no photos of its own): uploaded through the same service as a real one."""
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / max(1, height - 1)
        draw.line([(0, y), (width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("demo.png", buffer.getvalue(), content_type="image/png")


def _demo_pdf(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF with Helvetica text."""
    text = ["BT /F1 16 Tf 50 780 Td (" + title + ") Tj /F1 11 Tf"]
    for line in lines:
        text.append("0 -20 Td (" + line.replace("(", "[").replace(")", "]") + ") Tj")
    text.append("ET")
    stream = "\n".join(text).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _group_extras(*, admin, public, mentor) -> None:
    """Group covers and avatars, a group admin, a customised permissions matrix and the library's first files."""
    colours = {
        "ukm-ekspor-indonesia": ((14, 116, 144), (190, 242, 100), (234, 88, 12), (250, 204, 21)),
        "komunitas-premium": ((30, 27, 75), (124, 58, 237), (88, 28, 135), (236, 72, 153)),
    }
    for group in Group.objects.filter(slug__in=list(colours), cover=""):
        top, bottom, avatar_top, avatar_bottom = colours[group.slug]
        services.group_images_set(
            actor=admin,
            group=group,
            cover=demo_image((1500, 500), top, bottom),
            avatar=demo_image((400, 400), avatar_top, avatar_bottom),
        )
    public.refresh_from_db()
    affiliate = User.objects.filter(email="affiliate@sanggar.test").first()
    row = services.member_row(affiliate, public) if affiliate is not None else None
    if row is not None and row.role == "member":
        services.member_set_role(actor=admin, member=row, role="admin")
    if "event" not in (public.permissions or {}):
        # the public group lets its moderators create events too, and only staff may upload to the library
        services.group_permissions_update(
            actor=admin, group=public, permissions={"event": ["admin", "moderator"], "upload": ["admin", "moderator"]}
        )
    if mentor is not None and not GroupFile.objects.filter(group=public).exists():
        content = _demo_pdf(
            "Checklist Dokumen Ekspor",
            [
                "1. Invoice dan packing list",
                "2. Surat keterangan asal (SKA / COO)",
                "3. Sertifikat fitosanitari bila produk pertanian",
                "4. PEB dari sistem CEISA Bea Cukai",
                "5. Bill of lading / airway bill",
            ],
        )
        services.group_file_upload(
            user=mentor,
            group=Group.objects.get(pk=public.pk),
            upload=SimpleUploadedFile("checklist-dokumen-ekspor.pdf", content, content_type="application/pdf"),
            title="Checklist dokumen ekspor (PDF)",
        )


def _writer(email: str, group: Group):
    user = User.objects.filter(email=email).first()
    if user is None or not services.is_member(user, group) or not services.is_premium(user):
        return None
    return user


def _seed_post_features(*, public: Group, log) -> None:
    """A quote on a colour, a post tagged at a port, a scheduled post waiting in the mentor's "Terjadwal" list, and
    text stories from the mentor (whom the demo member follows). Each is added only when missing."""
    mentor = _writer("mentor@sanggar.test", public)
    if mentor is None:
        return
    writer = _writer("member@sanggar.test", public) or mentor
    if not Post.objects.filter(group=public).exclude(background="").exists():
        services.post_create(
            user=mentor,
            group=public,
            body="Jangan menunggu sempurna untuk mulai ekspor. Kirim sampel pertama, belajar dari jawaban buyer.",
            background="hijau",
            rate_limited=False,
        )
    if not Post.objects.filter(group=public).exclude(location_name="").exists():
        services.post_create(
            user=writer,
            group=public,
            body="Hari ini stuffing kontainer 20 feet kopi robusta Temanggung tujuan Hamburg. Dokumen PEB dan COO "
            "sudah beres, tinggal menunggu jadwal kapal. Terima kasih teman-teman grup atas tips fumigasinya!",
            location_name="Terminal Petikemas Semarang",
            location_city="Semarang",
            location_province="Jawa Tengah",
            rate_limited=False,
        )
    if not ScheduledPost.objects.filter(author=mentor, status=ScheduledPost.SCHEDULED).exists():
        when = timezone.localtime() + timezone.timedelta(days=3)
        scheduled.scheduled_post_create(
            user=mentor,
            group=public,
            scheduled_at=when.replace(hour=19, minute=0, second=0, microsecond=0),
            body="Pengingat: sesi tanya jawab dokumen ekspor (PEB, COO, fitosanitari) malam ini pukul 19.00 WIB di "
            "grup ini. Siapkan pertanyaan Anda di kolom komentar!",
        )
    member = User.objects.filter(email="member@sanggar.test").first()
    if member is not None and member.pk != mentor.pk:
        services.follow(user=member, target=mentor)
    if not Story.objects.filter(author=mentor, expires_at__gt=timezone.now()).exists():
        stories.story_create(
            user=mentor,
            text="Hari ini saya review 12 penawaran harga dari member. Besok saya bagikan pola kesalahan yang sering "
            "muncul!",
            background="biru",
        )
        stories.story_create(
            user=mentor,
            text="Tips: cantumkan HS Code 6 digit di setiap penawaran. Buyer Eropa menilai keseriusan dari situ.",
            background="jingga",
            group=public,
        )
    log("community: quote, location, scheduled post and stories present")
