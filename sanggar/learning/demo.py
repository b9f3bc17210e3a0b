"""Demo courses (after the orders' demo): the three courses the demo plans already include as resources
(`dasar-ekspor`, `strategi-ekspor`, `kelas-buyer`) become real courses with modules, lessons, quizzes and an
assignment; a paid public course sold on its own; an affiliate-only course; progress, a discussion and a review for
the demo member. Built through the services; running it twice changes nothing."""

from sanggar.accounts.models import User
from sanggar.accounts.services import user_update_profile
from sanggar.catalog.models import Product
from sanggar.catalog.services import FollowUpInput

from . import discussion, services
from .models import Course, Enrollment

VIDEO = "https://www.youtube.com/watch?v=ScMzIvxBSi4"

COURSES = [
    {
        "key": "dasar-ekspor",
        "title": "Dasar Ekspor",
        "summary": "Memahami alur ekspor dari nol: produk, pasar, dokumen, hingga pengiriman pertama.",
        "category": "Ekspor Pemula",
        "level": "pemula",
        "modules": [
            (
                "Mengenal Dunia Ekspor",
                [
                    ("Apa itu ekspor dan kenapa UMKM perlu mencobanya", "video", True),
                    ("Memilih produk yang layak ekspor", "text", False),
                    ("Legalitas usaha: NIB, NPWP dan izin edar", "text", False),
                ],
            ),
            (
                "Dokumen dan Pengiriman",
                [
                    ("Invoice, packing list dan certificate of origin", "text", False),
                    ("Incoterms: FOB, CIF dan EXW untuk pemula", "video", False),
                    ("Memilih freight forwarder yang tepat", "text", False),
                ],
            ),
        ],
        "quiz": (
            "Kuis Dasar Ekspor",
            [
                (
                    "Incoterm di mana penjual menanggung biaya sampai barang di atas kapal di pelabuhan muat:",
                    [("FOB", True), ("DDP", False), ("EXW", False)],
                ),
                ("Certificate of Origin membuktikan negara asal barang.", None),
                ("short", "Singkatan dari Nomor Induk Berusaha (3 huruf)?", ["NIB"]),
                (
                    "fill",
                    "Daftar isi dan berat setiap kemasan disebut ___ list; tagihan ke pembeli disebut commercial ___.",
                    ["packing", "invoice"],
                ),
                (
                    "ordering",
                    "Urutkan langkah ekspor pertama Anda:",
                    ["Riset pasar", "Negosiasi dan kontrak", "Produksi dan pengemasan", "Pengapalan"],
                ),
                (
                    "matching",
                    "Jodohkan dokumen dengan fungsinya:",
                    [
                        ("Invoice", "Tagihan kepada pembeli"),
                        ("Packing list", "Rincian isi kemasan"),
                        ("Bill of Lading", "Bukti barang dimuat di kapal"),
                    ],
                ),
            ],
        ),
        "essay_quiz": (
            "Refleksi: Rencana Ekspor Saya",
            "Ceritakan rencana ekspor Anda: produk, negara tujuan pertama, dan tantangan terbesar yang Anda hadapi.",
        ),
        "assignment": (
            "Tugas: Profil Produk Ekspor",
            "Tuliskan produk yang ingin Anda ekspor, HS Code perkiraan, dan tiga negara tujuan beserta alasannya.",
        ),
    },
    {
        "key": "strategi-ekspor",
        "title": "Strategi Ekspor",
        "summary": "Riset pasar, penetapan harga ekspor dan strategi masuk ke negara tujuan.",
        "category": "Strategi & Pasar",
        "level": "menengah",
        "modules": [
            (
                "Riset Pasar Tujuan",
                [
                    ("Membaca data Trademap dan UN Comtrade", "video", True),
                    ("Menghitung potensi pasar dan pesaing", "text", False),
                ],
            ),
            (
                "Harga dan Negosiasi",
                [
                    ("Menyusun harga FOB yang menguntungkan", "text", False),
                    ("Negosiasi termin pembayaran: T/T, L/C dan DP", "video", False),
                ],
            ),
        ],
        "quiz": (
            "Kuis Strategi Ekspor",
            [
                (
                    "Sumber data perdagangan internasional yang gratis adalah…",
                    [("Trademap", True), ("Buku telepon", False), ("Media sosial pribadi", False)],
                ),
                ("L/C adalah salah satu cara pembayaran ekspor.", None),
            ],
        ),
    },
    {
        "key": "kelas-buyer",
        "title": "Kelas Buyer",
        "summary": "Cara menemukan, menghubungi dan menjaga buyer luar negeri hingga repeat order.",
        "category": "Strategi & Pasar",
        "level": "menengah",
        "modules": [
            (
                "Menemukan Buyer",
                [
                    ("Direktori buyer dan pameran dagang", "video", True),
                    ("Menulis email penawaran pertama", "text", False),
                ],
            ),
            (
                "Menjaga Buyer",
                [
                    ("Sampel, follow-up dan repeat order", "text", False),
                ],
            ),
        ],
        "quiz": None,
    },
    {
        "key": "ekspor-kopi-spesialti",
        "title": "Ekspor Kopi Spesialti",
        "summary": "Studi kasus ekspor kopi spesialti Indonesia ke Jepang dan Eropa.",
        "category": "Studi Kasus Komoditas",
        "level": "ahli",
        "role_access": "public",
        "price": 499_000,
        "promo_price": 349_000,
        "affiliate_enabled": True,
        "affiliate_commission_percent": 20,
        "mentor_share_percent": 30,
        "modules": [
            (
                "Standar Mutu Kopi",
                [
                    ("Grading kopi dan cupping score", "video", True),
                    ("Sertifikasi organik dan fair trade", "text", False),
                ],
            ),
        ],
        "quiz": None,
    },
    {
        "key": "jualan-kelas-ekspor",
        "title": "Jualan Kelas Ekspor untuk Affiliate",
        "summary": "Materi khusus affiliate: cara mempromosikan membership dan kursus ekspor.",
        "category": "Affiliate",
        "level": "pemula",
        "role_access": "affiliate",
        "modules": [("Promosi yang Jujur", [("Menulis konten promosi yang tidak berlebihan", "text", False)])],
        "quiz": None,
    },
]


def _content(title: str) -> str:
    return (
        f"<p><strong>{title}</strong></p><p>Di pelajaran ini kita membahas langkah praktis yang bisa langsung Anda "
        "terapkan untuk usaha ekspor Anda, lengkap dengan contoh dari pelaku UMKM Indonesia.</p>"
        "<ul><li>Pahami konsep utamanya</li><li>Lihat contoh nyata</li><li>Kerjakan latihan singkat</li></ul>"
    )


def _build(spec: dict, *, admin, mentor, log) -> Course:
    course = Course.objects.filter(resource__kind="course", resource__key=spec["key"]).first()
    if course is not None:
        return course
    category = services.category_ensure(name=spec["category"])
    data = {
        "title": spec["title"],
        "summary": spec["summary"],
        "description": f"<p>{spec['summary']}</p><p>Dibimbing langsung oleh mentor praktisi ekspor.</p>",
        "level": spec["level"],
        "category": category.pk,
        "mentor": mentor.pk if mentor else None,
        "role_access": spec.get("role_access", "member"),
        "is_public": spec.get("role_access") != "affiliate",
    }
    for name in ("price", "promo_price", "affiliate_enabled", "affiliate_commission_percent", "mentor_share_percent"):
        if name in spec:
            data[name] = spec[name]
    course = services.course_create(actor=admin, data=data, resource_key=spec["key"])
    for module_title, lessons in spec["modules"]:
        module = services.module_save(actor=admin, course=course, title=module_title)
        for title, kind, preview in lessons:
            services.lesson_save(
                actor=admin,
                module=module,
                data={
                    "title": title,
                    "kind": kind,
                    "video_url": VIDEO if kind == "video" else "",
                    "content": _content(title),
                    "duration_minutes": 12 if kind == "video" else 8,
                    "is_preview": preview,
                },
            )
    if spec.get("quiz"):
        quiz_title, questions = spec["quiz"]
        quiz = services.quiz_save(
            actor=admin,
            module=module,
            data={
                "title": quiz_title,
                "pass_percent": 70,
                "max_attempts": 3,
                "is_required": True,
                "show_answers": True,
            },
        )
        for row in questions:
            if len(row) == 3:
                kind, text, choices = row
                services.question_add(actor=admin, quiz=quiz, kind=kind, text=text, choices=choices)
                continue
            text, choices = row
            if choices is None:
                services.question_add(actor=admin, quiz=quiz, kind="true_false", text=text, choices=[("", True)])
            else:
                services.question_add(actor=admin, quiz=quiz, kind="single", text=text, choices=choices)
    if spec.get("essay_quiz"):
        title, question = spec["essay_quiz"]
        essay = services.quiz_save(
            actor=admin,
            module=module,
            data={"title": title, "pass_percent": 60, "max_attempts": 0, "is_required": False, "show_answers": True},
        )
        services.question_add(actor=admin, quiz=essay, kind="essay", text=question, choices=[], points=10)
    if spec.get("assignment"):
        title, instructions = spec["assignment"]
        services.assignment_save(
            actor=admin,
            module=module,
            data={"title": title, "instructions": instructions, "max_points": 100, "allow_file": True},
        )
    log(f"course {course.title}")
    return course


FOLLOW_UPS = {
    "ekspor-kopi-spesialti": [
        (0, "Halo {name}, terima kasih sudah bergabung di kursus {course}! Mulai dari modul Standar Mutu Kopi ya."),
        (3, "Hai {name}, sudah coba latihan cupping di {course}? Tulis pertanyaanmu di kolom diskusi pelajaran."),
        (7, "{name}, satu minggu di {course}! Selesaikan kuisnya untuk mendapatkan sertifikat."),
    ],
}
BONUS = {"dasar-ekspor": ["ebook-panduan-ekspor-pemula"], "ekspor-kopi-spesialti": ["bundel-template-dokumen-ekspor"]}
SOCIAL = {
    "website": "https://eksporyuk.com",
    "instagram": "https://instagram.com/eksporyuk",
    "youtube": "https://www.youtube.com/@eksporyuk",
    "linkedin": "https://www.linkedin.com/company/eksporyuk",
}


def _extras(courses, *, admin, mentor, log) -> None:
    """Bonus products (the demo ebook with Dasar Ekspor, the document templates with the coffee course), the
    coffee course's WhatsApp follow-ups and the demo mentor's social links (the study group: community's demo)."""
    by_key = {c.resource.key: c for c in courses}
    for key, slugs in BONUS.items():
        course = by_key.get(key)
        products = list(Product.objects.filter(slug__in=slugs).values_list("pk", flat=True))
        if course is not None and products and not course.resource.bundled.exists():
            services.course_extras_set(actor=admin, course=course, bonus_products=products, study_group=None)
            log(f"{course.title}: bonus products {', '.join(slugs)}")
    for key, steps in FOLLOW_UPS.items():
        course = by_key.get(key)
        if course is not None and not services.course_follow_ups(course):
            services.course_follow_ups_set(
                actor=admin, course=course, steps=[FollowUpInput(delay_days=d, message=m) for d, m in steps]
            )
            log(f"{course.title}: {len(steps)} WhatsApp follow-ups")
    if mentor is not None and not mentor.social_links:
        user_update_profile(user=mentor, actor=mentor, social_links=SOCIAL)


def seed(*, log):
    admin = User.objects.filter(email="admin@sanggar.test").first()
    mentor = User.objects.filter(email="mentor@sanggar.test").first()
    member = User.objects.filter(email="member@sanggar.test").first()
    if admin is None:
        log("demo accounts missing; run the accounts demo first")
        return
    courses = [_build(spec, admin=admin, mentor=mentor, log=log) for spec in COURSES]
    _extras(courses, admin=admin, mentor=mentor, log=log)
    if member is None:
        log("no demo member; no demo progress")
        return
    # The first of the plans' courses the demo member's membership opens (Gold: Strategi Ekspor).
    basics = next((c for c in courses[:3] if services.course_decision(user=member, course=c).allowed), None)
    if basics is None:
        log("the demo member's plan includes none of the demo courses; no demo progress")
        return
    if Enrollment.objects.filter(user=member, course=basics).exists():
        log("demo learner progress already there")
        return
    lessons = list(basics.lessons.order_by("module__position", "position", "id"))
    for lesson in lessons[:3]:
        services.lesson_complete(user=member, lesson=lesson)
    services.lesson_position(user=member, lesson=lessons[3], seconds=0)
    question = services.comment_post(
        user=member, lesson=lessons[1], body="Kalau produk saya keripik singkong, HS Code-nya mulai dari mana ya?"
    )
    if mentor is not None:
        services.comment_post(
            user=mentor,
            lesson=lessons[1],
            parent=question,
            body="Mulai dari bab 20 (olahan sayuran), lalu cek di INSW untuk 8 digitnya.",
        )
    # the course's own discussion and a module's (the same machinery as the lessons')
    thread = discussion.thread_comment_post(
        user=member, course=basics, body="Halo teman-teman, ada yang sudah ekspor ke Jepang? Yuk berbagi pengalaman."
    )
    if mentor is not None:
        discussion.thread_comment_post(
            user=mentor,
            course=basics,
            parent=thread,
            body="Saya pernah. Mulai dari sampel kecil dan pastikan sertifikat kesehatannya lengkap.",
        )
    services.review_save(user=member, course=basics, rating=5, body="Materinya runtut dan mudah dipraktikkan.")
    log(f"{member.email}: progress, a question and a review in {basics.title}")
