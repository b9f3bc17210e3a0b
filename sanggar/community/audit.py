from django.utils.translation import gettext_lazy as _

from sanggar.audit.registry import register

from .constants import Action

register(
    {
        Action.GROUP_CREATED: _("Grup dibuat"),
        Action.GROUP_UPDATED: _("Grup diubah"),
        Action.MEMBER_ROLE: _("Peran anggota grup diubah"),
        Action.PERMISSIONS: _("Hak akses grup diubah"),
        Action.MEMBER_APPROVED: _("Permintaan bergabung disetujui"),
        Action.MEMBER_BANNED: _("Anggota grup diblokir"),
        Action.MEMBER_MUTED: _("Anggota grup dibisukan"),
        Action.MEMBER_UNBANNED: _("Blokir anggota grup dicabut"),
        Action.POST_APPROVED: _("Postingan disetujui"),
        Action.POST_REJECTED: _("Postingan ditolak"),
        Action.POST_REMOVED: _("Postingan dihapus moderator"),
        Action.POST_PINNED: _("Postingan disematkan / dilepas"),
        Action.COMMENT_REMOVED: _("Komentar dihapus moderator"),
        Action.REPORT_HANDLED: _("Laporan komunitas ditangani"),
        Action.KEYWORD_SAVED: _("Filter kata komunitas diubah"),
        Action.REQUIRED_GROUPS: _("Grup wajib member disiapkan"),
        Action.INVITED: _("Undangan grup dikirim"),
        Action.GROUP_CHAT: _("Obrolan grup dinyalakan / dimatikan"),
        Action.BADGE_AWARDED: _("Lencana diberikan"),
        Action.BADGE_SAVED: _("Lencana dibuat / diubah"),
        Action.BADGE_REVOKED: _("Lencana dicabut"),
        Action.POINTS_ADJUSTED: _("Poin disesuaikan admin"),
        Action.FEATURES: _("Fitur postingan grup diubah"),
        Action.MENTOR_GROUP: _("Grup kursus dibuat mentor"),
        Action.PROPOSAL_CREATED: _("Usulan grup publik diajukan"),
        Action.PROPOSAL_APPROVED: _("Usulan grup publik disetujui"),
        Action.PROPOSAL_REJECTED: _("Usulan grup publik ditolak"),
        Action.POINT_RULE_SAVED: _("Poin per aksi diubah"),
        Action.LEVEL_SAVED: _("Level komunitas diubah"),
        Action.MEMBER_OF_WEEK: _("Member minggu ini dipilih admin"),
        Action.POST_EDITED: _("Postingan disunting"),
        Action.CHALLENGE_SAVED: _("Tantangan grup dibuat / diubah"),
        Action.CHALLENGE_CLOSED: _("Tantangan grup selesai"),
        Action.QUIZ_SAVED: _("Kuis grup dibuat / diubah"),
    }
)
