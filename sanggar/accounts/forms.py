from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sanggar.core.forms import StyledFormMixin

from .constants import PROVINCE_CHOICES, SOCIAL_LINK_MAX, SOCIAL_NETWORKS
from .validators import normalize_whatsapp

AVATAR_MAX_BYTES = 2 * 1024 * 1024
BIO_MAX = 1000
AVATAR_TYPES = {"JPEG", "PNG", "WEBP"}


class SignupForm(StyledFormMixin, forms.Form):
    """Extra fields on allauth's signup form (allauth adds email and password)."""

    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    whatsapp = forms.CharField(
        label=_("Nomor WhatsApp"), max_length=20, help_text=_("Contoh: 081234567890"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )  # fmt: skip

    field_order = ["full_name", "email", "whatsapp", "password1", "password2"]

    def clean_whatsapp(self):
        return normalize_whatsapp(self.cleaned_data["whatsapp"])

    def signup(self, request, user):
        """Called by allauth after the user is saved; the adapter has already copied our fields."""


class ProfileForm(StyledFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    whatsapp = forms.CharField(label=_("Nomor WhatsApp"), max_length=20, help_text=_("Contoh: 081234567890"))
    province = forms.ChoiceField(
        label=_("Provinsi"), choices=[("", _("— Pilih provinsi —")), *PROVINCE_CHOICES], required=False
    )
    city = forms.CharField(label=_("Kota/Kabupaten"), max_length=100, required=False)
    bio = forms.CharField(
        label=_("Bio"), max_length=BIO_MAX, required=False,
        # The counter under the field (profile.html) follows every keystroke: the limit shows before submitting.
        widget=forms.Textarea(attrs={"rows": 4, "x-on:input": "bioLength = $el.value.length"}),
    )  # fmt: skip
    avatar = forms.ImageField(label=_("Foto profil"), required=False, help_text=_("JPG, PNG atau WebP, maksimal 2 MB."))
    remove_avatar = forms.BooleanField(label=_("Hapus foto profil"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One text field per network (`social_<network>`); the service validates the URL and its host.
        for network, (label, hosts) in SOCIAL_NETWORKS.items():
            self.fields[f"social_{network}"] = forms.CharField(
                label=label, required=False, max_length=SOCIAL_LINK_MAX,
                widget=forms.TextInput(attrs={"inputmode": "url", "placeholder": f"https://{hosts[0]}/…" if hosts else "https://…"}),
            )  # fmt: skip

    def social_links(self) -> dict:
        return {n: self.cleaned_data.get(f"social_{n}", "") for n in SOCIAL_NETWORKS}

    def social_fields(self):
        return [self[f"social_{n}"] for n in SOCIAL_NETWORKS]

    def clean_whatsapp(self):
        return normalize_whatsapp(self.cleaned_data["whatsapp"])

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if not avatar:
            return None
        if avatar.size > AVATAR_MAX_BYTES:
            raise ValidationError(_("Ukuran foto maksimal 2 MB."))
        image = getattr(avatar, "image", None)
        if image is None or image.format not in AVATAR_TYPES:
            raise ValidationError(_("Format foto harus JPG, PNG atau WebP."))
        return avatar


class AffiliateApplicationForm(StyledFormMixin, forms.Form):
    motivation = forms.CharField(
        label=_("Mengapa Anda ingin menjadi affiliate?"), min_length=20, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )  # fmt: skip
    channels = forms.CharField(
        label=_("Di mana Anda akan mempromosikan?"), required=False, max_length=500,
        help_text=_("Misalnya Instagram @akunanda, grup WhatsApp, blog."),
    )  # fmt: skip
