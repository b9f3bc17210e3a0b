"""Tax (e.g. PPN) and admin fee on orders: the global settings (one row, admin page /admin/settings/pajak-biaya),
a plan's or product's own values, and the arithmetic (whole rupiah, floors).

Rounding and rules (documented for buyers and admins alike):
- tax of an order = Σ over its lines of floor(line amount × line's tax percent / 100), where a line's amount is what
  it costs after every discount (member discount, upgrade credit, coupon) and its percent is its plan's or
  product's own, else the global one;
- admin fee = the highest of the lines' admin fees (a plan's or product's own, else the global one), once per order;
- an order whose goods cost Rp 0 pays neither (free stays free);
- neither is part of any line's amount, so an affiliate's commission (a percent of a line) never includes them; the
  revenue split leaves them to the company unless the settings put them in the shared base."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from sanggar.audit.constants import Action
from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.roles import Role

from ..models import ChargeSettings

CACHE_KEY = "orders:charge-settings"
CACHE_SECONDS = 300
ADMIN_FEE_MAX = 10_000_000
TAX_NAME_MAX = 20
FIELDS = ("tax_percent", "tax_name", "admin_fee", "tax_in_split_base", "fee_in_split_base")


@dataclass(frozen=True)
class Charges:
    tax: int
    tax_label: str  # "PPN 11%" ("PPN" when the lines' percents differ; "" without tax)
    admin_fee: int


NO_CHARGES = Charges(0, "", 0)


def charge_settings_get() -> ChargeSettings:
    """The settings row (cached; dropped on every save by `charge_settings_update`)."""
    cached = cache.get(CACHE_KEY)
    if isinstance(cached, ChargeSettings):
        return cached
    row = ChargeSettings.objects.filter(pk=ChargeSettings.SINGLETON_ID).first() or ChargeSettings()
    cache.set(CACHE_KEY, row, CACHE_SECONDS)
    return row


def _own(line, name: str):
    for target in (getattr(line, "plan", None), getattr(line, "product", None)):
        if target is not None:
            value = getattr(target, name, None)
            if value is not None:
                return int(value)
    return None


def order_charges(lines, settings_row: ChargeSettings | None = None) -> Charges:
    """The tax and admin fee of priced `lines` (objects with `amount` and `plan` / `product`). Pure but for the
    settings row (read when not given)."""
    goods = sum(max(0, int(line.amount)) for line in lines)
    if goods <= 0 or not lines:
        return NO_CHARGES
    row = settings_row or charge_settings_get()
    tax = 0
    percents = set()
    for line in lines:
        own = _own(line, "tax_percent")
        percent = max(0, min(100, own if own is not None else int(row.tax_percent)))
        if percent and line.amount > 0:
            tax += int(line.amount) * percent // 100
            percents.add(percent)
    label = ""
    if tax:
        label = f"{row.tax_name} {percents.pop()}%" if len(percents) == 1 else row.tax_name
    fees = [_own(line, "admin_fee") for line in lines]
    fee = max((f if f is not None else int(row.admin_fee)) for f in fees)
    return Charges(tax=tax, tax_label=label[:40], admin_fee=max(0, fee))


def split_base_extra(order, settings_row: ChargeSettings | None = None) -> int:
    """What of the order's tax and admin fee the revenue split shares like the goods (the settings say)."""
    row = settings_row or charge_settings_get()
    return (int(order.tax) if row.tax_in_split_base else 0) + (int(order.admin_fee) if row.fee_in_split_base else 0)


@transaction.atomic
def charge_settings_update(*, actor, **values) -> ChargeSettings:
    """Saves the global tax and admin fee (admins only): `tax_percent` 0–100, `tax_name` (e.g. "PPN"), `admin_fee`
    in rupiah (0–10.000.000), and whether each goes into the revenue split's base. Applies to orders made after."""
    if actor is None or not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Hanya admin yang dapat mengubah pajak dan biaya admin."))
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ServiceError(_("Isian tidak dikenal: %(f)s") % {"f": ", ".join(sorted(unknown))})
    row = ChargeSettings.objects.select_for_update().get_or_create(pk=ChargeSettings.SINGLETON_ID)[0]
    errors: dict[str, list[str]] = {}
    new = {}
    if "tax_percent" in values:
        percent = _int(values["tax_percent"])
        if percent is None or not 0 <= percent <= 100:
            errors["tax_percent"] = [_("Isi persen pajak 0 sampai 100.")]
        else:
            new["tax_percent"] = percent
    if "tax_name" in values:
        name = str(values["tax_name"] or "").strip()
        if not name or len(name) > TAX_NAME_MAX or "\x00" in name:
            errors["tax_name"] = [_("Isi nama pajak, maksimal %(n)s karakter (mis. PPN).") % {"n": TAX_NAME_MAX}]
        else:
            new["tax_name"] = name
    if "admin_fee" in values:
        fee = _int(values["admin_fee"])
        if fee is None or not 0 <= fee <= ADMIN_FEE_MAX:
            errors["admin_fee"] = [_("Isi biaya admin 0 sampai Rp 10.000.000.")]
        else:
            new["admin_fee"] = fee
    for name in ("tax_in_split_base", "fee_in_split_base"):
        if name in values:
            new[name] = bool(values[name])
    if errors:
        raise ServiceError(_("Periksa kembali isian pajak dan biaya admin."), errors=errors)
    changed = sorted(name for name, value in new.items() if getattr(row, name) != value)
    for name in changed:
        setattr(row, name, new[name])
    row.updated_by = actor
    row.save()
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
    if changed:
        activity_record(
            action=Action.SETTINGS_CHANGED, actor=actor, target=row, target_label=_("Pajak & biaya admin"),
            data={"what": "charges.updated", "fields": changed, **{name: new[name] for name in changed}},
        )  # fmt: skip
    return row


def _int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value or "").strip().replace(".", "")
    return int(text) if text.isdigit() else None
