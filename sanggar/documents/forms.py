"""Forms of the document pages. They parse input; the rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanggar.core.forms import StyledFormMixin

from .constants import CATEGORY_MAX, DESCRIPTION_MAX, NOTES_MAX, TITLE_MAX
from .models import DocumentCategory
from .policy import level_choices


class DocumentForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("Deskripsi singkat"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    category = forms.ModelChoiceField(
        label=_("Kategori"),
        queryset=DocumentCategory.objects.all(),
        empty_label=_("Pilih kategori"),
        error_messages={"invalid_choice": _("Kategori tidak tersedia lagi; muat ulang halaman.")},
    )
    min_rank = forms.TypedChoiceField(
        label=_("Level akses"),
        coerce=int,
        help_text=_("Paket terendah yang membuka dokumen ini; paket dengan peringkat lebih tinggi ikut terbuka."),
    )
    file = forms.FileField(
        label=_("Berkas"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, PPTX atau ZIP. PDF diberi nama dan email pengunduh di kaki halaman."),
    )
    is_active = forms.BooleanField(label=_("Aktif (tampil untuk member)"), required=False, initial=True)

    def __init__(self, *args, require_file: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["min_rank"].choices = level_choices()
        self.fields["file"].required = require_file
        for name in ("title", "category", "min_rank", "file"):
            self.fields[name].error_messages["required"] = _("Wajib diisi.")
        self.fields["min_rank"].error_messages["invalid_choice"] = _("Pilih level akses yang tersedia.")


class CategoryForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Nama kategori"), max_length=CATEGORY_MAX)
    sort_order = forms.IntegerField(label=_("Urutan"), required=False, min_value=0, max_value=10_000, initial=0)


class VerifyForm(StyledFormMixin, forms.Form):
    verified = forms.BooleanField(label=_("Terverifikasi (member sudah mengonfirmasi lewat WA/email)"), required=False)
    notes = forms.CharField(
        label=_("Catatan"), required=False, max_length=NOTES_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
