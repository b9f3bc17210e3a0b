"""Suppliers API for the Flutter apps: the members' directory, a supplier's profile and products, likes and
"Hubungi Supplier" (chat); the supplier's own onboarding (register, type, profile tabs, documents and photos,
assessment, submit), products and statistics; the mentors' review and the admins' decision. Pages and these call
the same services. Contacts (WhatsApp, email, PIC) are never in a member's answer: members reach a supplier through
chat."""

from datetime import datetime
from typing import Literal

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field, field_validator, model_validator

from sanggar.api.auth import jwt_auth
from sanggar.api.idempotency import idempotent
from sanggar.api.schemas import ErrorOut
from sanggar.core.exceptions import NotAllowed, NotFound
from sanggar.core.request_context import client_ip
from sanggar.core.site import absolute
from sanggar.directory import services as directory
from sanggar.directory.api import DirectoryRatingIn, DirectoryRatingsOut, ratings_data
from sanggar.directory.constants import FEATURE_SUPPLIER
from sanggar.directory.gating import feature_api

from . import chat_allowance, hooks, selectors, services
from .constants import API_PAGE_SIZE, DocumentKind, ProductStatus, Status
from .kinds import KIND
from .models import AssessmentAnswer, Supplier, SupplierFile, SupplierProduct

router = Router(tags=["supplier"], auth=jwt_auth)
API_ORDER = 67

W = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
R = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

TYPES = Literal["", "produsen", "pabrik", "manufaktur", "trader", "exporter", "supplier", "aggregator"]
FIELDS = Literal["", "pertanian", "rempah", "kopi_teh", "perikanan", "makanan", "kerajinan", "furnitur", "tekstil",
                 "kosmetik", "kimia", "lainnya"]  # fmt: skip


class SupplierDirectoryFilters(Schema):
    q: str = Field(default="", max_length=100)
    hs: str = Field(default="", max_length=10, pattern=r"^[0-9]*$")
    province: str = Field(default="", max_length=64)
    type: TYPES = ""
    category: FIELDS = ""
    status: Literal["", "verified", "limited"] = ""
    premium: bool = False
    page: int = Field(default=1, ge=1, le=100_000)


class SupplierRatingOut(Schema):
    average: float | None = Field(description="Rata-rata bintang (1–5, satu desimal) dari member; null bila belum ada.")
    count: int


class SupplierCardOut(Schema):
    slug: str
    company_name: str
    supplier_type: str
    business_field: str
    province: str
    city: str
    main_products: str
    verified: bool
    premium: bool
    logo_url: str | None
    url: str
    rating: SupplierRatingOut


class SupplierPageOut(Schema):
    count: int
    next_page: int | None
    results: list[SupplierCardOut]


class SupplierProductOut(Schema):
    id: int
    slug: str
    title: str
    title_en: str
    description_html: str
    hs_code: str
    moq: int | None
    moq_unit: str
    price_min: int | None
    price_max: int | None
    price_unit: str
    capacity: str
    categories: list[str]
    status: str
    views: int
    likes: int
    liked: bool
    images: list[str]
    catalogues: list[str]


class SupplierCompanyContactOut(Schema):
    masked: bool = Field(description="true: disamarkan di server sampai dibuka dengan kuota bulan ini.")
    pic_name: str
    pic_position: str
    whatsapp: str
    business_email: str
    website: str
    address: str


class SupplierEnglishOut(Schema):
    main_products: str
    short_description: str
    strengths: str
    unique_value: str


class SupplierDetailOut(SupplierCardOut):
    legal_form: str
    year_founded: int | None
    capacity: str
    short_description: str
    strengths: str
    unique_value: str
    website: str | None = Field(description="Hanya untuk supplier Premium.")
    banner_url: str | None
    photos: list[str]
    verified_documents: list[str]
    can_receive_chat: bool
    contact: SupplierCompanyContactOut
    quota: str
    products: list[SupplierProductOut]
    ratings: DirectoryRatingsOut
    english: SupplierEnglishOut | None = Field(
        description="Versi bahasa Inggris yang ditulis supplier Premium (null bila tidak ada); field kosong berarti "
        "pakai teks Indonesia."
    )


class SupplierContactOut(Schema):
    conversation_id: int


class SupplierContactQuery(Schema):
    product: int | None = Field(default=None, ge=1, le=2**62, description="Id produk yang ditanyakan (opsional).")


class SupplierContactOpenOut(Schema):
    contact: SupplierCompanyContactOut
    quota: str = Field(description='mis. "3 dari 5 kontak supplier bulan ini"')


class SupplierReportIn(Schema):
    reason: Literal["wrong_contact", "wrong_data", "duplicate", "fake", "closed", "other"]
    detail: str = Field(default="", max_length=1000)


class SupplierReportOut(Schema):
    id: int


class SupplierLikeOut(Schema):
    liked: bool
    likes: int


def _file_url(item) -> str:
    return absolute(reverse("suppliers:file", args=[item.pk]))


def _card(s: Supplier, *, premium: bool | None = None, rating=None) -> dict:
    logo = (getattr(s, "logo_files", None) or [None])[0]
    if rating is None:
        rating = directory.rating_summary(kind=KIND, object_id=s.pk)
    return {
        "rating": {"average": rating.average, "count": rating.count},
        "slug": s.slug, "company_name": s.company_name, "supplier_type": s.supplier_type,
        "business_field": s.business_field, "province": s.province, "city": s.city, "main_products": s.main_products,
        "verified": s.status == Status.VERIFIED,
        "premium": bool(getattr(s, "is_premium_now", None)) if premium is None else premium,
        "logo_url": _file_url(logo) if logo else None, "url": absolute(reverse("suppliers:profile", args=[s.slug])),
    }  # fmt: skip


def _cards(rows) -> list[dict]:
    """The cards of a list page with the members' average rating and count (one query for the page)."""
    ratings = directory.rating_summaries(kind=KIND, object_ids=[s.pk for s in rows])
    empty = directory.RatingSummary(average=None, count=0)
    return [_card(s, rating=ratings.get(s.pk, empty)) for s in rows]


def _product(p, *, with_drafts=False) -> dict:
    files = getattr(p, "all_files", None)
    if files is None:
        files = list(p.files.all())
    cats = getattr(p, "category_rows", None)
    if cats is None:
        cats = list(p.categories.all())
    return {
        "id": p.pk, "slug": p.slug, "title": p.title, "title_en": p.title_en, "description_html": p.description,
        "hs_code": p.hs_code, "moq": p.moq, "moq_unit": p.moq_unit, "price_min": p.price_min, "price_max": p.price_max,
        "price_unit": p.price_unit, "capacity": p.capacity, "categories": [c.code for c in cats], "status": p.status,
        "views": p.views_count, "likes": p.likes_count, "liked": bool(getattr(p, "liked", False)),
        "images": [_file_url(f) for f in files if f.kind == SupplierFile.Kind.PRODUCT_IMAGE],
        "catalogues": [_file_url(f) for f in files if f.kind == SupplierFile.Kind.CATALOGUE],
    }  # fmt: skip


@router.get("/suppliers", response={200: SupplierPageOut, **R}, summary="Direktori supplier")
@feature_api(FEATURE_SUPPLIER)
def supplier_list(request, filters: Query[SupplierDirectoryFilters]):
    qs = selectors.directory(q=filters.q.replace("\x00", "").strip(), hs=filters.hs, province=filters.province,
                             supplier_type=filters.type, field=filters.category, status=filters.status,
                             premium=filters.premium)  # fmt: skip
    count = qs.count()
    start = (filters.page - 1) * API_PAGE_SIZE
    rows = list(qs[start : start + API_PAGE_SIZE]) if start < count else []
    return {"count": count, "next_page": filters.page + 1 if start + API_PAGE_SIZE < count else None,
            "results": _cards(rows)}  # fmt: skip


def _listed(slug: str) -> Supplier:
    supplier = selectors.listed(slug=slug[:60])
    if supplier is None:
        raise NotFound(_("Supplier tidak ditemukan."))
    return supplier


@router.get("/suppliers/{slug}", response={200: SupplierDetailOut, **R}, summary="Profil supplier dan produknya")
@feature_api(FEATURE_SUPPLIER)
def supplier_detail(request, slug: str):
    supplier = _listed(slug)
    services.view_record(supplier=supplier, viewer=request.auth, ip=client_ip(request))
    premium = services.is_premium(supplier)
    files = selectors.public_files(supplier)
    return {
        **_card(supplier, premium=premium),
        "legal_form": supplier.legal_form, "year_founded": supplier.year_founded, "capacity": supplier.capacity,
        "short_description": supplier.short_description, "strengths": supplier.strengths,
        "unique_value": supplier.unique_value, "website": supplier.website if premium else None,
        "banner_url": _file_url(files["banner"]) if files["banner"] else None,
        "photos": [_file_url(p) for p in files["photos"]],
        "verified_documents": [d.kind for d in supplier.documents.filter(status="verified")] if premium else [],
        "can_receive_chat": premium,
        "contact": services.contact_view(supplier=supplier, user=request.auth),
        "quota": directory.quota_status(user=request.auth, kind=KIND).label,
        "products": [_product(p) for p in selectors.products_of(supplier, user=request.auth)[:50]],
        "ratings": ratings_data(request.auth, kind=KIND, object_id=supplier.pk),
        "english": services.english_text(supplier) if premium else None,
    }  # fmt: skip


@router.post(
    "/suppliers/{slug}/rating",
    response={200: DirectoryRatingsOut, **W},
    summary="Beri / perbarui rating supplier (1–5 bintang, setelah membuka kontaknya)",
)
@idempotent
@feature_api(FEATURE_SUPPLIER)
def supplier_rate(request, slug: str, payload: DirectoryRatingIn):
    supplier = _listed(slug)
    directory.rating_save(
        user=request.auth, kind=KIND, object_id=supplier.pk, stars=payload.stars, comment=payload.comment
    )
    return ratings_data(request.auth, kind=KIND, object_id=supplier.pk)


@router.post("/suppliers/{slug}/contact", response={201: SupplierContactOut, **W}, summary="Hubungi supplier (chat)",
             description="Membuka chat dengan supplier Premium. Supplier Free: 403 dengan alasannya (upaya dicatat "
             "tanpa isi untuk pengingat upgrade supplier). `?product=<id>`: produk yang ditanyakan (tercatat sebagai "
             "`context` percakapan, tampil di kepala chat); tanpa itu, supplier-nya.")  # fmt: skip
@idempotent
def supplier_contact(request, slug: str, q: Query[SupplierContactQuery]):
    supplier = _listed(slug)
    item = None
    if q.product is not None:
        item = supplier.products.filter(pk=q.product).first()
        if item is None:
            raise NotFound(_("Produk tidak ditemukan."))
    conversation = services.contact(supplier=supplier, member=request.auth, product=item)
    return 201, {"conversation_id": conversation.pk}


@router.post("/suppliers/{slug}/contact-view", response={200: SupplierContactOpenOut, **W},
             summary="Buka kontak perusahaan (memakai kuota bulanan)",
             description="Pertama kali dalam sebulan memakai 1 kuota; membuka lagi gratis. Kuota habis: 403 dengan "
             "alasan (quota_exhausted / quota_locked) dan sisa kuota.")  # fmt: skip
@idempotent
@feature_api(FEATURE_SUPPLIER)
def supplier_contact_view(request, slug: str):
    contact, status = services.contact_open(supplier=_listed(slug), user=request.auth)
    return {"contact": contact, "quota": status.label}


class SupplierSaveIn(Schema):
    saved: bool


class SupplierSaveOut(Schema):
    saved: bool


@router.post("/suppliers/{slug}/save", response={200: SupplierSaveOut, **W}, summary="Simpan / hapus supplier favorit")
@idempotent
@feature_api(FEATURE_SUPPLIER)
def supplier_save(request, slug: str, payload: SupplierSaveIn):
    return {"saved": services.supplier_save(supplier=_listed(slug), user=request.auth, saved=payload.saved)}


@router.get("/me/supplier-favourites", response={200: SupplierPageOut, **R}, summary="Supplier favorit saya")
@feature_api(FEATURE_SUPPLIER)
def supplier_favourites(request, page: int = Query(1, ge=1, le=100_000)):
    qs = selectors.favourites(user=request.auth)
    count = qs.count()
    start = (page - 1) * API_PAGE_SIZE
    rows = list(qs[start : start + API_PAGE_SIZE]) if start < count else []
    return {"count": count, "next_page": page + 1 if start + API_PAGE_SIZE < count else None,
            "results": _cards(rows)}  # fmt: skip


@router.post("/suppliers/{slug}/report", response={201: SupplierReportOut, **W}, summary="Laporkan data supplier")
@idempotent
@feature_api(FEATURE_SUPPLIER)
def supplier_report(request, slug: str, payload: SupplierReportIn):
    report = services.supplier_report(supplier=_listed(slug), user=request.auth, reason=payload.reason,
                                      detail=payload.detail)  # fmt: skip
    return 201, {"id": report.pk}


@router.post(
    "/supplier-products/{product_id}/like", response={200: SupplierLikeOut, **W}, summary="Suka / batal suka produk"
)
@idempotent
@feature_api(FEATURE_SUPPLIER)
def product_like(request, product_id: int):
    product = SupplierProduct.objects.select_related("supplier", "supplier__user").filter(pk=product_id).first()
    if product is None:
        raise NotFound(_("Produk tidak ditemukan."))
    liked = services.product_like_toggle(product=product, user=request.auth)
    product.refresh_from_db(fields=["likes_count"])
    return {"liked": liked, "likes": product.likes_count}


# --- the supplier's own ------------------------------------------------------------------------------------------


class SupplierChatWeekOut(Schema):
    limit: int | None = Field(description="Chat aktif per minggu paket ini; null = tanpa batas, 0 = tidak bisa chat.")
    used: int
    remaining: int | None
    week_start: str = Field(description="Senin (WIB) awal minggu berjalan, YYYY-MM-DD.")
    resets_on: str


class MySupplierOut(Schema):
    id: int
    slug: str
    status: str
    status_label: str
    supplier_type: str
    premium: bool
    premium_until: datetime | None
    edit_rule: str
    missing: list[str]
    profile: dict[str, str | int | None]
    documents: list[dict]
    limits: dict
    chat_week: SupplierChatWeekOut


class SupplierTypeIn(Schema):
    supplier_type: Literal["produsen", "pabrik", "manufaktur", "trader", "exporter", "supplier", "aggregator"]


class SupplierProfileIn(Schema):
    model_config = {"extra": "forbid"}
    company_name: str | None = Field(default=None, max_length=150)
    legal_form: str | None = Field(default=None, max_length=20)
    business_field: str | None = Field(default=None, max_length=20)
    main_products: str | None = Field(default=None, max_length=300)
    year_founded: int | None = Field(default=None, ge=1900, le=2100)
    capacity: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=300)
    province: str | None = Field(default=None, max_length=64)
    city: str | None = Field(default=None, max_length=100)
    district: str | None = Field(default=None, max_length=100)
    postal_code: str | None = Field(default=None, max_length=5)
    production_address: str | None = Field(default=None, max_length=300)
    pic_name: str | None = Field(default=None, max_length=120)
    pic_position: str | None = Field(default=None, max_length=120)
    whatsapp: str | None = Field(default=None, max_length=20)
    business_email: str | None = Field(default=None, max_length=254)
    website: str | None = Field(default=None, max_length=200)
    instagram: str | None = Field(default=None, max_length=60)
    facebook: str | None = Field(default=None, max_length=100)
    nib: str | None = Field(default=None, max_length=20)
    npwp: str | None = Field(default=None, max_length=25)
    short_description: str | None = Field(default=None, max_length=2000)
    strengths: str | None = Field(default=None, max_length=500)
    unique_value: str | None = Field(default=None, max_length=500)
    main_products_en: str | None = Field(default=None, max_length=300)
    short_description_en: str | None = Field(default=None, max_length=2000)
    strengths_en: str | None = Field(default=None, max_length=500)
    unique_value_en: str | None = Field(default=None, max_length=500)


class SupplierQuestionOut(Schema):
    id: int
    text: str
    options: list[dict]
    chosen: int | None


class SupplierAnswersIn(Schema):
    answers: dict[int, int] = Field(max_length=200, description="id pertanyaan → id pilihan")


class SupplierAssessmentOut(Schema):
    remaining: int
    questions: list[SupplierQuestionOut]


class SupplierProductIn(Schema):
    title: str = Field(max_length=100)
    description: str = Field(default="", max_length=20_000)
    hs_code: str = Field(default="", max_length=13)
    moq: int | None = Field(default=None, ge=1, le=10**9)
    moq_unit: str = Field(default="", max_length=20)
    price_min: int | None = Field(default=None, ge=0, le=10**12)
    price_max: int | None = Field(default=None, ge=0, le=10**12)
    price_unit: str = Field(default="", max_length=20)
    capacity: str = Field(default="", max_length=120)
    categories: list[FIELDS] = Field(default_factory=list, max_length=5)
    status: Literal["draft", "active"] = ProductStatus.DRAFT
    title_en: str = Field(default="", max_length=100)
    description_en: str = Field(default="", max_length=20_000)
    link_url: str = Field(default="", max_length=200)


class SupplierStatsOut(Schema):
    profile_views: int
    product_views: int
    likes: int
    products: int
    views_period: int
    inquiries: int
    refused: int
    reply_rate: int | None
    response_minutes: int | None = None
    detailed: bool
    days: int = Field(30, description="Periode angka kunjungan dan chat, dalam hari (7, 30 atau 90).")
    refused_members: int = Field(0, description="Member berbeda yang mencoba chat saat supplier masih Free.")
    series: list[dict] = []
    rank: int | None = None


def _mine(request) -> Supplier:
    supplier = Supplier.objects.select_related("user").filter(user=request.auth).first()
    if supplier is None:
        raise NotFound(_("Anda belum terdaftar sebagai supplier."))
    return supplier


def _my_data(supplier: Supplier) -> dict:
    profile = {f: getattr(supplier, f) for fields in services.TABS.values() for f in fields}
    return {
        "id": supplier.pk, "slug": supplier.slug, "status": supplier.status,
        "status_label": str(supplier.get_status_display()), "supplier_type": supplier.supplier_type,
        "premium": services.is_premium(supplier), "premium_until": supplier.premium_until,
        "edit_rule": str(services.edit_rule(supplier)),
        "missing": services.missing_for_submit(supplier) if supplier.status in (Status.DRAFT, Status.ONBOARDING)
        else [],
        "profile": profile,
        "documents": [{"id": d.pk, "kind": d.kind, "number": d.number, "status": d.status,
                       "url": absolute(reverse("suppliers:document", args=[d.pk]))} for d in supplier.documents.all()],
        "limits": services.limits(supplier),
        "chat_week": _chat_week(supplier),
    }  # fmt: skip


def _chat_week(supplier: Supplier) -> dict:
    week = chat_allowance.chat_week(supplier)
    return {"limit": week.limit, "used": week.used, "remaining": week.remaining,
            "week_start": week.week.isoformat(), "resets_on": week.resets_on.isoformat()}  # fmt: skip


@router.get("/me/supplier", response={200: MySupplierOut, **R}, summary="Supplier saya (status, profil, kekurangan)")
def me_supplier(request):
    return _my_data(_mine(request))


@router.post("/me/supplier", response={201: MySupplierOut, **W}, summary="Daftar sebagai supplier (status Draft)")
@idempotent
def me_supplier_register(request):
    return 201, _my_data(services.supplier_register(user=request.auth))


@router.post("/me/supplier/type", response={200: MySupplierOut, **W}, summary="Langkah 1: jenis usaha")
@idempotent
def me_supplier_type(request, payload: SupplierTypeIn):
    return _my_data(services.supplier_set_type(supplier=_mine(request), actor=request.auth,
                                               supplier_type=payload.supplier_type))  # fmt: skip


@router.post("/me/supplier/profile/{tab}", response={200: MySupplierOut, **W}, summary="Simpan satu tab profil",
             description="tab: identitas, alamat, kontak, legalitas, profil, inggris (Premium: versi bahasa Inggris "
                         "yang ditulis supplier). Kirim hanya field tab itu.")  # fmt: skip
@idempotent
def me_supplier_profile(request, tab: Literal["identitas", "alamat", "kontak", "legalitas", "profil", "inggris"],
                        payload: SupplierProfileIn):  # fmt: skip
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if k in services.TABS[tab]}
    return _my_data(services.profile_update(supplier=_mine(request), actor=request.auth, tab=tab, data=data))


@router.post("/me/supplier/documents", response={201: MySupplierOut, **W}, summary="Unggah dokumen legalitas",
             description="PDF, PNG atau JPG; isi diperiksa. Dokumen bersifat privat.")  # fmt: skip
@idempotent
def me_supplier_document(request, file: File[UploadedFile], kind: Form[str], number: Form[str] = ""):
    if kind not in DocumentKind.values:
        raise NotFound(_("Jenis dokumen tidak dikenal."))
    supplier = _mine(request)
    services.document_add(supplier=supplier, actor=request.auth, kind=kind, number=number[:80], file=file)
    return 201, _my_data(supplier)


@router.post("/me/supplier/photos", response={201: MySupplierOut, **W}, summary="Unggah logo, banner atau foto usaha")
@idempotent
def me_supplier_photo(request, file: File[UploadedFile], kind: Form[Literal["logo", "banner", "photo"]],
                      caption: Form[str] = ""):  # fmt: skip
    supplier = _mine(request)
    services.file_add(supplier=supplier, actor=request.auth, kind=kind, file=file, caption=caption[:200])
    return 201, _my_data(supplier)


def _assessment(supplier) -> dict:
    questions = list(services.questions_for(supplier.supplier_type)) if supplier.supplier_type else []
    chosen = dict(AssessmentAnswer.objects.filter(supplier=supplier).values_list("question_id", "option_id"))
    return {
        "remaining": sum(1 for q in questions if q.pk not in chosen),
        "questions": [{"id": q.pk, "text": q.text, "chosen": chosen.get(q.pk),
                       "options": [{"id": o.pk, "label": o.label} for o in q.options.all()]} for q in questions],
    }  # fmt: skip


@router.get("/me/supplier/assessment", response={200: SupplierAssessmentOut, **R},
            summary="Pertanyaan asesmen (tanpa skor)")  # fmt: skip
def me_supplier_assessment(request):
    return _assessment(_mine(request))


@router.post("/me/supplier/assessment", response={200: SupplierAssessmentOut, **W}, summary="Simpan jawaban asesmen")
@idempotent
def me_supplier_answers(request, payload: SupplierAnswersIn):
    supplier = _mine(request)
    services.answers_save(supplier=supplier, actor=request.auth, answers=payload.answers)
    return _assessment(supplier)


@router.post("/me/supplier/submit", response={200: MySupplierOut, **W}, summary="Kirim onboarding untuk direview")
@idempotent
def me_supplier_submit(request):
    return _my_data(services.supplier_submit(supplier=_mine(request), actor=request.auth))


@router.get("/me/supplier/products", response={200: list[SupplierProductOut], **R}, summary="Produk saya")
def me_products(request):
    supplier = _mine(request)
    return [_product(p) for p in selectors.products_of(supplier, active_only=False)[:200]]


@router.post("/me/supplier/products", response={201: SupplierProductOut, **W}, summary="Tambah produk")
@idempotent
def me_product_create(request, payload: SupplierProductIn):
    product = services.product_save(supplier=_mine(request), actor=request.auth, data=payload.dict())
    return 201, _product(product)


@router.patch("/me/supplier/products/{product_id}", response={200: SupplierProductOut, **W}, summary="Ubah produk")
@idempotent
def me_product_update(request, product_id: int, payload: SupplierProductIn):
    supplier = _mine(request)
    product = supplier.products.filter(pk=product_id).first()
    if product is None:
        raise NotFound(_("Produk tidak ditemukan."))
    return _product(services.product_save(supplier=supplier, actor=request.auth, product=product, data=payload.dict()))


class DescriptionDraftIn(Schema):
    title: str = Field(max_length=100)
    hs_code: str = Field(default="", max_length=13)
    moq: int | None = Field(default=None, ge=1, le=10**9)
    moq_unit: str = Field(default="", max_length=20)
    price_min: int | None = Field(default=None, ge=0, le=10**12)
    price_max: int | None = Field(default=None, ge=0, le=10**12)
    price_unit: str = Field(default="", max_length=20)
    capacity: str = Field(default="", max_length=120)
    categories: list[FIELDS] = Field(default_factory=list, max_length=5)
    language: Literal["id", "en"] = "id"
    product_id: int | None = Field(default=None, ge=1, description="Produk yang sedang diubah (opsional).")


class DescriptionDraftOut(Schema):
    description_html: str = Field(description="Draf untuk field deskripsi; tidak disimpan sampai supplier menyimpan "
                                  "produk.")  # fmt: skip
    writer: str = Field(description='"template" (lokal, bukan AI) atau "http" (layanan penulis yang dikonfigurasi).')
    writer_label: str
    fallback: bool = Field(description="Layanan yang dikonfigurasi gagal; draf ditulis template.")
    used: int
    limit: int


@router.post("/me/supplier/description-draft", response={200: DescriptionDraftOut, **W},
             summary="Buat draf deskripsi produk dari datanya",
             description="Memakai satu jatah draf bulan ini (admin mengatur jatah Free / Premium). Tidak mengubah "
                         "produk: kirim deskripsinya lewat simpan produk.")  # fmt: skip
@idempotent
def me_description_draft(request, payload: DescriptionDraftIn):
    supplier = _mine(request)
    product = None
    if payload.product_id is not None:
        product = supplier.products.filter(pk=payload.product_id).first()
        if product is None:
            raise NotFound(_("Produk tidak ditemukan."))
    data = payload.dict(exclude={"language", "product_id"})
    draft = services.description_draft(supplier=supplier, actor=request.auth, language=payload.language,
                                       product=product, data=data)  # fmt: skip
    return {"description_html": draft.text, "writer": draft.writer, "writer_label": draft.writer_label,
            "fallback": draft.fallback, "used": draft.used, "limit": draft.limit}  # fmt: skip


class SupplierAutoReplyIn(Schema):
    text: str = Field("", max_length=5000)


class SupplierAutoReplyOut(Schema):
    text: str
    active: bool  # sent now: set, and the supplier is premium and listed


def _auto_reply(supplier: Supplier) -> dict:
    return {"text": supplier.chat_auto_reply, "active": bool(services.auto_reply_for_user(supplier.user))}


@router.get("/me/supplier/auto-reply", response={200: SupplierAutoReplyOut, **R},
            summary="Balasan otomatis chat supplier saya")  # fmt: skip
def me_auto_reply(request):
    return _auto_reply(_mine(request))


@router.put("/me/supplier/auto-reply", response={200: SupplierAutoReplyOut, **W},
            summary="Ubah balasan otomatis chat (Premium)",
            description="Teks kosong mematikannya. Supplier Free: 403 dengan alasannya.")  # fmt: skip
@idempotent
def me_auto_reply_set(request, payload: SupplierAutoReplyIn):
    return _auto_reply(services.auto_reply_set(supplier=_mine(request), actor=request.auth, text=payload.text))


class SupplierStatsQuery(Schema):
    days: int = Field(30, description="7, 30 atau 90.")

    @field_validator("days")
    @classmethod
    def _period(cls, value: int) -> int:
        if value not in selectors.STATS_PERIODS:
            raise ValueError(_("Pilih 7, 30 atau 90 hari."))
        return value


@router.get("/me/supplier/stats", response={200: SupplierStatsOut, **R}, summary="Statistik supplier saya",
            description="`days`: periode angka kunjungan dan chat (7, 30 atau 90 hari; filter periode khusus "
            "Premium, supplier Free selalu 30 hari). `refused` menghitung upaya chat yang tertolak, "
            "`refused_members` member berbeda di baliknya.")  # fmt: skip
def me_stats(request, query: Query[SupplierStatsQuery]):
    supplier = _mine(request)
    premium = services.is_premium(supplier)
    days = selectors.stats_days(query.days, premium=premium)
    stats = selectors.supplier_stats(supplier, days=days, detailed=premium)
    return {**stats, "detailed": premium,
            "series": [{"day": r["day"].isoformat(), "views": r["n"]} for r in stats.get("series", [])]}  # fmt: skip


# --- mentors and admins ------------------------------------------------------------------------------------------


class SupplierReviewQueueFilters(Schema):
    status: Literal["waiting_review", "onboarding", "recommended", "verified", "limited", "suspended"] = (
        "waiting_review"
    )
    page: int = Field(default=1, ge=1, le=100_000)


class SupplierReviewRowOut(Schema):
    id: int
    company_name: str
    email: str
    supplier_type: str
    status: str
    submitted_at: datetime | None


class SupplierReviewPageOut(Schema):
    count: int
    next_page: int | None
    results: list[SupplierReviewRowOut]


class SupplierReviewIn(Schema):
    action: Literal["note", "changes", "recommend"]
    note: str = Field(max_length=4000)


class SupplierDecisionIn(Schema):
    status: Literal["verified", "limited", "suspended"]
    reason: str = Field(max_length=4000)


class SupplierReviewDetailOut(Schema):
    id: int
    status: str
    supplier_type: str
    profile: dict[str, str | int | None]
    assessment_score: int
    answers: list[dict]
    documents: list[dict]
    history: list[dict]


def _reviewer(request):
    if not services.can_review(request.auth):
        raise NotAllowed(_("Hanya mentor dan admin."))
    return request.auth


def _review_detail(supplier) -> dict:
    answers = list(AssessmentAnswer.objects.filter(supplier=supplier).select_related("question", "option"))
    return {
        "id": supplier.pk, "status": supplier.status, "supplier_type": supplier.supplier_type,
        "profile": {f: getattr(supplier, f) for fields in services.TABS.values() for f in fields},
        "assessment_score": sum(a.option.score for a in answers),
        "answers": [{"question": a.question.text, "answer": a.option.label, "score": a.option.score}
                    for a in answers],
        "documents": [{"id": d.pk, "kind": d.kind, "number": d.number, "status": d.status,
                       "url": absolute(reverse("suppliers:document", args=[d.pk]))} for d in supplier.documents.all()],
        "history": [{"action": r.action, "note": r.note, "to_status": r.to_status, "at": r.created_at.isoformat()}
                    for r in supplier.reviews.all()[:30]],
    }  # fmt: skip


@router.get("/mentor/suppliers", response={200: SupplierReviewPageOut, **R}, summary="Antrean review supplier (mentor)")
def review_queue(request, filters: Query[SupplierReviewQueueFilters]):
    _reviewer(request)
    qs = selectors.mentor_queue(status=filters.status)
    count = qs.count()
    start = (filters.page - 1) * API_PAGE_SIZE
    rows = list(qs[start : start + API_PAGE_SIZE]) if start < count else []
    return {"count": count, "next_page": filters.page + 1 if start + API_PAGE_SIZE < count else None,
            "results": [{"id": s.pk, "company_name": s.company_name, "email": s.user.email,
                         "supplier_type": s.supplier_type, "status": s.status, "submitted_at": s.submitted_at}
                        for s in rows]}  # fmt: skip


def _any(pk: int) -> Supplier:
    supplier = Supplier.objects.select_related("user").filter(pk=pk).first()
    if supplier is None:
        raise NotFound(_("Supplier tidak ditemukan."))
    return supplier


@router.get("/mentor/suppliers/{supplier_id}", response={200: SupplierReviewDetailOut, **R},
            summary="Profil dan asesmen supplier (mentor)")  # fmt: skip
def review_detail(request, supplier_id: int):
    _reviewer(request)
    return _review_detail(_any(supplier_id))


@router.post("/mentor/suppliers/{supplier_id}/review", response={200: SupplierReviewDetailOut, **W},
             summary="Catatan, minta perbaikan, atau rekomendasikan (mentor)")  # fmt: skip
@idempotent
def review_action(request, supplier_id: int, payload: SupplierReviewIn):
    actor = _reviewer(request)
    supplier = _any(supplier_id)
    if payload.action == "note":
        services.mentor_note(supplier=supplier, actor=actor, note=payload.note)
    elif payload.action == "changes":
        supplier = services.mentor_request_changes(supplier=supplier, actor=actor, note=payload.note)
    else:
        supplier = services.mentor_recommend(supplier=supplier, actor=actor, note=payload.note)
    return _review_detail(supplier)


@router.post("/admin/suppliers/{supplier_id}/decision", response={200: SupplierReviewDetailOut, **W},
             summary="Tetapkan status supplier (admin)")  # fmt: skip
@idempotent
def admin_decision(request, supplier_id: int, payload: SupplierDecisionIn):
    supplier = services.admin_decide(supplier=_any(supplier_id), actor=request.auth, status=payload.status,
                                     reason=payload.reason)  # fmt: skip
    return _review_detail(supplier)


class SupplierStepOut(Schema):
    on: bool
    days: int


class SupplierSettingsOut(Schema):
    free_max_products: int
    free_max_images: int
    free_max_catalogues: int
    premium_max_products: int
    premium_max_images: int
    premium_max_catalogues: int
    trial_days: int
    free_drafts_month: int
    premium_drafts_month: int
    free_chats_week: int = Field(description="0 = supplier Free tidak bisa chat.")
    premium_chats_week: int = Field(description="0 = tanpa batas.")
    reminders_enabled: bool = Field(
        description="Pengingat upgrade & Premium supplier aktif "
        "(kompatibilitas; jadwal lengkap di /api/v1/admin/reminders?target_type=supplier)."
    )
    reminder_steps: dict[str, SupplierStepOut] = Field(
        description="Jadwal pengingat upgrade per langkah: approved, first_product, refused_chat (days = jeda), "
        "day_1, day_7, day_14, day_30 (kompatibilitas; jadwal lengkap di /api/v1/admin/reminders?target_type=supplier)."
    )
    promo_enabled: bool
    promo_percent: int
    promo_days: int
    spam_words: str
    spam_max_links: int


class SupplierStepIn(Schema):
    on: bool = True
    days: int | str | None = None

    @model_validator(mode="wrap")
    @classmethod
    def _an_object(cls, value, handler):
        if not isinstance(value, dict | cls):  # ninja would read a string's missing attributes as the defaults
            raise ValueError("Setiap langkah pengingat harus berupa objek {on, days}.")
        return handler(value)


class SupplierSettingsIn(Schema):
    """Only the fields sent are changed."""

    free_max_products: int | str | None = None
    free_max_images: int | str | None = None
    free_max_catalogues: int | str | None = None
    premium_max_products: int | str | None = None
    premium_max_images: int | str | None = None
    premium_max_catalogues: int | str | None = None
    trial_days: int | str | None = None
    free_drafts_month: int | str | None = None
    premium_drafts_month: int | str | None = None
    free_chats_week: int | str | None = None
    premium_chats_week: int | str | None = None
    reminders_enabled: bool | None = Field(
        default=None,
        description="false mematikan semua urutan supplier, true menyalakan "
        "(kompatibilitas; jadwal lengkap di /api/v1/admin/reminders?target_type=supplier).",
    )
    reminder_steps: dict[str, SupplierStepIn] | None = Field(
        default=None,
        description="Hanya langkah yang dikirim yang berubah; on=false menghapus langkahnya, on=true membuatnya lagi "
        "dengan teks bawaan (kompatibilitas; jadwal lengkap di /api/v1/admin/reminders?target_type=supplier).",
    )
    promo_enabled: bool | None = None
    promo_percent: int | str | None = None
    promo_days: int | str | None = None
    spam_words: str | None = Field(default=None, max_length=20_000)
    spam_max_links: int | str | None = None


def _settings_data() -> dict:
    row = services.settings_get()
    schedule = hooks.reminder_settings_read()  # the reminder engine's supplier sequences
    data = {name: getattr(row, name) for name in SupplierSettingsOut.model_fields if name not in schedule}
    return {**data, **schedule}


def _admin(request) -> None:
    if not services.is_admin(request.auth):
        raise NotAllowed(_("Hanya admin yang mengatur paket supplier."))


@router.get("/admin/supplier-settings", response={200: SupplierSettingsOut, **R},
            summary="Pengaturan paket supplier: batas, chat per minggu, pengingat, promo, spam (admin)")  # fmt: skip
def admin_settings(request):
    _admin(request)
    return _settings_data()


@router.put("/admin/supplier-settings", response={200: SupplierSettingsOut, **W},
            summary="Ubah pengaturan paket supplier (admin)")  # fmt: skip
@idempotent
def admin_settings_update(request, payload: SupplierSettingsIn):
    _admin(request)
    values = payload.model_dump(exclude_none=True)
    if "reminder_steps" in values:
        values["reminder_steps"] = {k: {f: v for f, v in row.items() if v is not None}
                                    for k, row in values["reminder_steps"].items()}  # fmt: skip
    services.settings_update(actor=request.auth, **values)
    return _settings_data()
