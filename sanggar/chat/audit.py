from django.utils.translation import gettext_lazy as _

from sanggar.audit.registry import register

from .constants import Action

register(
    {
        Action.REPORTED: _("Percakapan chat dilaporkan"),
        Action.REPORT_READ: _("Admin membaca percakapan yang dilaporkan"),
        Action.REPORT_RESOLVED: _("Laporan chat ditutup"),
        Action.BLOCKED: _("Pengguna diblokir di chat"),
        Action.UNBLOCKED: _("Blokir pengguna di chat dibuka"),
        Action.REPORT_ATTACHMENT_READ: _("Admin membuka lampiran percakapan yang dilaporkan"),
        Action.SUSPENDED: _("Chat pengguna ditangguhkan admin"),
        Action.SUSPENSION_LIFTED: _("Penangguhan chat pengguna dicabut"),
        Action.MEMBER_MUTED: _("Anggota dibisukan di chat grup"),
        Action.MEMBER_UNMUTED: _("Bisu anggota di chat grup dicabut"),
        Action.STICKERS_CHANGED: _("Stiker atau paket stiker diubah"),
    }
)
