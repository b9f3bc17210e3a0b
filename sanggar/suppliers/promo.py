"""The automatic promo coupon of supplier upgrade reminders (spec Supplier §7b "kupon promo otomatis setelah reminder
ke-3", checklist §1.3–1.4 "uses coupon_create"): once a free supplier has had three upgrade reminders without
upgrading, the next reminder creates one single-use coupon through catalog's coupon service, valid for the Premium
supplier package only (order line kind `supplier`) for the admins' number of days, and every later reminder repeats
it while it is valid. The admins switch it and set the percent and days at /admin/supplier/paket."""

from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.catalog.services import coupon_issue
from sanggar.core.formatting import tanggal

from .constants import ITEM_KIND, PROMO_AFTER_REMINDERS
from .models import Supplier, SupplierSettings


def promo_text(supplier: Supplier) -> str:
    """The sentence the reminders carry while the supplier's coupon is valid ("" otherwise)."""
    if not supplier.promo_code or not supplier.promo_until or supplier.promo_until <= timezone.now():
        return ""
    return _("Pakai kupon %(code)s saat membeli Supplier Premium untuk potongan khusus, berlaku sampai %(until)s.") % {
        "code": supplier.promo_code,
        "until": tanggal(supplier.promo_until),
    }


def promo_for(*, supplier: Supplier, settings_row: SupplierSettings, earlier: int) -> str:
    """Inside the reminder's transaction: `earlier` upgrade reminders went before this one. From the one after the
    third on, the supplier's coupon (created the first time) is the reminder's promo sentence."""
    if not settings_row.promo_enabled or earlier < PROMO_AFTER_REMINDERS:
        return ""
    locked = Supplier.objects.select_for_update().get(pk=supplier.pk)
    if not locked.promo_code:
        coupon = coupon_issue(
            prefix="SUPPLIER", percent=settings_row.promo_percent, item_kinds=(ITEM_KIND,),
            valid_days=settings_row.promo_days, reason="suppliers.promo",
            description=_("Promo otomatis Supplier Premium untuk %(company)s")
            % {"company": (locked.company_name or str(locked.pk))[:120]},
        )  # fmt: skip
        locked.promo_code, locked.promo_until = coupon.code, coupon.valid_until
        locked.save(update_fields=["promo_code", "promo_until", "updated_at"])
        supplier.promo_code, supplier.promo_until = locked.promo_code, locked.promo_until
    return promo_text(locked)
