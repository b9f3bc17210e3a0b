"""Forms of the admin user-management pages. They parse input; the rules live in accounts.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanggar.core.forms import StyledFormMixin
from sanggar.core.roles import Role

from .forms import ProfileForm
from .validators import normalize_whatsapp


class AdminUserForm(ProfileForm):
    """The profile fields an admin may edit for a user. The avatar stays the user's own business, and WhatsApp may
    stay empty (accounts created through Google login have none)."""

    avatar = None
    remove_avatar = None
    whatsapp = forms.CharField(
        label=_("Nomor WhatsApp"), max_length=20, required=False, help_text=_("Contoh: 081234567890")
    )

    def clean_whatsapp(self):
        value = self.cleaned_data["whatsapp"].strip()
        return normalize_whatsapp(value) if value else ""


class RoleChangeForm(forms.Form):
    action = forms.ChoiceField(choices=[("grant", "grant"), ("revoke", "revoke")])
    role = forms.ChoiceField(choices=Role.choices)


class DeactivateForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Alasan penonaktifan"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Dicatat di activity log dan dikirim ke pengguna lewat email."),
        error_messages={"required": _("Tuliskan alasan penonaktifan.")},
    )


class AffiliateDecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[("approve", _("Setujui")), ("reject", _("Tolak"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih setujui atau tolak.")},
    )
    note = forms.CharField(
        label=_("Catatan untuk pemohon"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wajib diisi jika pengajuan ditolak. Pemohon akan membaca catatan ini."),
    )
