"""Demo suppliers (after chat): the assessment question bank, two Premium packages, and suppliers in every stage —
CV Rempah Nusantara (the demo supplier account: verified, Premium, four products), a verified Free coffee producer,
a limited furniture maker, a waiting cooperative, a recommended seafood processor and a supplier still in draft.
Built through the services; running it twice changes nothing."""

import io

from django.utils import timezone
from PIL import Image, ImageDraw

from sanggar.accounts.demo import DEMO_PASSWORD
from sanggar.accounts.models import User, UserRole
from sanggar.core.roles import Role

from . import services
from .models import AssessmentQuestion, PremiumPeriod, Supplier, SupplierPlan

QUESTIONS = [
    ("", "Berapa lama usaha Anda sudah berjalan?", [("Kurang dari 1 tahun", 1), ("1–3 tahun", 2), ("3–5 tahun", 3),
                                                    ("Lebih dari 5 tahun", 4)]),
    ("", "Apakah usaha Anda pernah mengirim ke luar negeri?", [("Belum pernah", 0), ("Lewat eksportir lain", 2),
                                                               ("Ya, atas nama sendiri", 4)]),
    ("", "Bagaimana pencatatan mutu produk Anda?", [("Belum ada", 0), ("Catatan sederhana", 1),
                                                    ("SOP tertulis", 3), ("Bersertifikat (ISO/HACCP)", 4)]),
    ("produsen", "Dari mana bahan baku Anda?", [("Kebun/lahan sendiri", 4), ("Kemitraan petani tetap", 3),
                                                ("Beli dari pasar", 1)]),
    ("produsen", "Berapa kapasitas produksi bulanan Anda?", [("< 1 ton", 1), ("1–10 ton", 2), ("10–50 ton", 3),
                                                             ("> 50 ton", 4)]),
    ("pabrik", "Berapa lini produksi yang Anda operasikan?", [("1 lini", 1), ("2–3 lini", 2), ("Lebih dari 3", 4)]),
    ("manufaktur", "Apakah Anda menerima pesanan maklon (OEM)?", [("Tidak", 0), ("Ya, skala kecil", 2),
                                                                  ("Ya, rutin", 4)]),
    ("trader", "Berapa pemasok tetap Anda?", [("1–2", 1), ("3–10", 2), ("Lebih dari 10", 4)]),
    ("exporter", "Berapa kontainer yang Anda kirim per tahun?", [("1–5", 1), ("6–20", 3), ("Lebih dari 20", 4)]),
    ("supplier", "Siapa pelanggan utama Anda?", [("Perorangan", 1), ("UMKM", 2), ("Perusahaan besar", 4)]),
    ("aggregator", "Berapa petani/pengrajin yang bermitra dengan Anda?", [("< 20", 1), ("20–100", 2), ("> 100", 4)]),
]  # fmt: skip

# The English version a premium demo supplier wrote itself (D-DIR-8: no machine translation), and product names.
ENGLISH = {
    "supplier@sanggar.test": {
        "main_products_en": "Cloves, nutmeg, cinnamon, black pepper",
        "short_description_en": "We process and sort spices from 300 partner farmers in Sulawesi and Maluku. "
        "Solar-dried, moisture kept below 12%, shipped in 50 kg jute bags or packing to the buyer's specification.",
        "strengths_en": "Traceable to the farm, moisture and admixture checked on every lot.",
    },
}
TITLES_EN = {
    "Cengkeh Kering Grade A": "Dried Cloves Grade A",
    "Pala Biji Utuh ABCD": "Whole Nutmeg ABCD",
    "Kayu Manis Stick 8 cm": "Cinnamon Sticks 8 cm",
    "Lada Hitam Asalan": "Black Pepper FAQ",
}

SUPPLIERS = [
    # email, name, province, city, type, final status, premium days, profile, products
    ("supplier@sanggar.test", "CV Rempah Nusantara", "Sulawesi Selatan", "Makassar", "produsen", "verified", 180, {
        "legal_form": "cv", "business_field": "rempah", "main_products": "Cengkeh, pala, kayu manis, lada hitam",
        "year_founded": 2014, "capacity": "25 ton per bulan",
        "address": "Jl. Perintis Kemerdekaan KM 12 No. 8", "district": "Tamalanrea", "postal_code": "90245",
        "production_address": "Gudang sortir, Kab. Maros",
        "pic_name": "Andi Rahmat", "pic_position": "Direktur", "whatsapp": "081200000007",
        "business_email": "ekspor@rempahnusantara.co.id", "website": "https://rempahnusantara.co.id",
        "instagram": "rempahnusantara", "nib": "9120001234567", "npwp": "012345678901000",
        "short_description": "Kami mengolah dan menyortir rempah dari 300 petani mitra di Sulawesi dan Maluku. "
        "Pengeringan dengan solar dryer, kadar air terjaga di bawah 12%, dan siap kirim dalam karung jute 50 kg "
        "atau kemasan sesuai permintaan buyer.",
        "strengths": "Sortasi manual 3 tahap, uji kadar air setiap lot, dokumen ekspor lengkap.",
        "unique_value": "Jejak asal setiap lot sampai ke desa petani.",
    }, [
        ("Cengkeh Kering Grade A", "090710", "rempah", 500, "kg", 145000, 165000, "kg", "8 ton per bulan"),
        ("Pala Biji Utuh ABCD", "090811", "rempah", 300, "kg", 120000, 140000, "kg", "5 ton per bulan"),
        ("Kayu Manis Stick 8 cm", "090611", "rempah", 1000, "kg", 42000, 55000, "kg", "10 ton per bulan"),
        ("Lada Hitam Asalan", "090411", "rempah", 500, "kg", 68000, 75000, "kg", "3 ton per bulan"),
    ]),
    ("kopi.gayo@sanggar.test", "Koperasi Kopi Gayo Lestari", "Aceh", "Aceh Tengah", "aggregator", "verified", 0, {
        "legal_form": "koperasi", "business_field": "kopi_teh", "main_products": "Kopi arabika Gayo green bean",
        "year_founded": 2011, "capacity": "12 ton per bulan saat panen", "address": "Jl. Takengon–Isaq No. 21",
        "pic_name": "Rahmah Aman", "whatsapp": "081277700011", "business_email": "koperasi@gayolestari.id",
        "short_description": "Koperasi 420 petani arabika Gayo, proses full wash dan natural, grade 1 specialty.",
    }, [("Arabika Gayo Full Wash Grade 1", "090111", "kopi_teh", 300, "kg", 135000, 160000, "kg", "12 ton/bulan")]),
    ("mebel.jepara@sanggar.test", "UD Jati Ukir Jepara", "Jawa Tengah", "Jepara", "pabrik", "limited", 0, {
        "legal_form": "ud", "business_field": "furnitur", "main_products": "Kursi dan meja jati ukir, set teras",
        "capacity": "2 kontainer 40 ft per bulan", "address": "Desa Mulyoharjo RT 03 RW 02",
        "pic_name": "Slamet Riyadi", "whatsapp": "081355500022", "business_email": "jatiukir@gmail.com",
        "short_description": "Bengkel ukir jati sejak 1998, kayu bersertifikat SVLK, finishing natural dan duco.",
    }, []),
    ("koperasi.ntt@sanggar.test", "Koperasi Tenun Ikat Sumba", "Nusa Tenggara Timur", "Sumba Timur", "aggregator",
     "waiting_review", 0, {
        "legal_form": "koperasi", "business_field": "tekstil", "main_products": "Kain tenun ikat Sumba, selendang",
        "address": "Jl. Ahmad Yani No. 5, Waingapu", "pic_name": "Maria Ndapa", "whatsapp": "081233300033",
        "business_email": "tenunsumba@gmail.com",
        "short_description": "Menghimpun 85 penenun perempuan di Sumba Timur dengan pewarna alam.",
    }, []),
    ("seafood.bitung@sanggar.test", "PT Samudra Bitung Makmur", "Sulawesi Utara", "Bitung", "pabrik",
     "recommended", 0, {
        "legal_form": "pt", "business_field": "perikanan", "main_products": "Tuna loin beku, ikan kayu (katsuobushi)",
        "capacity": "40 ton per bulan", "address": "Kawasan Industri Perikanan Samudera, Aertembaga",
        "pic_name": "Hendra Wowor", "whatsapp": "081244400044", "business_email": "sales@samudrabitung.co.id",
        "short_description": "Unit pengolahan ikan dengan cold storage 200 ton dan sertifikat HACCP.",
    }, []),
    ("umkm.keripik@sanggar.test", "Keripik Tempe Bu Sri", "Jawa Timur", "Malang", "", "draft", 0, {}, []),
]  # fmt: skip


def _logo(text: str, color: tuple[int, int, int]):
    from django.core.files.uploadedfile import SimpleUploadedFile

    image = Image.new("RGB", (240, 240), color)
    draw = ImageDraw.Draw(image)
    draw.text((90, 110), text[:2].upper(), fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def _user(email, name, province, city):
    from allauth.account.models import EmailAddress

    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name, province=province,
                                        city=city)  # fmt: skip
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    UserRole.objects.get_or_create(user=user, role=Role.MEMBER)
    user.__dict__.pop("role_set", None)
    return user


def seed(*, log):
    admin = User.objects.filter(email="admin@sanggar.test").first()
    mentor = User.objects.filter(email="mentor@sanggar.test").first()
    if not (admin and mentor):
        log("demo admin/mentor missing; no demo suppliers")
        return
    if Supplier.objects.exists():
        log("demo suppliers already there")
        return
    services.settings_get()
    for i, (type_, text, options) in enumerate(QUESTIONS):
        if not AssessmentQuestion.objects.filter(text=text).exists():
            services.question_create(actor=mentor, supplier_type=type_, text=text, options=options, order=i)
    for name, days, price, commission in (("Premium 1 Bulan", 30, 149000, 20), ("Premium 12 Bulan", 365, 1490000, 20)):
        if not SupplierPlan.objects.filter(name=name).exists():
            services.plan_save(actor=admin, name=name, duration_days=days, price=price, commission_percent=commission)
    colors = [(143, 45, 30), (92, 64, 51), (120, 80, 40), (60, 90, 140), (20, 100, 120), (150, 120, 30)]
    for index, (email, name, province, city, type_, final, premium_days, profile, products) in enumerate(SUPPLIERS):
        user = _user(email, name, province, city)
        supplier = services.supplier_register(user=user)
        if not type_:
            continue
        services.supplier_set_type(supplier=supplier, actor=user, supplier_type=type_)
        data = {"company_name": name, "province": province, "city": city, **profile}
        for tab, fields in services.TABS.items():
            services.profile_update(supplier=supplier, actor=user, tab=tab,
                                    data={k: v for k, v in data.items() if k in fields})  # fmt: skip
        services.file_add(supplier=supplier, actor=user, kind="logo", file=_logo(name.split()[-1], colors[index]))
        answers = {q.pk: list(q.options.all())[-1].pk for q in services.questions_for(type_)}
        services.answers_save(supplier=supplier, actor=user, answers=answers)
        services.supplier_submit(supplier=supplier, actor=user)
        if final == "waiting_review":
            continue
        services.mentor_note(supplier=supplier, actor=mentor, note="Profil lengkap, foto gudang jelas.")
        services.mentor_recommend(supplier=supplier, actor=mentor,
                                  note="Usaha berjalan dan kapasitas sesuai. Direkomendasikan.")  # fmt: skip
        if final == "recommended":
            continue
        reason = {"verified": "Legalitas (NIB, NPWP) sesuai dan profil lengkap.",
                  "limited": "Profil lengkap; NIB belum diunggah. Status akan ditingkatkan setelah legalitas "
                  "lengkap."}[final]  # fmt: skip
        services.admin_decide(supplier=supplier, actor=admin, status=final, reason=reason)
        supplier.refresh_from_db()
        if premium_days:
            services.premium_extend(supplier=supplier, days=premium_days, source=PremiumPeriod.Source.ADMIN,
                                    actor=admin, now=timezone.now())  # fmt: skip
            supplier.refresh_from_db()
            # a premium supplier answers a new chat at once with its auto-reply
            services.auto_reply_set(supplier=supplier, actor=user, text=(
                f"Terima kasih sudah menghubungi {name}. Kami membalas dalam 1×24 jam kerja; sebutkan produk, "
                "volume dan negara tujuan Anda."))  # fmt: skip
            if email in ENGLISH:
                services.profile_update(supplier=supplier, actor=user, tab="inggris", data=ENGLISH[email])
        for title, hs, field, moq, unit, pmin, pmax, punit, capacity in products:
            services.product_save(supplier=supplier, actor=user, data={
                "title": title, "hs_code": hs, "categories": [field], "moq": moq, "moq_unit": unit, "price_min": pmin,
                "price_max": pmax, "price_unit": punit, "capacity": capacity, "status": "active",
                "title_en": TITLES_EN.get(title, "") if premium_days else "",
                "description": f"<p>{title} dari {name}, {city}. Spesifikasi dan sampel tersedia atas permintaan. "
                "Harga FOB Makassar/Surabaya, tergantung volume.</p>",
            })  # fmt: skip
    log(f"{Supplier.objects.count()} demo suppliers, {AssessmentQuestion.objects.count()} assessment questions, "
        f"{SupplierPlan.objects.count()} Premium packages")  # fmt: skip
