"""Demo data: testimonials (for Gold, Platinum, the export e-book and every sales page) and two weeks of sales-page
visits for the active plans, so /admin/analytics shows a conversion from visits. No pixel IDs (they would send real
visitors' data to someone's account)."""

from datetime import timedelta

from django.utils import timezone

from sanggar.catalog.models import MembershipPlan, Product

from .models import SalesPageVisit, Testimonial

TESTIMONIALS = (
    (
        "Rina Wulandari",
        "Eksportir kopi, Medan",
        "Tiga bulan ikut Gold, order pertama saya ke Jepang akhirnya "
        "terkirim. Mentornya membimbing sampai dokumen COO dan invoice beres.",
        5,
        "plan",
        "gold",
    ),
    (
        "Andi Saputra",
        "Pemilik UMKM rotan, Cirebon",
        "Materi buyer sourcing-nya praktis. Sekarang saya rutin dapat inquiry dari Belanda lewat LinkedIn.",
        5,
        "plan",
        "platinum",
    ),
    (
        "Dewi Lestari",
        "Reseller rempah, Makassar",
        "Ebook-nya ringkas dan langsung bisa dipraktikkan untuk menghitung harga FOB.",
        4,
        "product",
        "ebook-panduan-ekspor-pemula",
    ),
    (
        "Yusuf Hidayat",
        "Mahasiswa, Yogyakarta",
        "Komunitasnya aktif, tiap minggu ada sesi tanya jawab. Worth it untuk pemula seperti saya.",
        5,
        "",
        "",
    ),
    (
        "Maria Tan",
        "Eksportir kerajinan, Bali",
        "Template kontrak dan packing list-nya menghemat waktu saya berhari-hari.",
        4,
        "",
        "",
    ),
)
VISITS_PER_DAY = {"gold": 46, "platinum": 21, "silver": 33, "12-bulan": 28, "6-bulan": 17, "lifetime": 9}


def seed(*, log) -> None:
    made = 0
    for order, (name, role_city, text, rating, kind, slug) in enumerate(TESTIMONIALS):
        target = {}
        if kind == "plan":
            target["plan"] = MembershipPlan.objects.filter(slug=slug).first()
        elif kind == "product":
            target["product"] = Product.objects.filter(slug=slug).first()
        if kind and not any(target.values()):
            continue
        _, created = Testimonial.objects.get_or_create(
            name=name, defaults={"role_city": role_city, "text": text, "rating": rating, "sort_order": order, **target}
        )
        made += created
    log(f"{made} testimoni dibuat.")

    today = timezone.localdate()
    rows = 0
    for plan in MembershipPlan.objects.filter(slug__in=VISITS_PER_DAY):
        base = VISITS_PER_DAY[plan.slug]
        for back in range(14):
            day = today - timedelta(days=back)
            count = base + (back * 7 + plan.pk * 3) % 11 - 5  # a realistic day-to-day variation
            _, created = SalesPageVisit.objects.get_or_create(
                day=day, page=f"plan:{plan.pk}", defaults={"plan": plan, "count": max(count, 1)}
            )
            rows += created
    log(f"{rows} baris kunjungan halaman penjualan dibuat.")
