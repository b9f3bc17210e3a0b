"""Coupons: the admin's create / update, and `coupon_check`, which checkout and order creation ask whether a code
applies to the lines being bought and how much each line is discounted."""

import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.access.constants import ResourceKind
from sanggar.access.models import Resource
from sanggar.core.exceptions import ServiceError
from sanggar.core.formatting import rupiah, tanggal_jam
from sanggar.core.roles import Role

from ..constants import MONEY_MAX, AuditWhat, DiscountType
from ..hooks import coupon_uses_counter
from ..models import Coupon, MembershipPlan, Product
from ..pricing import coupon_discounts
from .common import (
    Errors,
    check_unknown,
    clean_bool,
    clean_choice,
    clean_datetime,
    clean_ids,
    clean_int,
    clean_text,
    is_blank,
    parse_int,
    record,
    require_admin,
)

COUPON_FIELDS = (
    "code",
    "description",
    "discount_type",
    "value",
    "valid_from",
    "valid_until",
    "max_uses",
    "max_uses_per_user",
    "plan_ids",
    "product_ids",
    "resource_ids",
    "affiliate_id",
    "is_active",
)
_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{2,39}")
USES_MAX = 10_000_000


def normalize_code(code) -> str:
    return "".join(str(code or "").split()).upper()


def _label(coupon: Coupon) -> str:
    return _("Kupon %(code)s") % {"code": coupon.code}


def _clean(coupon: Coupon, values: dict) -> tuple[dict, dict]:
    errors = Errors()
    new: dict = {}
    m2m: dict = {}
    if "code" in values:
        code = normalize_code(values["code"])
        if not code:
            errors.add("code", _("Kode kupon wajib diisi."))
        elif not _CODE.fullmatch(code):
            errors.add("code", _("Kode kupon 3–40 karakter: huruf, angka, - atau _, contoh EKSPOR10."))
        elif Coupon.objects.filter(code=code).exclude(pk=coupon.pk).exists():
            errors.add("code", _("Kode %(code)s sudah dipakai kupon lain.") % {"code": code})
        else:
            new["code"] = code
    if "description" in values:
        new["description"] = clean_text(
            values["description"], field="description", label=_("Keterangan"), errors=errors, max_length=200
        )
    if "discount_type" in values or "value" in values:
        kind = clean_choice(
            values.get("discount_type", coupon.discount_type), field="discount_type", label=_("Jenis diskon"),
            errors=errors, choices=DiscountType.choices,
        )  # fmt: skip
        maximum = 100 if kind == DiscountType.PERCENT else MONEY_MAX
        label = _("Persen diskon") if kind == DiscountType.PERCENT else _("Nominal diskon")
        value = clean_int(values.get("value", coupon.value), field="value", label=label, errors=errors, minimum=1,
                          maximum=maximum)  # fmt: skip
        new["discount_type"], new["value"] = kind, value
    for name, label in (("valid_from", _("Berlaku mulai")), ("valid_until", _("Berlaku sampai"))):
        if name in values:
            new[name] = clean_datetime(values[name], field=name, label=label, errors=errors)
    valid_from = new.get("valid_from", coupon.valid_from)
    valid_until = new.get("valid_until", coupon.valid_until)
    if valid_from and valid_until and valid_until <= valid_from and "valid_until" not in errors:
        errors.add("valid_until", _("Tanggal berakhir harus setelah tanggal mulai."))
    for name, label in (("max_uses", _("Batas total pemakaian")), ("max_uses_per_user", _("Batas per pengguna"))):
        if name in values:
            new[name] = clean_int(values[name], field=name, label=label, errors=errors, minimum=1, maximum=USES_MAX,
                                  required=False)  # fmt: skip
    if "is_active" in values:
        new["is_active"] = clean_bool(values["is_active"])
    if "affiliate_id" in values:
        raw = values["affiliate_id"]
        if is_blank(raw):
            new["affiliate_id"] = None
        else:
            number = raw if isinstance(raw, int) else parse_int(raw)
            affiliates = get_user_model().objects.filter(roles__role=Role.AFFILIATE)
            if number is None or not affiliates.filter(pk=number).exists():
                errors.add("affiliate_id", _("Pilih affiliate dari daftar pengguna ber-role Affiliate."))
            else:
                new["affiliate_id"] = number
    if "plan_ids" in values:
        m2m["plans"] = clean_ids(values["plan_ids"], field="plan_ids", label=_("Paket membership"), errors=errors,
                                 queryset=MembershipPlan.objects)  # fmt: skip
    if "product_ids" in values:
        m2m["products"] = clean_ids(values["product_ids"], field="product_ids", label=_("Produk"), errors=errors,
                                    queryset=Product.objects)  # fmt: skip
    if "resource_ids" in values:
        m2m["resources"] = clean_ids(values["resource_ids"], field="resource_ids", label=_("Kursus"), errors=errors,
                                     queryset=Resource.objects.filter(kind=ResourceKind.COURSE))  # fmt: skip
    errors.raise_if_any(_("Periksa kembali isian kupon."))
    return new, m2m


def _save(coupon: Coupon, new: dict, m2m: dict) -> list[str]:
    changed = []
    for name, value in new.items():
        if getattr(coupon, name) != value:
            setattr(coupon, name, value)
            changed.append(name.removesuffix("_id"))
    if changed or coupon.pk is None:
        coupon.save()
    for relation, ids in m2m.items():
        manager = getattr(coupon, relation)
        if set(manager.values_list("pk", flat=True)) != set(ids):
            manager.set(ids)
            changed.append(relation)
    return changed


@transaction.atomic
def coupon_create(*, actor, code: str, discount_type: str, value, **values) -> Coupon:
    """A coupon: code (stored upper-case, unique), percent 1–100 or a fixed rupiah amount, optional validity
    window, total and per-user limits, the plans / products it applies to (none of either = everything), an
    optional affiliate (a user with the Affiliate role). Fields: COUPON_FIELDS."""
    require_admin(actor)
    check_unknown(values, COUPON_FIELDS)
    coupon = Coupon()
    new, m2m = _clean(coupon, {"code": code, "discount_type": discount_type, "value": value, **values})
    changed = _save(coupon, new, m2m)
    record(actor=actor, target=coupon, label=_label(coupon), what=AuditWhat.COUPON_CREATED, fields=changed)
    return coupon


@transaction.atomic
def coupon_update(*, coupon: Coupon, actor, **values) -> Coupon:
    require_admin(actor)
    check_unknown(values, COUPON_FIELDS)
    coupon = Coupon.objects.select_for_update().get(pk=coupon.pk)
    new, m2m = _clean(coupon, values)
    changed = _save(coupon, new, m2m)
    if changed:
        record(actor=actor, target=coupon, label=_label(coupon), what=AuditWhat.COUPON_UPDATED, fields=changed)
    return coupon


_KIND = re.compile(r"[a-z][a-z0-9_]{0,9}")


@transaction.atomic
def coupon_issue(*, prefix: str, percent: int, item_kinds: tuple[str, ...], valid_days: int, description: str,
                 reason: str) -> Coupon:  # fmt: skip
    """An automatic single-use coupon a higher app issues (no admin at hand, e.g. the suppliers' promo after the
    third upgrade reminder): a fresh random code `<PREFIX>-XXXXXX`, `percent` off the order lines of `item_kinds`
    only, one use in total, valid `valid_days` from now. Audited with no actor and the app's `reason`."""
    prefix = normalize_code(prefix)[:12]
    if not re.fullmatch(r"[A-Z0-9]{2,12}", prefix):
        raise ServiceError(_("Awalan kode kupon tidak valid."))
    if not item_kinds or not all(_KIND.fullmatch(k) for k in item_kinds):
        raise ServiceError(_("Jenis item kupon tidak valid."))
    if not 1 <= int(percent) <= 100 or not 1 <= int(valid_days) <= 3650:
        raise ServiceError(_("Diskon 1–100% dan masa berlaku 1–3650 hari."))
    for _attempt in range(5):
        code = f"{prefix}-{secrets.token_hex(3).upper()}"
        if not Coupon.objects.filter(code=code).exists():
            break
    else:  # pragma: no cover - six random hex digits colliding five times
        raise ServiceError(_("Kode kupon tidak dapat dibuat. Coba lagi."))
    coupon = Coupon.objects.create(
        code=code, description=str(description)[:200], discount_type=DiscountType.PERCENT, value=int(percent),
        valid_from=timezone.now(), valid_until=timezone.now() + timedelta(days=int(valid_days)), max_uses=1,
        max_uses_per_user=1, item_kinds=" ".join(item_kinds), is_active=True,
    )  # fmt: skip
    record(actor=None, target=coupon, label=_label(coupon), what=AuditWhat.COUPON_CREATED, reason=reason)
    return coupon


@dataclass(frozen=True)
class CouponLine:
    """One line of the order being priced: kind "plan" (plan_id) or "product" (product_id), and what the line
    costs before the coupon."""

    kind: str
    plan_id: int | None
    product_id: int | None
    amount: int
    resource_id: int | None = None  # a line of another kind that sells an access resource (a course)


@dataclass(frozen=True)
class CouponCheck:
    valid: bool
    message: str
    coupon: Coupon | None = None
    # line index → discount in rupiah (every index present; 0 where the coupon does not apply).
    discounts: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.discounts.values())


def coupon_uses(*, coupon: Coupon, user=None) -> int:
    """Orders that use the coupon and are pending or paid (of `user` when given); counted by orders."""
    return coupon_uses_counter()(coupon=coupon, user=user)


def _refuse(message: str, coupon: Coupon | None, lines: list[CouponLine]) -> CouponCheck:
    return CouponCheck(False, message, coupon, dict.fromkeys(range(len(lines)), 0))


def coupon_check(*, code: str, user, lines: list[CouponLine], now=None) -> CouponCheck:
    """Whether `code` gives a discount on `lines` for `user` (None for a visitor who has not registered yet: the
    per-user limit is then checked when the order is created), and how much per line.

    Checks, in order: the code exists and is active, the validity window, the total uses and the user's uses
    (orders pending or paid), and that at least one line is a plan / product the coupon applies to. Percent →
    floor of that percent of each applicable line; fixed → spread over the applicable lines, never beyond them.
    Inside a transaction (order creation) the coupon row is locked, so two orders cannot both take its last use."""
    now = now or timezone.now()
    normalized = normalize_code(code)
    if not normalized:
        return _refuse(_("Masukkan kode kupon."), None, lines)
    coupons = Coupon.objects.prefetch_related("plans", "products", "resources")
    if connection.in_atomic_block:
        coupons = coupons.select_for_update()
    coupon = coupons.filter(code=normalized).first()
    if coupon is None:
        return _refuse(_("Kode kupon %(code)s tidak ditemukan.") % {"code": normalized}, None, lines)
    if not coupon.is_active:
        return _refuse(_("Kupon %(code)s sudah tidak berlaku.") % {"code": coupon.code}, coupon, lines)
    if coupon.valid_from and now < coupon.valid_from:
        message = _("Kupon %(code)s baru berlaku mulai %(when)s.")
        return _refuse(message % {"code": coupon.code, "when": tanggal_jam(coupon.valid_from)}, coupon, lines)
    if coupon.valid_until and now >= coupon.valid_until:
        return _refuse(_("Masa berlaku kupon %(code)s sudah habis.") % {"code": coupon.code}, coupon, lines)
    if coupon.max_uses is not None and coupon_uses(coupon=coupon) >= coupon.max_uses:
        return _refuse(_("Kuota pemakaian kupon %(code)s sudah habis.") % {"code": coupon.code}, coupon, lines)
    if (
        coupon.max_uses_per_user is not None
        and user is not None
        and getattr(user, "is_authenticated", False)
        and coupon_uses(coupon=coupon, user=user) >= coupon.max_uses_per_user
    ):
        message = _("Anda sudah memakai kupon %(code)s sebanyak batas maksimal (%(n)s kali).")
        return _refuse(message % {"code": coupon.code, "n": coupon.max_uses_per_user}, coupon, lines)

    plan_ids = {p.pk for p in coupon.plans.all()}
    product_ids = {p.pk for p in coupon.products.all()}
    resource_ids = {r.pk for r in coupon.resources.all()}
    everything = not plan_ids and not product_ids and not resource_ids
    kinds = set(coupon.item_kinds.split())
    applicable = [
        (not kinds or line.kind in kinds)
        and (
            everything
            or (line.kind == "plan" and line.plan_id in plan_ids)
            or (line.kind == "product" and line.product_id in product_ids)
            or (line.resource_id is not None and line.resource_id in resource_ids)
        )
        for line in lines
    ]
    if not any(applicable):
        return _refuse(_("Kupon %(code)s tidak berlaku untuk item yang dipilih.") % {"code": coupon.code}, coupon,
                       lines)  # fmt: skip
    parts = coupon_discounts(
        discount_type=coupon.discount_type,
        value=coupon.value,
        amounts=[max(0, int(line.amount)) for line in lines],
        applicable=applicable,
    )
    discounts = dict(enumerate(parts))
    total = sum(parts)
    if total == 0:
        return _refuse(_("Kupon %(code)s tidak memberi potongan untuk pesanan ini.") % {"code": coupon.code}, coupon,
                       lines)  # fmt: skip
    message = _("Kupon %(code)s dipakai: hemat %(amount)s.") % {"code": coupon.code, "amount": rupiah(total)}
    return CouponCheck(True, message, coupon, discounts)
