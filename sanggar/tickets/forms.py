"""Forms of the ticket pages. They parse input; the rules live in services. Attachments are read from
`request.FILES.getlist("attachments")` and checked by the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanggar.core.forms import StyledFormMixin

from .constants import (
    BODY_MAX,
    CANNED_TITLE_MAX,
    RATING_COMMENT_MAX,
    SUBJECT_MAX,
    TicketCategory,
    TicketPriority,
    TicketStatus,
)

REQUIRED = {"required": _("Wajib diisi.")}


class TicketForm(StyledFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("Kategori"), choices=TicketCategory.choices, error_messages=REQUIRED)
    subject = forms.CharField(label=_("Judul"), max_length=SUBJECT_MAX, error_messages=REQUIRED)
    body = forms.CharField(
        label=_("Jelaskan masalah Anda"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 6}),
        error_messages=REQUIRED,
    )  # fmt: skip
    order = forms.TypedChoiceField(label=_("Terkait pesanan (opsional)"), required=False, coerce=int, empty_value=None)

    link = forms.ChoiceField(label=_("Terkait kursus atau kelas (opsional)"), required=False)

    def __init__(self, *args, orders=(), links=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["link"].choices = [("", _("Tidak terkait kursus atau kelas")), *links]
        if not links:
            del self.fields["link"]
        self.fields["order"].choices = [("", _("Tidak terkait pesanan"))] + [
            (o.pk, f"{o.invoice_number} — {o.get_status_display()}") for o in orders
        ]


class ReplyForm(StyledFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Balasan"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 4}), error_messages=REQUIRED
    )


class RateForm(StyledFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Nilai layanan"), coerce=int, choices=[(n, "★" * n) for n in range(5, 0, -1)], error_messages=REQUIRED
    )
    comment = forms.CharField(label=_("Komentar (opsional)"), required=False, max_length=RATING_COMMENT_MAX)


class StaffActionForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TicketStatus.choices, required=False)
    priority = forms.ChoiceField(label=_("Prioritas"), choices=TicketPriority.choices, required=False)


class CannedReplyForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=CANNED_TITLE_MAX, error_messages=REQUIRED)
    category = forms.ChoiceField(
        label=_("Kategori"), choices=[("", _("Semua kategori")), *TicketCategory.choices], required=False
    )
    body = forms.CharField(
        label=_("Isi balasan"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 6}),
        error_messages=REQUIRED,
        help_text=_(
            "Kode yang diisi otomatis: {nama} nama member, {nomor} nomor tiket, {judul} judul tiket, {agen} nama Anda."
        ),
    )  # fmt: skip
    active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)
