"""Demo data of the export directory (after the plans' demo): the quota table for the demo plans, international
buyers, forwarders with rate cards, member directory cards, a member's opened / saved buyers, a report and a
packing list. Built through the services; running it twice changes nothing."""

from sanggar.accounts.models import User
from sanggar.catalog.models import MembershipPlan

from . import buyer_services, document_services, forwarder_services, profile_services
from . import services as shared
from .constants import KIND_BUYER, KIND_EXPORT_DOCUMENT, KIND_FORWARDER
from .models import Buyer

BUYERS = [
    (
        "Tokyo Bean Trading Co., Ltd.",
        "JP",
        "Tokyo",
        "Kopi arabika Gayo, kopi robusta Lampung",
        "0901",
        "8 kontainer 20ft / tahun",
        "medium",
        "T/T 30% DP, 70% sebelum kapal berangkat",
        "FOB",
        "Takeshi Yamada",
        "purchasing@tokyobean.example",
        "+81 3 5412 7788",
        "+81 90 3321 4455",
        "tokyobean.example",
        "2-14-1 Minato-ku, Tokyo",
        "ITPC Osaka",
        True,
        5,
    ),
    (
        "Al Noor Spices LLC",
        "AE",
        "Dubai",
        "Cengkih, pala, kayu manis",
        "0907, 0908, 0906",
        "3 kontainer 40ft / bulan",
        "large",
        "L/C at sight",
        "CIF",
        "Omar Haddad",
        "omar@alnoorspices.example",
        "+971 4 339 1200",
        "+971 50 441 2290",
        "alnoorspices.example",
        "Al Ras, Deira, Dubai",
        "Gulfood 2026",
        True,
        4,
    ),
    (
        "Cacao Holland B.V.",
        "NL",
        "Amsterdam",
        "Biji kakao fermentasi, cocoa butter",
        "1801, 1804",
        "500 ton / tahun",
        "large",
        "CAD 30 hari",
        "FOB",
        "Pieter de Vries",
        "sourcing@cacaoholland.example",
        "+31 20 555 0192",
        "+31 6 1234 9876",
        "cacaoholland.example",
        "Westhaven 12, Amsterdam",
        "Atase Perdagangan Den Haag",
        True,
        5,
    ),
    (
        "Pacific Home Furnishing Inc.",
        "US",
        "Los Angeles",
        "Furnitur rotan, furnitur jati outdoor",
        "9401, 9403",
        "2 kontainer 40HC / bulan",
        "medium",
        "T/T 50% DP",
        "FOB",
        "Jennifer Lee",
        "buying@pacifichome.example",
        "+1 213 555 0148",
        "",
        "pacifichome.example",
        "1200 S Alameda St, Los Angeles",
        "Las Vegas Market",
        False,
        None,
    ),
    (
        "Riyadh Food Import Co.",
        "SA",
        "Riyadh",
        "Minyak kelapa, kelapa parut kering",
        "1513, 0801",
        "4 kontainer 20ft / bulan",
        "large",
        "L/C 60 hari",
        "CFR",
        "Faisal Al-Qahtani",
        "import@riyadhfood.example",
        "+966 11 464 3300",
        "+966 55 210 8890",
        "riyadhfood.example",
        "Al Malaz, Riyadh",
        "Saudi Food Show",
        True,
        4,
    ),
    (
        "Seoul Fresh Fruits Co.",
        "KR",
        "Seoul",
        "Manggis, salak, nanas segar",
        "0804, 0810",
        "1 kontainer reefer / minggu",
        "medium",
        "T/T setelah barang tiba",
        "CIF",
        "Kim Min-jun",
        "minjun@seoulfresh.example",
        "+82 2 3456 7890",
        "+82 10 9876 5432",
        "seoulfresh.example",
        "Garak Market, Songpa-gu, Seoul",
        "ITPC Busan",
        False,
        3,
    ),
    (
        "Hamburg Tea Kontor GmbH",
        "DE",
        "Hamburg",
        "Teh hitam, teh hijau curah",
        "0902",
        "120 ton / tahun",
        "medium",
        "CAD",
        "FOB",
        "Lena Schmidt",
        "lena.schmidt@teakontor.example",
        "+49 40 3070 1122",
        "",
        "teakontor.example",
        "Speicherstadt 5, Hamburg",
        "BioFach 2026",
        True,
        4,
    ),
    (
        "Shanghai Seaweed Industrial Ltd.",
        "CN",
        "Shanghai",
        "Rumput laut kering (Eucheuma cottonii)",
        "1212",
        "1.000 ton / tahun",
        "large",
        "L/C at sight",
        "CFR",
        "Zhang Wei",
        "zhangwei@shseaweed.example",
        "+86 21 6888 1234",
        "",
        "shseaweed.example",
        "Pudong New Area, Shanghai",
        "China Food Expo",
        False,
        None,
    ),
    (
        "Sydney Organic Wholesale Pty Ltd",
        "AU",
        "Sydney",
        "Gula kelapa organik, madu hutan",
        "1702, 0409",
        "2 kontainer 20ft / kuartal",
        "small",
        "T/T 30% DP",
        "DAP",
        "Chloe Wilson",
        "chloe@sydneyorganic.example",
        "+61 2 9555 0123",
        "+61 412 555 678",
        "sydneyorganic.example",
        "Alexandria NSW 2015",
        "Fine Food Australia",
        True,
        4,
    ),
    (
        "Istanbul Textile Trading A.Ş.",
        "TR",
        "Istanbul",
        "Kain batik, tenun ikat",
        "5208, 6304",
        "20.000 meter / tahun",
        "small",
        "T/T",
        "EXW",
        "Mehmet Yılmaz",
        "mehmet@istextile.example",
        "+90 212 555 1144",
        "",
        "istextile.example",
        "Laleli, Fatih, Istanbul",
        "Pameran Trade Expo Indonesia",
        False,
        None,
    ),
    (
        "Cairo Coffee Roasters",
        "EG",
        "Kairo",
        "Kopi robusta grade 1",
        "0901",
        "5 kontainer 20ft / tahun",
        "medium",
        "L/C 30 hari",
        "CIF",
        "Ahmed Mansour",
        "ahmed@cairocoffee.example",
        "+20 2 2735 8899",
        "+20 100 123 4567",
        "cairocoffee.example",
        "Heliopolis, Kairo",
        "ITPC Kairo",
        True,
        3,
    ),
    (
        "Kuala Lumpur Snack Distributors Sdn Bhd",
        "MY",
        "Kuala Lumpur",
        "Keripik singkong, kerupuk udang",
        "1905, 2008",
        "1 kontainer 40ft / bulan",
        "medium",
        "T/T 14 hari",
        "FOB",
        "Nurul Aisyah",
        "aisyah@klsnack.example",
        "+60 3 2141 5566",
        "+60 12 345 6789",
        "klsnack.example",
        "Jalan Ipoh, Kuala Lumpur",
        "SIAL Interfood Jakarta",
        False,
        None,
    ),
    (
        "Lyon Artisan Décor SARL",
        "FR",
        "Lyon",
        "Kerajinan anyaman pandan, keranjang bambu",
        "4602",
        "4 kontainer 20ft / tahun",
        "small",
        "T/T 40% DP",
        "FOB",
        "Camille Martin",
        "camille@lyondecor.example",
        "+33 4 7855 1200",
        "",
        "lyondecor.example",
        "Rue de la République, Lyon",
        "Maison&Objet",
        False,
        None,
    ),
    (
        "Mumbai Spice Exports Pvt Ltd",
        "IN",
        "Mumbai",
        "Lada hitam, vanili",
        "0904, 0905",
        "300 ton / tahun",
        "large",
        "L/C at sight",
        "CFR",
        "Rahul Mehta",
        "rahul@mumbaispice.example",
        "+91 22 6654 3210",
        "+91 98200 12345",
        "mumbaispice.example",
        "Masjid Bunder, Mumbai",
        "Gulfood 2026",
        True,
        4,
    ),
    (
        "Vancouver Seafood Importers Ltd.",
        "CA",
        "Vancouver",
        "Udang vaname beku, tuna loin",
        "0306, 0304",
        "2 kontainer reefer / bulan",
        "medium",
        "CAD",
        "CFR",
        "Michael Brown",
        "mbrown@vanseafood.example",
        "+1 604 555 0199",
        "",
        "vanseafood.example",
        "Granville Island, Vancouver",
        "Seafood Expo North America",
        False,
        None,
    ),
]


def seed(*, log):
    admin = User.objects.filter(email="admin@sanggar.test").first()
    mentor = User.objects.filter(email="mentor@sanggar.test").first()
    member = User.objects.filter(email="member@sanggar.test").first()
    if not (admin and mentor and member):
        log("demo accounts missing; no directory demo")
        return
    if Buyer.objects.exists():
        log("directory demo already there")
        return
    # The quota table (PRODUCT.md: free 5, 6 months 20, 12 months 100, lifetime unlimited; documents free 3).
    plans = {p.slug: p for p in MembershipPlan.objects.filter(slug__in=("6-bulan", "12-bulan", "lifetime"))}
    shared.quota_set(actor=admin, kind=KIND_BUYER, plan=None, monthly_limit=5)
    shared.quota_set(actor=admin, kind=KIND_FORWARDER, plan=None, monthly_limit=5)
    shared.quota_set(actor=admin, kind=KIND_EXPORT_DOCUMENT, plan=None, monthly_limit=3)
    for slug, limit in (("6-bulan", 20), ("12-bulan", 100), ("lifetime", None)):
        if slug in plans:
            shared.quota_set(actor=admin, kind=KIND_BUYER, plan=plans[slug], monthly_limit=limit)
    keys = ("company", "country", "city", "products", "hs_codes", "annual_volume", "business_scale",
            "payment_terms", "shipping_terms", "contact_person", "email", "phone", "whatsapp", "website", "address",
            "source", "is_verified", "rating")  # fmt: skip
    buyers = []
    for index, row in enumerate(BUYERS):
        actor = mentor if index % 3 == 2 else admin
        buyers.append(buyer_services.buyer_create(actor=actor, data=dict(zip(keys, row, strict=True))))
    # Forwarders with rate cards.
    forwarders = [
        (
            "PT Samudera Kargo Nusantara",
            "Jakarta Utara",
            "DKI Jakarta",
            ["fcl", "lcl", "customs", "documents"],
            "Tanjung Priok",
            "Asia Timur, Timur Tengah, Eropa",
            "Hendra Wijaya",
            "ops@samuderakargo.example",
            "+62 21 4390 1122",
            "+62 812 1111 2233",
            True,
        ),
        (
            "PT Garuda Air Freight Logistik",
            "Tangerang",
            "Banten",
            ["air", "courier", "customs"],
            "Bandara Soekarno-Hatta",
            "Asia, Australia, Amerika",
            "Rudi Hartono",
            "sales@garudaair.example",
            "+62 21 5591 7788",
            "+62 813 2222 3344",
            True,
        ),
        (
            "CV Perak Jaya Shipping",
            "Surabaya",
            "Jawa Timur",
            ["fcl", "lcl", "fumigation", "trucking"],
            "Tanjung Perak",
            "Asia Tenggara, Tiongkok, Timur Tengah",
            "Dewi Lestari",
            "cs@perakjaya.example",
            "+62 31 329 4455",
            "+62 811 3333 4455",
            False,
        ),
        (
            "PT Belawan Ekspres Logistik",
            "Medan",
            "Sumatera Utara",
            ["fcl", "warehouse", "customs"],
            "Belawan",
            "India, Timur Tengah, Eropa",
            "Ahmad Siregar",
            "info@belawanekspres.example",
            "+62 61 694 1200",
            "",
            False,
        ),
    ]
    made = []
    for name, city, province, services_, ports, routes, person, email, phone, wa, verified in forwarders:
        made.append(
            forwarder_services.forwarder_save(
                actor=admin,
                data={
                    "name": name,
                    "city": city,
                    "province": province,
                    "services": services_,
                    "ports": ports,
                    "routes": routes,
                    "contact_person": person,
                    "email": email,
                    "phone": phone,
                    "whatsapp": wa,
                    "is_verified": verified,
                    "is_active": True,
                    "description": f"{name} melayani ekspor dari {ports} ke {routes}.",
                },
            )  # fmt: skip
        )
    rates = [
        (0, "Tanjung Priok", "Tokyo", "JP", "fcl20", 14_500_000, 12),
        (0, "Tanjung Priok", "Tokyo", "JP", "fcl40", 24_000_000, 12),
        (2, "Tanjung Perak", "Tokyo", "JP", "fcl20", 13_800_000, 14),
        (0, "Tanjung Priok", "Jebel Ali", "AE", "fcl20", 17_200_000, 18),
        (3, "Belawan", "Jebel Ali", "AE", "fcl20", 15_900_000, 16),
        (0, "Tanjung Priok", "Rotterdam", "NL", "fcl40", 41_500_000, 30),
        (1, "Soekarno-Hatta", "Narita", "JP", "air", 62_000, 2),
        (1, "Soekarno-Hatta", "Los Angeles", "US", "air", 98_000, 4),
        (2, "Tanjung Perak", "Shanghai", "CN", "lcl", 1_350_000, 9),
        (0, "Tanjung Priok", "Shanghai", "CN", "lcl", 1_200_000, 8),
    ]
    for index, origin, destination, country, mode, price, days in rates:
        forwarder_services.rate_save(
            actor=admin, forwarder=made[index],
            data={"origin_port": origin, "destination_port": destination, "destination_country": country,
                  "mode": mode, "price": price, "transit_days": days},
        )  # fmt: skip
    # Member directory cards.
    profile_services.profile_save(
        user=member,
        data={"is_listed": True, "business_name": "Maya Kopi Semarang", "headline": "Eksportir kopi robusta Temanggung",
              "products": "Kopi robusta, kopi luwak", "interests": "kopi, 0901, kakao", "npwp": "01.234.567.8-901.000",
              "address": "Jl. Pandanaran No. 21, Semarang, Jawa Tengah", "show_city": True, "show_products": True,
              "show_bio": True, "show_whatsapp": True, "show_email": False},
    )  # fmt: skip
    for email, business, headline, products in (
        ("mentor@sanggar.test", "Andi Export Academy", "Mentor ekspor rempah dan kopi", "Konsultasi ekspor"),
        ("supplier@sanggar.test", "CV Rempah Nusantara", "Produsen cengkih dan pala Maluku", "Cengkih, pala, lada"),
        ("affiliate@sanggar.test", "Dinda Craft Bali", "Kerajinan anyaman untuk pasar Eropa", "Keranjang, tas rotan"),
    ):
        user = User.objects.filter(email=email).first()
        if user:
            profile_services.profile_save(
                user=user,
                data={"is_listed": True, "business_name": business, "headline": headline, "products": products,
                      "show_city": True, "show_products": True, "show_bio": True, "show_whatsapp": False},
            )  # fmt: skip
    # The member opened two buyers this month, saved one, and reported one.
    for buyer in (buyers[0], buyers[2]):
        buyer_services.buyer_open(user=member, buyer=buyer)
    buyer_services.buyer_like(user=member, buyer=buyers[0], liked=True)
    # She opened a forwarder's contact, shipped with it, and rated it (ratings need an opened contact).
    if not shared.may_rate(user=member, kind=KIND_FORWARDER, object_id=made[0].pk):
        forwarder_services.forwarder_open(user=member, forwarder=made[0])
    shared.rating_save(
        user=member, kind=KIND_FORWARDER, object_id=made[0].pk, stars=5,
        comment="Respons cepat, dokumen B/L beres dalam dua hari. Kontainer 20 ft kopi kami tiba di Tokyo tepat waktu.",
    )  # fmt: skip
    buyer_services.buyer_like(user=member, buyer=buyers[10], liked=True)
    buyer_services.buyer_report(
        user=member, buyer=buyers[5], reason="wrong_contact",
        detail="Email purchasing sudah tidak aktif, dibalas otomatis 'mailbox not found'.",
    )  # fmt: skip
    # The admins' templates of the invoices (printed on the PDFs; the notes start each new invoice).
    for kind in ("proforma_invoice", "commercial_invoice"):
        document_services.document_template_save(
            actor=admin, kind=kind,
            data={"header": "Dokumen dibuat melalui Direktori Ekspor Sanggar",
                  "notes": "Country of origin: Indonesia.",
                  "terms": "Prices are valid for 30 days. Payment by T/T to the exporter's account stated above.",
                  "footer": "Draf dokumen ekspor — periksa kembali sebelum dikirim ke buyer."},
        )  # fmt: skip
    document_services.document_create(
        user=member, kind="packing_list",
        data={"buyer": buyers[0].pk, "port_of_loading": "Tanjung Emas, Semarang", "port_of_discharge": "Tokyo",
              "vessel": "MV Meratus Jayawijaya"},
        items=[{"description": "Robusta coffee beans grade 1, 60 kg jute bags", "hs_code": "090111", "quantity": "320",
                "unit": "bag", "net_weight": "19200", "gross_weight": "19520"}],
    )  # fmt: skip
    log(f"{len(buyers)} demo buyers, {len(made)} forwarders, 4 member cards, 1 packing list")
