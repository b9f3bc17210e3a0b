"""Demo chat (after the learning demo): a ChatMentor conversation between the demo mentor and the demo member (a
student of the mentor's course) and one between the admin and the affiliate. Built through the services, with
client ids, so running it twice changes nothing."""

from django.contrib.auth import get_user_model
from django.test.utils import override_settings

from sanggar.core.exceptions import ServiceError

from . import services, stickers
from .models import Sticker

User = get_user_model()

THREADS = [
    (
        "mentor@sanggar.test",
        "member@sanggar.test",
        [
            (
                "mentor@sanggar.test",
                "Halo Maya, selamat bergabung di kelas Strategi Ekspor. Ada kendala di modul pertama?",
            ),
            (
                "member@sanggar.test",
                "Halo Pak Andi! Saya masih bingung memilih antara FOB dan CIF untuk kopi ke Jepang.",
            ),
            ("mentor@sanggar.test", "Untuk pengiriman pertama, FOB lebih aman: risiko Anda selesai di pelabuhan muat."),
            ("member@sanggar.test", "Siap, terima kasih Pak. Nanti saya kirim draf penawarannya di sini."),
            ("mentor@sanggar.test", "sticker:semangat"),
        ],
    ),
    (
        "admin@sanggar.test",
        "affiliate@sanggar.test",
        [
            ("admin@sanggar.test", "Halo, materi promo bulan ini sudah tersedia di menu Affiliate."),
            ("affiliate@sanggar.test", "Terima kasih, Admin. Banner ukuran story juga ada?"),
        ],
    ),
]


@override_settings(
    CHAT_MESSAGE_RATE_LIMIT="1000/60",
    CHAT_NEW_ACCOUNT_MESSAGE_RATE_LIMIT="1000/60",
    CHAT_CONVERSATION_RATE_LIMIT="1000/60",
    CHAT_NEW_ACCOUNT_CONVERSATION_RATE_LIMIT="1000/60",
)
def seed(*, log):
    pack = stickers.builtin_ensure()
    users = {u.email: u for u in User.objects.filter(email__in={e for t in THREADS for e in (t[0], t[1])})}
    made = 0
    for starter, other, lines in THREADS:
        if starter not in users or other not in users:
            log(f"chat demo: {starter} or {other} missing")
            continue
        try:
            conversation, _created = services.conversation_open(user=users[starter], other=users[other])
        except ServiceError as exc:
            log(f"chat demo: {starter} → {other} not allowed ({exc.message})")
            continue
        for n, (sender, body) in enumerate(lines):
            sticker = None
            if body.startswith("sticker:"):  # a sticker alone, from the built-in pack
                path = f"chat/stickers/{body.removeprefix('sticker:')}.svg"
                sticker = Sticker.objects.filter(pack=pack, static_path=path).values_list("pk", flat=True).first()
                body = ""
            sent = services.message_send(
                user=users[sender], conversation_id=conversation.pk, body=body, client_id=f"demo-{n}", sticker=sticker
            )
            made += sent.created
    log(f"{made} demo chat messages created")
