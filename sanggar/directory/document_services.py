"""Export documents: a member creates a document (proforma / commercial invoice, packing list, shipping instruction,
certificate-of-origin draft) filled from their directory profile, a buyer they opened and items; it stays an
editable draft and renders to PDF. Creating one uses a unit of the monthly quota (kind "export_document")."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError
from sanggar.core.guard import has_refused_characters
from sanggar.core.roles import Role

from . import services as shared
from .constants import (
    ACTION_DOCUMENT_SAVED,
    ACTION_DOCUMENT_TEMPLATE_SAVED,
    CURRENCIES,
    DOCUMENT_PREFIX,
    KIND_BUYER,
    KIND_EXPORT_DOCUMENT,
    MAX_ITEMS,
    TEMPLATE_FOOTER_MAX,
    TEMPLATE_TEXT_MAX,
    UNITS,
    BuyerStatus,
    DocumentKind,
    Incoterm,
)
from .countries import country_code
from .exporters import exporter_profile
from .models import Buyer, DocumentTemplate, ExportDocument, ExportDocumentItem, MemberProfile

HEADER_TEXT = {
    "exporter_name": 200,
    "exporter_address": 300,
    "exporter_contact": 200,
    "exporter_npwp": 30,
    "consignee_name": 200,
    "consignee_address": 300,
    "notify_party": 300,
    "marks": 300,
    "port_of_loading": 100,
    "port_of_discharge": 100,
    "vessel": 100,
    "payment_terms": 200,
    "notes": 2000,
}
MAX_NUMBER = Decimal("99999999999")


TEMPLATE_FIELDS = {"header": TEMPLATE_TEXT_MAX, "notes": TEMPLATE_TEXT_MAX, "terms": TEMPLATE_TEXT_MAX,
                   "footer": TEMPLATE_FOOTER_MAX}  # fmt: skip


def document_template_get(*, kind: str) -> DocumentTemplate:
    """The admins' template of a kind (an empty, unsaved one when none was written yet)."""
    return DocumentTemplate.objects.filter(kind=kind).first() or DocumentTemplate(kind=kind)


def document_templates() -> list[DocumentTemplate]:
    """One template per document kind, in the kinds' order (one query)."""
    saved = {t.kind: t for t in DocumentTemplate.objects.select_related("updated_by")}
    return [saved.get(kind) or DocumentTemplate(kind=kind) for kind in DocumentKind.values]


def document_template_save(*, actor, kind: str, data: dict) -> DocumentTemplate:
    """Admin: the header, notes (a new document starts with them), terms and footer of one document kind."""
    if actor is None or not actor.is_authenticated or not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Hanya admin yang mengelola templat dokumen."))
    if kind not in DocumentKind.values:
        raise NotFound(_("Jenis dokumen tidak dikenal."))
    errors: dict[str, list[str]] = {}
    values = {}
    for field, limit in TEMPLATE_FIELDS.items():
        value = data.get(field)
        if value is not None and not isinstance(value, str):
            errors[field] = [_("Harus berupa teks.")]
            continue
        text = (value or "").strip().replace("\r\n", "\n")
        if has_refused_characters(text):
            errors[field] = [_("Karakter tidak valid.")]
        elif len(text) > limit:
            errors[field] = [_("Paling banyak %(max)s karakter.") % {"max": limit}]
        values[field] = text
    if errors:
        raise ServiceError(_("Periksa kembali isian templat."), errors=errors)
    with transaction.atomic():
        template, _created = DocumentTemplate.objects.select_for_update().get_or_create(kind=kind)
        changed = [f for f, v in values.items() if getattr(template, f) != v]
        for field, value in values.items():
            setattr(template, field, value)
        template.updated_by = actor
        template.save()
        activity_record(
            action=ACTION_DOCUMENT_TEMPLATE_SAVED, actor=actor, target=template,
            target_label=str(template.get_kind_display()), data={"kind": kind, "changed": changed},
        )  # fmt: skip
    return template


def document_defaults(*, user, buyer: Buyer | None = None, kind: str = "") -> dict:
    """What a new document starts with: the company profile of an approved supplier account (`exporters.py`),
    field by field over the member's directory card and account, and, when they opened the buyer this month, the
    buyer's name and address (a buyer not opened gives its company and country only, no contact)."""
    profile = MemberProfile.objects.filter(user=user).first()
    contact = " · ".join(v for v in (user.full_name, user.email, user.whatsapp) if v)
    company = exporter_profile(user)
    values = {
        "exporter_name": (profile.business_name if profile and profile.business_name else user.full_name)[:200],
        "exporter_address": (
            profile.address
            if profile and profile.address
            else ", ".join(v for v in (user.city, user.province, "Indonesia") if v)
        )[:300],
        "exporter_contact": contact[:200],
        "exporter_npwp": profile.npwp if profile else "",
        "issue_date": timezone.localdate(),
    }
    if kind in DocumentKind.values:
        notes = DocumentTemplate.objects.filter(kind=kind).values_list("notes", flat=True).first()
        if notes:
            values["notes"] = notes[: HEADER_TEXT["notes"]]
    if company is not None:
        for field, value in (("exporter_name", company.name), ("exporter_address", company.address),
                             ("exporter_contact", company.contact), ("exporter_npwp", company.npwp)):  # fmt: skip
            if value:
                values[field] = value[: HEADER_TEXT[field]]
    if buyer is not None:
        values["consignee_name"] = buyer.company
        values["consignee_country"] = buyer.country
        values["incoterm"] = buyer.shipping_terms or Incoterm.FOB
        values["payment_terms"] = buyer.payment_terms
        if buyer.pk in shared.opened_ids(user=user, kind=KIND_BUYER, object_ids=[buyer.pk]):
            values["consignee_address"] = ", ".join(v for v in (buyer.address, buyer.city) if v)[:300]
    return values


def _decimal(value, *, field: str, errors: dict, required: bool, places: int = 3):
    if value in (None, ""):
        if required:
            errors.setdefault(field, []).append(_("Wajib diisi."))
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        errors.setdefault(field, []).append(_("Harus berupa angka."))
        return None
    if not number.is_finite() or number < 0 or number > MAX_NUMBER:
        errors.setdefault(field, []).append(_("Angka tidak valid."))
        return None
    return number.quantize(Decimal(1).scaleb(-places))


def _clean_items(items) -> list[dict]:
    if not isinstance(items, list | tuple) or not items:
        raise ServiceError(_("Isi minimal satu barang."), errors={"items": [_("Isi minimal satu barang.")]})
    if len(items) > MAX_ITEMS:
        raise ServiceError(_("Paling banyak %(n)s barang.") % {"n": MAX_ITEMS})
    clean = []
    errors: dict[str, list[str]] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise ServiceError(_("Data barang tidak valid."), errors={"items": [_("Data barang tidak valid.")]})
        prefix = f"items.{index}."
        item_errors: dict[str, list[str]] = {}
        description = str(item.get("description") or "").strip()
        if not description:
            item_errors.setdefault(prefix + "description", []).append(_("Wajib diisi."))
        elif len(description) > 300 or has_refused_characters(description):
            item_errors.setdefault(prefix + "description", []).append(_("Deskripsi tidak valid (maks. 300)."))
        hs_code = str(item.get("hs_code") or "").strip().replace(".", "")
        if hs_code and not re.fullmatch(r"\d{4,10}", hs_code):
            item_errors.setdefault(prefix + "hs_code", []).append(_("Kode HS 4–10 angka."))
        unit = str(item.get("unit") or "").strip().lower()
        if unit not in UNITS:
            item_errors.setdefault(prefix + "unit", []).append(_("Satuan tidak dikenal."))
        quantity = _decimal(item.get("quantity"), field=prefix + "quantity", errors=item_errors, required=True)
        if quantity is not None and quantity <= 0:
            item_errors.setdefault(prefix + "quantity", []).append(_("Jumlah harus lebih dari 0."))
        net = _decimal(item.get("net_weight"), field=prefix + "net_weight", errors=item_errors, required=False)
        gross = _decimal(item.get("gross_weight"), field=prefix + "gross_weight", errors=item_errors, required=False)
        if net is not None and gross is not None and gross < net:
            item_errors.setdefault(prefix + "gross_weight", []).append(
                _("Berat kotor tidak boleh kurang dari berat bersih.")
            )
        price = _decimal(
            item.get("unit_price"), field=prefix + "unit_price", errors=item_errors, required=False, places=2
        )
        packages = item.get("packages")
        if packages in (None, ""):
            packages = None
        else:
            try:
                packages = int(str(packages).strip())
                if not 0 <= packages <= 10_000_000:
                    raise ValueError
            except (TypeError, ValueError):
                item_errors.setdefault(prefix + "packages", []).append(_("Jumlah kemasan berupa angka bulat."))
                packages = None
        dimensions = str(item.get("dimensions") or "").strip()
        if len(dimensions) > 60 or has_refused_characters(dimensions):
            item_errors.setdefault(prefix + "dimensions", []).append(_("Ukuran tidak valid (maks. 60)."))
        errors.update(item_errors)
        clean.append(
            {
                "position": index,
                "description": description,
                "hs_code": hs_code,
                "quantity": quantity,
                "unit": unit,
                "net_weight": net,
                "gross_weight": gross,
                "unit_price": price,
                "packages": packages,
                "dimensions": dimensions[:60],
            }
        )
    if errors:
        raise ServiceError(_("Periksa kembali daftar barang."), errors=errors)
    return clean


def _clean_header(data: dict, *, kind: str) -> dict:
    errors: dict[str, list[str]] = {}
    values: dict = {}
    for field, limit in HEADER_TEXT.items():
        text = str(data.get(field) or "").strip()
        if has_refused_characters(text):
            errors[field] = [_("Karakter tidak valid.")]
        elif len(text) > limit:
            errors[field] = [_("Paling banyak %(max)s karakter.") % {"max": limit}]
        values[field] = text
    for field in ("exporter_name", "consignee_name"):
        if not values[field] and field not in errors:
            errors[field] = [_("Wajib diisi.")]
    currency = str(data.get("currency") or "USD").upper()
    if currency not in dict(CURRENCIES):
        errors["currency"] = [_("Mata uang tidak dikenal.")]
    values["currency"] = currency
    incoterm = str(data.get("incoterm") or "FOB").upper()
    if incoterm not in Incoterm.values:
        errors["incoterm"] = [_("Incoterm tidak dikenal.")]
    values["incoterm"] = incoterm
    country = str(data.get("consignee_country") or "")
    values["consignee_country"] = country_code(country) if country else ""
    if country and not values["consignee_country"]:
        errors["consignee_country"] = [_("Negara tidak dikenal.")]
    issue = data.get("issue_date")
    if issue in (None, ""):
        values["issue_date"] = timezone.localdate()
    else:
        try:
            values["issue_date"] = issue if isinstance(issue, date) else date.fromisoformat(str(issue))
        except ValueError:
            errors["issue_date"] = [_("Tanggal tidak valid.")]
    if errors:
        raise ServiceError(_("Periksa kembali isian dokumen."), errors=errors)
    return values


def _buyer_for(*, user, buyer_id) -> Buyer | None:
    if buyer_id in (None, "", 0):
        return None
    try:
        buyer_id = int(buyer_id)
    except (TypeError, ValueError):
        raise ServiceError(_("Buyer tidak valid."), errors={"buyer": [_("Buyer tidak valid.")]}) from None
    buyer = Buyer.objects.filter(pk=buyer_id, status=BuyerStatus.ACTIVE).first()
    if buyer is None:
        raise ServiceError(_("Buyer tidak ditemukan."), errors={"buyer": [_("Buyer tidak ditemukan.")]})
    return buyer


def document_create(*, user, kind: str, data: dict, items) -> ExportDocument:
    """Creates a draft (one unit of the month's document quota). Header fields not given come from the profile
    and the buyer (`data["buyer"]`, an id)."""
    if kind not in DocumentKind.values:
        raise ServiceError(_("Jenis dokumen tidak dikenal."), errors={"kind": [_("Pilihan tidak valid.")]})
    buyer = _buyer_for(user=user, buyer_id=data.get("buyer"))
    merged = {
        **document_defaults(user=user, buyer=buyer, kind=kind),
        **{k: v for k, v in data.items() if v not in (None, "")},
    }
    header = _clean_header(merged, kind=kind)
    lines = _clean_items(items)
    shared._rate(
        user=user,
        setting="DIRECTORY_DOCUMENT_RATE_LIMIT",
        ip_setting="DIRECTORY_DOCUMENT_IP_RATE_LIMIT",
        what=_("dokumen"),
    )
    with transaction.atomic():
        document = ExportDocument.objects.create(owner=user, kind=kind, number="", buyer=buyer, **header)
        shared.directory_charge(user=user, kind=KIND_EXPORT_DOCUMENT, object_id=document.pk)
        count = ExportDocument.objects.filter(owner=user, kind=kind, pk__lte=document.pk).count()
        document.number = f"{DOCUMENT_PREFIX[kind]}/{header['issue_date']:%Y}/{count:04d}"
        document.save(update_fields=["number"])
        ExportDocumentItem.objects.bulk_create(ExportDocumentItem(document=document, **line) for line in lines)
        activity_record(action=ACTION_DOCUMENT_SAVED, actor=user, target=document, data={"kind": kind, "created": True})
    return document


def document_update(*, user, document: ExportDocument, data: dict, items) -> ExportDocument:
    """Edits a draft (free: the quota was used when it was created)."""
    if document.owner_id != user.pk:
        raise NotFound(_("Dokumen tidak ditemukan."))
    kept = {f: getattr(document, f) for f in (*HEADER_TEXT, "currency", "incoterm", "consignee_country", "issue_date")}
    given = {k: v for k, v in data.items() if not (k in ("exporter_name", "consignee_name") and not v)}
    header = _clean_header({**kept, **given}, kind=document.kind)
    lines = _clean_items(items)
    if "buyer" in data:
        document.buyer = _buyer_for(user=user, buyer_id=data.get("buyer"))
    with transaction.atomic():
        for field, value in header.items():
            setattr(document, field, value)
        document.save()
        document.items.all().delete()
        ExportDocumentItem.objects.bulk_create(ExportDocumentItem(document=document, **line) for line in lines)
        activity_record(action=ACTION_DOCUMENT_SAVED, actor=user, target=document, data={"kind": document.kind})
    return document


def document_delete(*, user, document: ExportDocument) -> None:
    if document.owner_id != user.pk:
        raise NotAllowed(_("Dokumen tidak ditemukan."))
    with transaction.atomic():
        activity_record(action=ACTION_DOCUMENT_SAVED, actor=user, target=document, data={"deleted": document.number})
        document.delete()
