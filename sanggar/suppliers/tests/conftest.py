import io
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sanggar.core.roles import Role
from sanggar.suppliers import services

PROFILE = {
    "company_name": "CV Rempah Uji",
    "legal_form": "cv",
    "business_field": "rempah",
    "main_products": "Cengkeh, pala",
    "address": "Jl. Perintis No. 1",
    "province": "Sulawesi Selatan",
    "city": "Makassar",
    "pic_name": "Andi",
    "whatsapp": "081234567890",
    "business_email": "andi@rempah.co.id",
    "short_description": "Pengolah rempah dari petani mitra.",
}


@pytest.fixture(autouse=True)
def _media_and_limits(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for name in (
        "SUPPLIER_UPLOAD_RATE_LIMIT",
        "SUPPLIER_UPLOAD_IP_RATE_LIMIT",
        "SUPPLIER_PRODUCT_RATE_LIMIT",
        "SUPPLIER_PRODUCT_IP_RATE_LIMIT",
        "SUPPLIER_REGISTER_IP_RATE_LIMIT",
        "SUPPLIER_QUESTION_RATE_LIMIT",
        "SUPPLIER_QUESTION_IP_RATE_LIMIT",
        "CHAT_CONVERSATION_RATE_LIMIT",
    ):
        setattr(settings, name, "1000/60")


_colours = itertools.count()


def png(name="foto.png", size=(40, 40), colour=None):
    """A small PNG; each call a different colour (the anti-spam filter refuses the same image twice)."""
    n = next(_colours) if colour is None else colour
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, n % 256, (n // 256) % 256)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf(name="nib.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF", content_type="application/pdf")


@pytest.fixture
def mentor(make_user):
    return make_user(Role.MENTOR, full_name="Rina Mentor")


@pytest.fixture
def question(mentor):
    return services.question_create(
        actor=mentor, supplier_type="", text="Berapa lama usaha berjalan?", options=[("< 1 tahun", 1), ("> 5", 4)]
    )


def _fill(supplier, user, *, supplier_type="produsen"):
    services.supplier_set_type(supplier=supplier, actor=user, supplier_type=supplier_type)
    for tab, fields in services.TABS.items():
        services.profile_update(
            supplier=supplier, actor=user, tab=tab, data={k: v for k, v in PROFILE.items() if k in fields}
        )
    answers = {q.pk: list(q.options.all())[-1].pk for q in services.questions_for(supplier_type)}
    if answers:
        services.answers_save(supplier=supplier, actor=user, answers=answers)


@pytest.fixture
def make_supplier(make_user, mentor, admin_user):
    """make_supplier(stage="verified", premium_days=0, name=...) → (user, supplier) through the real flow."""

    def make(stage="verified", *, premium_days=0, name="CV Rempah Uji", email=None):
        user = make_user(full_name=name, **({"email": email} if email else {}))
        supplier = services.supplier_register(user=user)
        if stage == "draft":
            return user, supplier
        _fill(supplier, user)
        supplier.refresh_from_db()
        if stage != "onboarding":
            services.profile_update(supplier=supplier, actor=user, tab="identitas", data={"company_name": name})
            services.supplier_submit(supplier=supplier, actor=user)
        if stage in ("recommended", "verified", "limited", "suspended"):
            services.mentor_recommend(supplier=supplier, actor=mentor, note="Bagus")
        if stage in ("verified", "limited", "suspended"):
            services.admin_decide(supplier=supplier, actor=admin_user, status=stage, reason="Sesuai")
        if premium_days:
            services.premium_extend(supplier=supplier, days=premium_days, source="admin")
        supplier.refresh_from_db()
        user.__dict__.pop("role_set", None)
        return user, supplier

    return make
