"""Demo tickets (after the orders' demo): a member's payment question answered by Support and waiting for the member,
an urgent login problem still in the unassigned queue, and a resolved and rated question. Built through the services;
running it twice changes nothing."""

from sanggar.accounts.models import User
from sanggar.orders.models import Order

from . import services
from .models import Ticket


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
