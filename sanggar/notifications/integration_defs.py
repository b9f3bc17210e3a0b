"""The messaging services as integrations the admin configures at /admin/settings/integrations
(`sanggar.integrations`): fields named after the settings / environment variables, an on/off switch, and a
connection test that sends one message to a recipient the admin gives."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanggar.integrations.constants import Group
from sanggar.integrations.registry import IntegrationDef, IntegrationField, TestResult, integration_register

from .channels.base import OutgoingMessage
from .channels.fonnte.provider import FonnteProvider
from .channels.mailketing.provider import MailketingProvider
from .channels.onesignal.provider import OneSignalProvider
from .channels.starsender.provider import StarsenderProvider
from .channels.whatsapp import to_msisdn
from .constants import DeliveryStatus


def _send_test(provider, *, channel: str, target: str, ok_message: str) -> TestResult:
    if not target:
        return TestResult(False, _("Isi tujuan tes terlebih dahulu."))
    message = OutgoingMessage(
        delivery_id=0,
        channel=channel,
        recipient=target,
        subject=_("Tes koneksi Sanggar"),
        body=_("Ini pesan tes koneksi dari panel admin Sanggar."),
        html="<p>" + _("Ini pesan tes koneksi dari panel admin Sanggar.") + "</p>",
    )
    result = provider.send(message)
    if result.status == DeliveryStatus.SENT:
        return TestResult(True, ok_message)
    if result.status == DeliveryStatus.SKIPPED:
        return TestResult(True, _("kunci diterima; %(reason)s") % {"reason": result.error})
    return TestResult(False, result.error or _("tidak ada jawaban."))


def _mailketing_test(target: str) -> TestResult:
    return _send_test(
        MailketingProvider(), channel="email", target=target, ok_message=_("email tes diterima Mailketing.")
    )


def _starsender_test(target: str) -> TestResult:
    return _send_test(
        StarsenderProvider(),
        channel="whatsapp",
        target=to_msisdn(target),
        ok_message=_("pesan tes diterima Starsender."),
    )


def _fonnte_test(target: str) -> TestResult:
    return _send_test(
        FonnteProvider(), channel="whatsapp", target=to_msisdn(target), ok_message=_("pesan tes diterima Fonnte.")
    )


def _onesignal_test(target: str) -> TestResult:
    return _send_test(
        OneSignalProvider(), channel="push", target=target, ok_message=_("notifikasi tes diterima OneSignal.")
    )


DEFINITIONS = (
    IntegrationDef(
        key="mailketing",
        label=gettext_lazy("Mailketing (email)"),
        group=Group.MESSAGING,
        order=10,
        description=gettext_lazy("Tanpa token, email dikirim lewat server email bawaan (SMTP)."),
        fields=(
            IntegrationField("MAILKETING_API_TOKEN", gettext_lazy("API token")),
            IntegrationField("MAILKETING_FROM_NAME", gettext_lazy("Nama pengirim"), secret=False, required=False),
            IntegrationField(
                "MAILKETING_FROM_EMAIL",
                gettext_lazy("Email pengirim"),
                secret=False,
                required=False,
                help=gettext_lazy("Domainnya harus sudah diverifikasi di Mailketing."),
            ),
        ),
        test=_mailketing_test,
        test_target_label=gettext_lazy("Kirim email tes ke"),
    ),
    IntegrationDef(
        key="starsender",
        label=gettext_lazy("Starsender (WhatsApp)"),
        group=Group.MESSAGING,
        order=20,
        description=gettext_lazy("Dipakai lebih dulu bila Starsender dan Fonnte sama-sama aktif (WHATSAPP_PROVIDER)."),
        fields=(IntegrationField("STARSENDER_API_KEY", gettext_lazy("API key perangkat")),),
        test=_starsender_test,
        test_target_label=gettext_lazy("Kirim WhatsApp tes ke nomor"),
    ),
    IntegrationDef(
        key="fonnte",
        label=gettext_lazy("Fonnte (WhatsApp)"),
        group=Group.MESSAGING,
        order=30,
        fields=(IntegrationField("FONNTE_TOKEN", gettext_lazy("Token perangkat")),),
        test=_fonnte_test,
        test_target_label=gettext_lazy("Kirim WhatsApp tes ke nomor"),
    ),
    IntegrationDef(
        key="onesignal",
        label=gettext_lazy("OneSignal (push)"),
        group=Group.MESSAGING,
        order=40,
        fields=(
            IntegrationField("ONESIGNAL_APP_ID", gettext_lazy("App ID"), secret=False),
            IntegrationField("ONESIGNAL_API_KEY", gettext_lazy("App API key")),
        ),
        test=_onesignal_test,
        test_target_label=gettext_lazy("ID pengguna penerima (external_id)"),
    ),
)


def register() -> None:
    for definition in DEFINITIONS:
        integration_register(definition)
