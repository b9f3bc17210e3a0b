"""Demo group challenges and a quiz (GAM-D7) in the open demo group: a running posting challenge with participants,
a finished comment challenge with its results, and a published quiz that two members already took. Built through the
services; running it twice changes nothing."""

from datetime import timedelta

from django.utils import timezone

from sanggar.accounts.models import User

from . import challenges, quizzes, services
from .constants import BadgeCriteria
from .models import Challenge, Group, GroupQuiz

PARTICIPANTS = ("member@sanggar.test", "mentor@sanggar.test", "affiliate@sanggar.test", "free@sanggar.test")

QUIZ_QUESTIONS = [
    {
        "text": "Dokumen apa yang membuktikan asal barang agar buyer mendapat tarif preferensi?",
        "explanation": "Surat Keterangan Asal (SKA / Certificate of Origin) diterbitkan instansi berwenang dan dipakai "
        "buyer untuk klaim tarif preferensi perjanjian dagang.",
        "options": ["Commercial invoice", "Surat Keterangan Asal (SKA)", "Packing list", "Bill of lading"],
        "correct": 1,
    },
    {
        "text": "Dengan Incoterm FOB, kapan risiko berpindah dari penjual ke pembeli?",
        "explanation": "Pada FOB risiko berpindah saat barang sudah berada di atas kapal di pelabuhan muat.",
        "options": [
            "Saat barang keluar gudang",
            "Saat barang di atas kapal di pelabuhan muat",
            "Saat tiba di gudang buyer",
        ],
        "correct": 1,
    },
    {
        "text": "Dokumen pemberitahuan pabean untuk ekspor di Indonesia disebut?",
        "explanation": "PEB (Pemberitahuan Ekspor Barang) diajukan ke Bea Cukai sebelum barang dimuat.",
        "options": ["PIB", "PEB", "NPWP"],
        "correct": 1,
    },
    {
        "text": "Pembayaran L/C paling melindungi siapa?",
        "explanation": "Letter of Credit menjamin pembayaran lewat bank selama dokumen sesuai syarat, sehingga "
        "eksportir terlindungi dari risiko gagal bayar.",
        "options": ["Eksportir, karena bank menjamin pembayaran", "Hanya forwarder", "Tidak ada yang terlindungi"],
        "correct": 0,
    },
]


def _people():
    return [u for u in (User.objects.filter(email=e).first() for e in PARTICIPANTS) if u is not None]


def seed_challenges(*, admin, log) -> None:
    group = Group.objects.filter(slug="ukm-ekspor-indonesia").select_related("resource").first()
    if admin is None or group is None:
        return
    people = [u for u in _people() if services.is_member(u, group)]
    badge = services.badge_ensure(
        slug="juara-tantangan",
        name="Juara Tantangan",
        description="Mencapai target sebuah tantangan grup.",
        icon="trophy",
        criteria=BadgeCriteria.MANUAL,
    )
    now = timezone.now()
    if not Challenge.objects.filter(group=group, title="Tantangan 7 Hari Posting Produk Ekspor").exists():
        running = challenges.challenge_create(
            actor=admin,
            group=group,
            data={
                "title": "Tantangan 7 Hari Posting Produk Ekspor",
                "description": "Perkenalkan satu produk ekspor Anda setiap hari di grup ini: foto, spesifikasi, "
                "kapasitas produksi dan negara tujuan. Capai 5 postingan untuk mendapat 50 poin dan lencana Juara "
                "Tantangan.",
                "metric": "posts",
                "target": 5,
                "starts_at": now - timedelta(days=2),
                "ends_at": now + timedelta(days=5),
                "reward_points": 50,
                "badge": badge,
            },
        )
        for user in people:
            challenges.challenge_join(user=user, challenge=running)
    if not Challenge.objects.filter(group=group, title="Pekan Diskusi Buyer").exists():
        finished = challenges.challenge_create(
            actor=admin,
            group=group,
            data={
                "title": "Pekan Diskusi Buyer",
                "description": "Bantu sesama member: jawab pertanyaan soal buyer dan negosiasi di kolom komentar.",
                "metric": "comments",
                "target": 1,
                "starts_at": now - timedelta(days=7),
                "ends_at": now + timedelta(hours=1),
                "reward_points": 20,
            },
        )
        for user in people:
            challenges.challenge_join(user=user, challenge=finished)
        challenges.challenge_close(challenge_id=finished.pk, actor=admin)  # ended: results and rewards
    if not GroupQuiz.objects.filter(group=group, title="Kuis Dasar Dokumen Ekspor").exists():
        quiz = quizzes.quiz_create(
            actor=admin,
            group=group,
            data={
                "title": "Kuis Dasar Dokumen Ekspor",
                "description": "Empat pertanyaan tentang dokumen dan Incoterm. Setiap jawaban benar bernilai 5 poin; "
                "penjelasan muncul setelah Anda mengirim jawaban.",
                "opens_at": now - timedelta(days=1),
                "closes_at": now + timedelta(days=14),
                "scoring": "per_correct",
                "points": 5,
            },
            questions=QUIZ_QUESTIONS,
            publish=True,
        )
        questions = quizzes.questions_of(quiz)
        right = {str(q.pk): next(o.pk for o in q.options.all() if o.is_correct) for q in questions}
        first_wrong = {**right, str(questions[0].pk): questions[0].options.all()[0].pk}
        for user, answers in zip(people[2:4], (right, first_wrong), strict=False):
            quizzes.quiz_submit(user=user, quiz=quiz, answers=answers)
    log("community: demo challenges and quiz")
