"""What the community tells people (PRODUCT.md "Who is told"): a comment to the post's author, a reply to the
comment's author, a new follower, an announcement to every member of the group, the moderation outcome to the author
and the reporter, a report to the group's moderators and admins, a join request, and a badge earned. Texts are each
kind's template defaults (editable at /admin/settings/notification-templates)."""

from django.utils.translation import gettext_lazy as _

from sanggar.notifications.notifications import GROUP
from sanggar.notifications.registry import (
    MessageDefaults,
    NotificationKind,
    SourceKind,
    register_kind,
    source_kind_register,
)
from sanggar.notifications.smart_rules import RuleDef, Unit, register_rule

from .constants import SOURCE_KIND, MemberStatus, Notify, Rule
from .models import Group, GroupMember

GROUP_CODE = ("group", _("Nama grup"))
MEMBER_CODE = ("member", _("Nama member"))


def _kind(key, label, title, body, *, codes=(), sample=None, description="", channels=None):
    extra = {"channels": channels} if channels is not None else {}
    register_kind(
        NotificationKind(
            key=key,
            label=label,
            group=GROUP,
            description=description,
            **extra,
            shortcodes=tuple(codes),
            sample={
                "group": "UKM Ekspor",
                "member": "Dinda",
                "excerpt": "Ada yang sudah kirim sampel ke Jepang?",
                "author": "Riko",
                "badge": "Eksportir Aktif",
                "note": "",
                "outcome": "ditindak",
                **(sample or {}),
            },
            defaults=MessageDefaults.standard(title, body),
        )
    )


EXCERPT = ("excerpt", _("Cuplikan teks"))
_kind(
    Notify.NEW_COMMENT,
    _("Komentar di postingan Anda"),
    "Komentar baru dari {member}",
    "{member} mengomentari postinganmu di grup '{group}': {excerpt}",
    codes=(GROUP_CODE, MEMBER_CODE, EXCERPT),
)
_kind(
    Notify.REPLY,
    _("Balasan komentar"),
    "{member} membalas komentarmu",
    "{member} menanggapi komentarmu di grup '{group}': {excerpt}",
    codes=(GROUP_CODE, MEMBER_CODE, EXCERPT),
)
_kind(Notify.FOLLOWED, _("Pengikut baru"), "Pengikut baru", "{member} mulai mengikuti kamu.", codes=(MEMBER_CODE,))
_kind(
    Notify.ANNOUNCEMENT,
    _("Pengumuman grup"),
    "Pengumuman di grup {group}",
    "{author} membuat pengumuman di grup '{group}': {excerpt}",
    codes=(GROUP_CODE, ("author", _("Penulis")), EXCERPT),
)
_kind(
    Notify.POST_APPROVED,
    _("Postingan disetujui"),
    "Postinganmu sudah terbit",
    "Moderator menyetujui postinganmu di grup '{group}'.",
    codes=(GROUP_CODE,),
)
_kind(
    Notify.POST_REJECTED,
    _("Postingan ditolak"),
    "Postinganmu tidak diterbitkan",
    "Moderator grup '{group}' tidak menerbitkan postinganmu. {note}",
    codes=(GROUP_CODE, ("note", _("Catatan"))),
)
_kind(
    Notify.REPORT_FILED,
    _("Laporan konten baru"),
    "Laporan baru di {group}",
    "{member} melaporkan konten di {group}. Periksa antrean moderasi.",
    codes=(GROUP_CODE, MEMBER_CODE),
    description=_("Untuk admin dan moderator grup."),
)
_kind(
    Notify.REPORT_OUTCOME,
    _("Hasil laporan"),
    "Laporanmu sudah ditinjau",
    "Terima kasih. Laporan yang kamu kirim sudah {outcome} oleh moderator.",
    codes=(("outcome", _("Hasil")),),
)
_kind(
    Notify.JOIN_REQUEST,
    _("Permintaan bergabung"),
    "Permintaan bergabung ke {group}",
    "{member} ingin bergabung ke grup '{group}'.",
    codes=(GROUP_CODE, MEMBER_CODE),
)
_kind(
    Notify.JOIN_APPROVED,
    _("Permintaan bergabung disetujui"),
    "Selamat datang di {group}",
    "Permintaanmu bergabung ke grup '{group}' disetujui.",
    codes=(GROUP_CODE,),
)
_kind(
    Notify.BADGE,
    _("Lencana baru"),
    "Lencana baru: {badge}",
    "Selamat! Kamu mendapat lencana '{badge}' di komunitas.",
    codes=(("badge", _("Lencana")),),
)
_kind(
    Notify.INVITATION,
    _("Undangan grup"),
    "Undangan ke grup {group}",
    "{member} mengundangmu bergabung ke grup '{group}'. Terima atau tolak undangannya.",
    codes=(GROUP_CODE, MEMBER_CODE),
)
_kind(
    Notify.INVITATION_ACCEPTED,
    _("Undangan grup diterima"),
    "{member} bergabung ke {group}",
    "{member} menerima undanganmu dan sekarang anggota grup '{group}'.",
    codes=(GROUP_CODE, MEMBER_CODE),
)
_kind(
    Notify.MENTION,
    _("Disebut (@mention)"),
    "{member} menyebut kamu",
    "{member} menyebut kamu di grup '{group}': {excerpt}",
    codes=(GROUP_CODE, MEMBER_CODE, EXCERPT),
)
_kind(
    Notify.SCHEDULED_PUBLISHED,
    _("Postingan terjadwal terbit"),
    "Postingan terjadwal Anda terbit",
    "Postingan terjadwal Anda di grup '{group}' sudah terbit: {excerpt}",
    codes=(GROUP_CODE, EXCERPT),
)
_kind(
    Notify.SCHEDULED_FAILED,
    _("Postingan terjadwal gagal terbit"),
    "Postingan terjadwal gagal terbit",
    "Postingan terjadwal Anda di grup '{group}' tidak dapat diterbitkan: {note}",
    codes=(GROUP_CODE, ("note", _("Alasan"))),
)
_kind(
    Notify.PROPOSAL_FILED,
    _("Usulan grup publik baru"),
    "Usulan grup publik: {group}",
    "{member} mengusulkan grup publik '{group}'. Setujui atau tolak di halaman usulan grup.",
    codes=(GROUP_CODE, MEMBER_CODE),
)
_kind(
    Notify.PROPOSAL_APPROVED,
    _("Usulan grup disetujui"),
    "Grup {group} disetujui",
    "Usulan grup publik '{group}' disetujui. Anda pemilik grupnya. {note}",
    codes=(GROUP_CODE, ("note", _("Catatan admin"))),
)
_kind(
    Notify.PROPOSAL_REJECTED,
    _("Usulan grup ditolak"),
    "Usulan grup {group} ditolak",
    "Usulan grup publik '{group}' belum dapat disetujui. Catatan admin: {note}",
    codes=(GROUP_CODE, ("note", _("Catatan admin"))),
)
_kind(
    Notify.MEMBER_OF_WEEK,
    _("Member minggu ini"),
    "Kamu member minggu ini!",
    "Selamat! Kamu terpilih sebagai member minggu ini (minggu mulai {week}). Terima kasih sudah aktif di komunitas.",
    codes=(("week", _("Minggu")),),
    sample={"week": "01-12-2026"},
)
_kind(
    Notify.CHALLENGE_NEW,
    _("Tantangan atau kuis baru di grup"),
    "{item} baru di grup {group}",
    "{author} membuka {item} '{title}' di grup '{group}'. Ikut dan kumpulkan poinnya!",
    codes=(GROUP_CODE, ("item", _("Jenis (tantangan / kuis)")), ("title", _("Judul")), ("author", _("Pembuat"))),
    sample={"item": "Tantangan", "title": "30 Hari Posting Produk"},
)
_kind(
    Notify.CHALLENGE_RESULT,
    _("Hasil tantangan grup"),
    "Tantangan '{challenge}' selesai",
    "Tantangan '{challenge}' di grup '{group}' sudah selesai: kamu {result} ({count} dari {target}, peringkat "
    "{rank}). Poin hadiah: {points}.",
    codes=(
        GROUP_CODE,
        ("challenge", _("Judul tantangan")),
        ("result", _("Hasil")),
        ("count", _("Capaian")),
        ("target", _("Target")),
        ("rank", _("Peringkat")),
        ("points", _("Poin hadiah")),
    ),
    sample={
        "challenge": "30 Hari Posting Produk",
        "result": "berhasil mencapai target",
        "count": 12,
        "target": 10,
        "rank": 2,
        "points": 50,
    },
)
_kind(
    Notify.INACTIVITY,
    _("Pengingat aktif di komunitas"),
    "Kami rindu kamu di komunitas",
    "Anda belum aktif di grup minggu ini. Yuk lihat kabar terbaru dari sesama eksportir.",
)
_kind(
    Notify.VIRAL_POST,
    _("Konten populer"),
    "Konten populer di {group}",
    "Postingan {author} di grup '{group}' sudah mendapat lebih dari {count} komentar: {excerpt}",
    codes=(GROUP_CODE, ("author", _("Penulis")), ("count", _("Jumlah komentar")), EXCERPT),
    sample={"count": "20"},
    description=_("Untuk admin."),
)
_kind(
    Notify.CONTENT_REMOVED,
    _("Konten dihapus moderator"),
    "Kontenmu dihapus moderator",
    "Moderator grup '{group}' menghapus postingan atau komentarmu karena melanggar aturan. {note}",
    codes=(GROUP_CODE, ("note", _("Catatan"))),
)
_kind(
    Notify.NEW_POST,
    _("Postingan baru di grup"),
    "Postingan baru di {group}",
    "{author} menulis di grup '{group}': {excerpt}",
    codes=(GROUP_CODE, ("author", _("Penulis")), EXCERPT),
    description=_("Aturan otomatis: untuk anggota grup yang mengikuti notifikasinya (di aplikasi saja)."),
    channels=(),
)
register_rule(
    RuleDef(
        key=Rule.NEW_POST,
        label=_("Postingan baru di grup"),
        description=_(
            "Setiap postingan baru diberitahukan (di aplikasi) ke anggota grup yang mengikuti notifikasinya. "
            "Pengumuman selalu dikirim ke semua anggota."
        ),
        order=40,
    )
)
register_rule(
    RuleDef(
        key=Rule.POPULAR,
        label=_("Konten populer"),
        description=_('Postingan dengan lebih dari N komentar diberitahukan ke admin sebagai "Konten populer".'),
        unit=Unit.COUNT,
        default=20,
        order=60,
    )
)


def _group_names(keys) -> dict[str, str]:
    ids = [int(k) for k in keys if str(k).isdigit()]
    return {str(pk): name for pk, name in Group.objects.filter(pk__in=ids).values_list("pk", "name")}


def _may_follow(user, key) -> bool:
    """An active member of the group."""
    return (
        str(key).isdigit()
        and GroupMember.objects.filter(group_id=int(key), user=user, status=MemberStatus.ACTIVE).exists()
    )


def _followed(user, key, subscribed: bool) -> None:
    """The group's own switch (the announcement fan-out reads it) follows the subscription."""
    GroupMember.objects.filter(group_id=int(key), user=user).update(notify_posts=subscribed)


source_kind_register(
    SourceKind(kind=SOURCE_KIND, label=_("Grup"), describe=_group_names, may_follow=_may_follow, on_change=_followed)
)
