from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sanggar.core.formatting import rupiah, tanggal_jam
from sanggar.integrations.selectors import bank_accounts_active, integration_enabled

from ...constants import MANUAL
from ..base import InitiateResult, PaymentData, PaymentProvider


class ManualProvider(PaymentProvider):
    """Bank transfer to the business's account. The amount includes the order's unique code (up to three digits) so
    the admin can match a transfer to its order; an admin confirms it (`payment_mark_paid_manual`)."""

    identifier = MANUAL
    label = _("Transfer Bank")
    description = _("Transfer manual ke rekening kami, dikonfirmasi admin.")
    receives_webhooks = False
    starts_offline = True

    def is_configured(self) -> bool:
        return True

    def is_enabled(self) -> bool:
        # On unless the admin switched it off (PAYMENT_PROVIDERS, when set in the environment, keeps it on).
        return integration_enabled(self.identifier)

    def initiate(self, data: PaymentData) -> InitiateResult:
        deadline = data.expires_at
        if data.unique_code:
            note = gettext(
                "Transfer tepat %(amount)s (sudah termasuk kode unik %(code)s) sebelum %(deadline)s agar pembayaran "
                "mudah dicocokkan. Admin akan mengonfirmasi setelah dana masuk."
            ) % {"amount": rupiah(data.amount), "code": data.unique_code, "deadline": tanggal_jam(deadline)}
        else:
            note = gettext(
                "Transfer tepat %(amount)s sebelum %(deadline)s. Admin akan mengonfirmasi setelah dana masuk."
            ) % {"amount": rupiah(data.amount), "deadline": tanggal_jam(deadline)}
        accounts = [
            {
                "bank_name": bank.bank_name,
                "account_number": bank.account_number,
                "account_holder": bank.account_holder,
                "logo_url": bank.logo_url,
            }
            for bank in bank_accounts_active()
        ]
        first = accounts[0] if accounts else {"bank_name": "", "account_number": "", "account_holder": ""}
        instructions = {
            "bank_name": first["bank_name"],
            "account_number": first["account_number"],
            "account_holder": first["account_holder"],
            "accounts": accounts,
            "amount": data.amount,
            "unique_code": data.unique_code,
            "invoice_number": data.invoice_number,
            "deadline": timezone.localtime(deadline).isoformat() if deadline else "",
            "note": note,
        }
        return InitiateResult(reference="", instructions=instructions, expires_at=deadline)
