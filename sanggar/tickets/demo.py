"""Demo tickets (after the orders' demo): a member's payment question answered by Support and waiting for the member,
an urgent login problem still in the unassigned queue, and a resolved and rated question. Built through the services;
running it twice changes nothing."""

from sanggar.accounts.models import User
from sanggar.orders.models import Order

from . import services
from .models import Ticket

CANNED = (
    ("Salam pembuka", "", "Halo {nama}, terima kasih sudah menghubungi tim support. Tiket {nomor} sedang saya cek."),
    (
        "Pembayaran sedang dicek",
        "pembayaran",
        "Halo {nama}, bukti transfer Anda sudah kami terima dan sedang dicocokkan dengan mutasi rekening. Status "
        "pesanan akan berubah menjadi Lunas paling lambat 1×24 jam kerja.\n\nSalam,\n{agen}",
    ),
    (
        "Reset kata sandi",
        "akun",
        'Halo {nama}, silakan buka halaman Masuk lalu pilih "Lupa kata sandi". Tautan reset dikirim ke email Anda dan '
        "Anda dan berlaku 1 jam. Periksa juga folder Spam.\n\nSalam,\n{agen}",
    ),
    (
        "Akses kelas setelah upgrade",
        "membership",
        "Halo {nama}, setelah upgrade, semua kelas dan grup paket baru terbuka otomatis. Silakan keluar lalu masuk "
        "kembali bila belum terlihat.\n\nSalam,\n{agen}",
    ),
)


def seed(*, log):
    member = User.objects.filter(email="member@sanggar.test").first()
    support = User.objects.filter(email="support@sanggar.test").first()
    affiliate = User.objects.filter(email="affiliate@sanggar.test").first()
    if not (member and support and affiliate):
        log("demo accounts missing; no demo tickets")
        return
    if Ticket.objects.exists():
        log("demo tickets already there")
        return
    for title, category, body in CANNED:
        services.canned_reply_save(actor=support, title=title, body=body, category=category)
    order = Order.objects.filter(buyer=member).order_by("-created_at").first()
    paid = services.ticket_open(
        user=member, category="pembayaran", subject="Transfer sudah, status pesanan belum lunas", order=order,
        body="Selamat siang, saya sudah transfer lewat BCA kemarin sore tapi status pesanan masih menunggu. "
        "Mohon dicek.",
    )  # fmt: skip
    services.ticket_claim(ticket=paid, agent=support)
    note = "Cek mutasi BCA tanggal kemarin, nominal unik."
    services.ticket_reply(ticket=paid, actor=support, body=note, internal=True)
    services.ticket_reply(
        ticket=paid, actor=support,
        body="Terima kasih, Kak. Mohon kirim foto bukti transfer agar kami cocokkan dengan mutasi rekening.",
    )  # fmt: skip
    login = services.ticket_open(
        user=affiliate, category="akun", subject="Tidak bisa masuk setelah ganti nomor WhatsApp",
        body="Kode OTP tidak pernah masuk ke nomor baru saya. Akun affiliate saya jadi tidak bisa dibuka.",
    )  # fmt: skip
    services.ticket_set_priority(ticket=login, actor=support, priority="urgent")
    done = services.ticket_open(
        user=member, category="kelas", subject="Sertifikat kelas Dasar Ekspor belum muncul",
        body="Saya sudah menyelesaikan semua materi dan kuis, tapi sertifikatnya belum bisa diunduh.",
    )  # fmt: skip
    services.ticket_claim(ticket=done, agent=support)
    answer = "Sudah kami terbitkan ulang. Silakan cek halaman Sertifikat."
    services.ticket_reply(ticket=done, actor=support, body=answer)
    services.ticket_set_status(ticket=done, actor=support, status="resolved")
    services.ticket_rate(ticket=done, user=member, rating=5, comment="Cepat dan jelas, terima kasih!")
    log("3 demo tickets (waiting for the member, urgent unassigned, resolved and rated)")
