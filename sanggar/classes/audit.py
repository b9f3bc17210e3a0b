from sanggar.audit.registry import register

from .constants import Action

register(
    {
        Action.REGISTERED: "Mendaftar kelas live",
        Action.APPROVED: "Pendaftaran kelas live disetujui",
        Action.REJECTED: "Pendaftaran kelas live ditolak",
        Action.SECTION_CREATED: "Section kelas live dibuat",
        Action.TUTOR_ASSIGNED: "Tutor section ditetapkan",
        Action.MEETING_SCHEDULED: "Pertemuan dijadwalkan",
        Action.ATTENDANCE_MARKED: "Kehadiran diisi",
        Action.CANCELLED: "Pendaftaran kelas live dibatalkan",
        Action.EXCUSED: "Izin pertemuan dilaporkan",
    }
)
