from django import forms
from django.utils.translation import gettext_lazy as _

from sanggar.core.forms import StyledFormMixin

from .constants import EMAIL_BODY_MAX_LENGTH, PUSH_BODY_MAX_LENGTH, SUBJECT_MAX_LENGTH, WHATSAPP_BODY_MAX_LENGTH


def _text(label, max_length, rows, help_text="", required=False):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        strip=False,
        widget=forms.Textarea(attrs={"rows": rows, "class": "font-mono"}),
        help_text=help_text,
    )


class MessageTemplateForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Nama template"), max_length=100)
    inapp_title = forms.CharField(
        label=_("Judul notifikasi (aplikasi dan push)"),
        max_length=200,
        help_text=_("Tampil di lonceng notifikasi dan sebagai judul push."),
    )
    inapp_body = _text(_("Isi notifikasi di aplikasi"), EMAIL_BODY_MAX_LENGTH, 4, _("Teks pendek di pusat notifikasi."))
    email_subject = forms.CharField(label=_("Subjek email"), max_length=SUBJECT_MAX_LENGTH, required=False)
    email_body = _text(
        _("Isi email"),
        EMAIL_BODY_MAX_LENGTH,
        12,
        _(
            "Teks biasa. Baris kosong memisahkan paragraf; link otomatis bisa diklik di email. "
            "Kosongkan jika pesan ini tidak dikirim lewat email."
        ),
    )
    whatsapp_body = _text(
        _("Isi WhatsApp"),
        WHATSAPP_BODY_MAX_LENGTH,
        6,
        _(
            "Maksimal 1024 karakter. Kosongkan jika pesan ini tidak dikirim lewat WhatsApp. "
            "*tebal* dan _miring_ mengikuti format WhatsApp."
        ),
    )
    push_body = forms.CharField(
        label=_("Isi push"),
        max_length=PUSH_BODY_MAX_LENGTH,
        required=False,
        help_text=_("Maksimal 240 karakter. Kosong: memakai isi notifikasi di aplikasi."),
    )
    is_active = forms.BooleanField(label=_("Aktif (kirim pesan ini)"), required=False)

    def __init__(self, *args, required_active: bool = False, email_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if email_required:  # the kind ships an email: it keeps a subject and a body
            self.fields["email_subject"].required = True
            self.fields["email_body"].required = True
        if required_active:
            self.fields["is_active"].disabled = True
            self.fields["is_active"].initial = True
            self.fields["is_active"].help_text = _(
                "Template ini dipakai untuk verifikasi email dan reset kata sandi, jadi selalu aktif."
            )
