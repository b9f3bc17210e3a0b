from django import forms
from django.utils.translation import gettext_lazy as _

from sanggar.core.forms import StyledFormMixin

from .constants import EMAIL_BODY_MAX_LENGTH, SUBJECT_MAX_LENGTH, WHATSAPP_BODY_MAX_LENGTH


class MessageTemplateForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Nama template"), max_length=100)
    email_subject = forms.CharField(label=_("Subjek email"), max_length=SUBJECT_MAX_LENGTH)
    email_body = forms.CharField(
        label=_("Isi email"),
        max_length=EMAIL_BODY_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "class": "font-mono"}),
        help_text=_("Teks biasa. Baris kosong memisahkan paragraf; link otomatis bisa diklik di email."),
    )
    whatsapp_body = forms.CharField(
        label=_("Isi WhatsApp"),
        max_length=WHATSAPP_BODY_MAX_LENGTH,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "class": "font-mono"}),
        help_text=_(
            "Maksimal 1024 karakter. Kosongkan jika pesan ini tidak dikirim lewat WhatsApp. "
            "*tebal* dan _miring_ mengikuti format WhatsApp."
        ),
    )
    is_active = forms.BooleanField(label=_("Aktif (kirim pesan ini)"), required=False)

    def __init__(self, *args, required_active: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if required_active:
            self.fields["is_active"].disabled = True
            self.fields["is_active"].initial = True
            self.fields["is_active"].help_text = _(
                "Template ini dipakai untuk verifikasi email dan reset kata sandi, jadi selalu aktif."
            )
