"""The payment gateways as integrations the admin configures at /admin/settings/payments (`sanggar.integrations`):
their fields (named after the settings / environment variables), switches, modes and connection tests."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanggar.integrations.constants import Group, Mode
from sanggar.integrations.registry import IntegrationDef, IntegrationField, TestResult, integration_register

from .constants import MANUAL, MIDTRANS, SCALEV, XENDIT
from .providers.base import ProviderError
from .providers.midtrans.provider import MidtransProvider
from .providers.scalev.provider import ScalevProvider
from .providers.xendit.provider import XenditProvider


def _listed(key: str):
    return lambda: key in {p.strip().lower() for p in settings.PAYMENT_PROVIDERS}


def _xendit_test(target: str) -> TestResult:
    try:
        XenditProvider().client().ping()
    except ProviderError as exc:
        return TestResult(False, exc.message)
    return TestResult(True, _("kunci rahasia diterima Xendit (HTTP 200)."))


def _midtrans_test(target: str) -> TestResult:
    try:
        answer = MidtransProvider().client().ping()
    except ProviderError as exc:
        return TestResult(False, exc.message)
    return TestResult(True, _("server key diterima Midtrans (%(answer)s).") % {"answer": answer})


def _scalev_test(target: str) -> TestResult:
    try:
        answer = ScalevProvider().client().ping()
    except ProviderError as exc:
        return TestResult(False, exc.message)
    stores = answer.get("data") if isinstance(answer.get("data"), list) else None
    if stores is not None:
        return TestResult(True, _("API key diterima Scalev (%(count)s toko).") % {"count": len(stores)})
    return TestResult(True, _("API key diterima Scalev (HTTP 200)."))


def _midtrans_mode() -> str:
    return Mode.PRODUCTION if settings.MIDTRANS_IS_PRODUCTION else Mode.SANDBOX


DEFINITIONS = (
    IntegrationDef(
        key=XENDIT,
        label=gettext_lazy("Xendit"),
        group=Group.PAYMENT,
        order=10,
        description=gettext_lazy(
            "Invoice Xendit: virtual account, e-wallet, QRIS, kartu kredit. Callback URL: /webhooks/xendit."
        ),
        fields=(
            IntegrationField("XENDIT_SECRET_KEY", gettext_lazy("Secret API key")),
            IntegrationField("XENDIT_CALLBACK_TOKEN", gettext_lazy("Callback verification token")),
        ),
        switch_env="PAYMENT_PROVIDERS",
        switch_default=_listed(XENDIT),
        has_mode=True,
        test=_xendit_test,
    ),
    IntegrationDef(
        key=MIDTRANS,
        label=gettext_lazy("Midtrans"),
        group=Group.PAYMENT,
        order=20,
        description=gettext_lazy(
            "Snap Midtrans: GoPay, QRIS, ShopeePay, virtual account. Notification URL: /webhooks/midtrans."
        ),
        fields=(
            IntegrationField("MIDTRANS_SERVER_KEY", gettext_lazy("Server key")),
            IntegrationField("MIDTRANS_CLIENT_KEY", gettext_lazy("Client key"), secret=False, required=False),
        ),
        switch_env="PAYMENT_PROVIDERS",
        switch_default=_listed(MIDTRANS),
        has_mode=True,
        mode_env="MIDTRANS_IS_PRODUCTION",
        mode_from_env=_midtrans_mode,
        test=_midtrans_test,
    ),
    IntegrationDef(
        key=SCALEV,
        label=gettext_lazy("Scalev"),
        group=Group.PAYMENT,
        order=30,
        description=gettext_lazy("Halaman pembayaran Scalev. Webhook URL: /webhooks/scalev."),
        fields=(
            IntegrationField("SCALEV_API_KEY", gettext_lazy("API key")),
            IntegrationField("SCALEV_WEBHOOK_SECRET", gettext_lazy("Signing secret webhook")),
            IntegrationField("SCALEV_STORE_UNIQUE_ID", gettext_lazy("ID toko (store_…)"), secret=False),
            IntegrationField(
                "SCALEV_VARIANT_UNIQUE_ID",
                gettext_lazy("Varian bawaan (variant_…)"),
                secret=False,
                required=False,
                help=gettext_lazy("Dipakai bila paket atau produk tidak punya varian Scalev sendiri."),
            ),
        ),
        switch_env="PAYMENT_PROVIDERS",
        switch_default=_listed(SCALEV),
        has_mode=True,
        test=_scalev_test,
    ),
    IntegrationDef(
        key=MANUAL,
        label=gettext_lazy("Transfer bank manual"),
        group=Group.PAYMENT,
        order=40,
        description=gettext_lazy("Pembeli mentransfer ke rekening di bawah; admin mengonfirmasi setelah dana masuk."),
        switch_env="PAYMENT_PROVIDERS",
        switch_default=lambda: True,
        always_configured=True,
    ),
)


def register() -> None:
    for definition in DEFINITIONS:
        integration_register(definition)
