"""Page forms of the Booster Suite: they shape input; the services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanggar.core.forms import StyledFormMixin

from .constants import (
    DAY_NAMES,
    SOCIALS,
    STEPS_MAX,
    ButtonKind,
    Font,
    Frequency,
    LeadSource,
    LeadStatus,
    OptinAction,
    SequenceTrigger,
    TemplateCategory,
    Theme,
)

COLOR = forms.TextInput(attrs={"type": "color", "class": "input h-10 w-20 p-1"})
TEXTAREA = {"rows": 4, "class": "input"}


class BioPageForm(StyledFormMixin, forms.Form):
    theme = forms.ChoiceField(label=_("Tema"), choices=Theme.choices)
    primary_color = forms.CharField(label=_("Warna utama"), max_length=7, widget=COLOR)
    font = forms.ChoiceField(label=_("Huruf"), choices=Font.choices)
    headline = forms.CharField(label=_("Judul"), max_length=150, required=False)
    bio = forms.CharField(
        label=_("Bio singkat"), max_length=1000, required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    avatar = forms.ImageField(label=_("Foto profil (JPG/PNG, maks. 2 MB)"), required=False)
    whatsapp = forms.CharField(label=_("Nomor WhatsApp"), max_length=30, required=False)
    wa_group_url = forms.CharField(
        label=_("Tautan grup WhatsApp"), max_length=200, required=False,
        help_text=_("Satu-satunya tautan luar selain profil sosial: https://chat.whatsapp.com/…"),
    )  # fmt: skip
    is_published = forms.BooleanField(label=_("Tampilkan halaman bio"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, (label, _url) in SOCIALS.items():
            self.fields[f"social_{key}"] = forms.CharField(
                label=_("%(site)s (nama pengguna)") % {"site": label}, max_length=60, required=False
            )

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar and avatar.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("Foto paling besar 2 MB."))
        return avatar


class ButtonForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Jenis tombol"), choices=ButtonKind.choices)
    target = forms.CharField(label=_("Tujuan (slug halaman)"), max_length=120, required=False)
    label = forms.CharField(label=_("Teks tombol"), max_length=80)


class OptinEditForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Nama form"), max_length=120)
    slug = forms.SlugField(label=_("Alamat /optin/…"), max_length=60, required=False)
    headline = forms.CharField(label=_("Judul halaman"), max_length=150)
    description = forms.CharField(
        label=_("Deskripsi"), max_length=2000, required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    ask_name = forms.BooleanField(label=_("Minta nama"), required=False, initial=True)
    ask_email = forms.BooleanField(label=_("Minta email"), required=False, initial=True)
    ask_whatsapp = forms.BooleanField(label=_("Minta nomor WhatsApp"), required=False)
    button_label = forms.CharField(label=_("Teks tombol kirim"), max_length=60, required=False)
    primary_color = forms.CharField(label=_("Warna utama"), max_length=7, widget=COLOR, initial="#0f766e")
    secondary_color = forms.CharField(label=_("Warna kedua (gradasi)"), max_length=7, widget=COLOR, initial="#1e3a8a")
    badge_text = forms.CharField(label=_("Teks lencana"), max_length=60, required=False)
    countdown_end = forms.DateTimeField(
        label=_("Hitung mundur sampai"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "input"}),
    )
    benefits = forms.CharField(
        label=_("Manfaat (satu per baris)"), max_length=2000, required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    faq = forms.CharField(
        label=_("FAQ (pertanyaan | jawaban, satu per baris)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    magnet_file = forms.FileField(label=_("File lead magnet (PDF, ZIP, gambar, Office; maks. 20 MB)"), required=False)
    magnet_url = forms.URLField(
        label=_("atau tautan lead magnet (https://)"), max_length=500, required=False, assume_scheme="https"
    )
    action = forms.ChoiceField(label=_("Setelah mengisi"), choices=OptinAction.choices)
    success_message = forms.CharField(
        label=_("Pesan terima kasih"), max_length=1000, required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    wa_number = forms.CharField(label=_("Nomor WhatsApp tujuan"), max_length=30, required=False)
    wa_message = forms.CharField(label=_("Pesan WhatsApp terisi ({name}, {email})"), max_length=500, required=False)
    is_active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)


class OptinSubmitForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=150, required=False)
    email = forms.CharField(
        label=_("Email"), max_length=254, required=False, widget=forms.EmailInput(attrs={"class": "input"})
    )
    whatsapp = forms.CharField(label=_("Nomor WhatsApp"), max_length=30, required=False,
                               help_text=_("Contoh 081234567890"))  # fmt: skip
    website = forms.CharField(required=False, max_length=200)  # honeypot
    token = forms.CharField(required=False, max_length=300)


class LeadEditForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=150, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    whatsapp = forms.CharField(label=_("WhatsApp"), max_length=30, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=LeadStatus.choices, initial=LeadStatus.NEW)
    notes = forms.CharField(label=_("Catatan"), max_length=2000, required=False, widget=forms.Textarea(attrs=TEXTAREA))
    follow_up_on = forms.DateField(
        label=_("Tanggal tindak lanjut"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "input"}),
    )
    tags = forms.CharField(label=_("Tag (pisahkan dengan koma)"), max_length=400, required=False)


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("File CSV"))
    consent = forms.BooleanField(label=_("Saya menyatakan kontak ini setuju menerima email dari saya."), required=False)


class BroadcastForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Nama broadcast"), max_length=120)
    subject = forms.CharField(label=_("Subjek email"), max_length=200)
    body = forms.CharField(
        label=_("Isi email"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 12, "class": "input"}),
        help_text=_("Kode: {name} {first_name} {email} {phone}. Tautan https://… dilacak otomatis."),
    )
    status = forms.ChoiceField(
        label=_("Segmen: status"), choices=[("", _("Semua"))] + LeadStatus.choices, required=False
    )
    source = forms.ChoiceField(
        label=_("Segmen: sumber"), choices=[("", _("Semua"))] + LeadSource.choices, required=False
    )
    tag = forms.CharField(label=_("Segmen: tag"), max_length=40, required=False)


class ScheduleForm(StyledFormMixin, forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Kirim pada"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "input"}),
    )
    recurring = forms.BooleanField(label=_("Ulangi"), required=False)
    frequency = forms.ChoiceField(label=_("Frekuensi"), choices=Frequency.choices, required=False)
    interval = forms.IntegerField(label=_("Setiap (1–30)"), min_value=1, max_value=30, required=False, initial=1)
    time_of_day = forms.CharField(label=_("Jam (JJ:MM)"), max_length=5, required=False,
                                  widget=forms.TimeInput(attrs={"type": "time", "class": "input"}))  # fmt: skip
    days_of_week = forms.TypedMultipleChoiceField(
        label=_("Hari (mingguan)"), choices=DAY_NAMES, coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    end_date = forms.DateField(
        label=_("Berakhir (opsional)"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "input"})
    )


class SequenceForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Nama urutan"), max_length=120)
    description = forms.CharField(label=_("Keterangan"), max_length=300, required=False)
    trigger = forms.ChoiceField(label=_("Pemicu"), choices=SequenceTrigger.choices)
    form = forms.TypedChoiceField(
        label=_("Form opt-in (kosong: semua form)"), coerce=int, required=False, empty_value=None
    )
    tag = forms.CharField(label=_("Tag pemicu"), max_length=40, required=False)

    def __init__(self, *args, forms_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].choices = [("", _("Semua form"))] + list(forms_choices)
        for i in range(STEPS_MAX):
            # added after StyledFormMixin styled the class's fields: they carry the design system's class themselves
            self.fields[f"delay_{i}"] = forms.IntegerField(
                label=_("Jeda (menit)"),
                min_value=0,
                max_value=129600,
                required=False,
                widget=forms.NumberInput(attrs={"class": "input"}),
            )
            self.fields[f"subject_{i}"] = forms.CharField(
                label=_("Subjek"), max_length=200, required=False, widget=forms.TextInput(attrs={"class": "input"})
            )
            self.fields[f"body_{i}"] = forms.CharField(
                label=_("Isi"),
                max_length=20_000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4, "class": "input"}),
            )

    def steps(self) -> list[dict]:
        d = self.cleaned_data
        return [
            {"delay_minutes": d.get(f"delay_{i}") or 0, "subject": d.get(f"subject_{i}"), "body": d.get(f"body_{i}")}
            for i in range(STEPS_MAX)
        ]

    def step_rows(self):
        return [(self[f"delay_{i}"], self[f"subject_{i}"], self[f"body_{i}"]) for i in range(STEPS_MAX)]


class EmailTemplateForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=120)
    category = forms.ChoiceField(label=_("Kategori"), choices=TemplateCategory.choices)
    subject = forms.CharField(label=_("Subjek"), max_length=200)
    body = forms.CharField(
        label=_("Isi"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 12, "class": "input"})
    )
    is_published = forms.BooleanField(label=_("Terbitkan"), required=False)


class BioTemplateForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=120)
    theme = forms.ChoiceField(label=_("Tema"), choices=Theme.choices)
    primary_color = forms.CharField(label=_("Warna utama"), max_length=7, widget=COLOR, initial="#0f766e")
    font = forms.ChoiceField(label=_("Huruf"), choices=Font.choices)
    headline = forms.CharField(label=_("Judul"), max_length=150, required=False)
    bio = forms.CharField(label=_("Bio"), max_length=1000, required=False, widget=forms.Textarea(attrs=TEXTAREA))
    buttons = forms.CharField(
        label=_("Tombol CTA (jenis | teks, satu per baris)"), max_length=2000, required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Jenis: plan, product, course, event, optin, whatsapp, wa_group."),
    )  # fmt: skip
    is_published = forms.BooleanField(label=_("Terbitkan"), required=False)

    def button_list(self):
        rows = []
        for line in (self.cleaned_data.get("buttons") or "").splitlines():
            if "|" in line:
                kind, label = line.split("|", 1)
                rows.append({"kind": kind.strip(), "label": label.strip()})
        return rows


class PackageForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Nama paket"), max_length=80)
    price = forms.IntegerField(label=_("Harga (Rp)"), min_value=1000, max_value=100_000_000)
    credits = forms.IntegerField(label=_("Jumlah kredit"), min_value=1, max_value=1_000_000)
    position = forms.IntegerField(label=_("Urutan"), min_value=0, max_value=1000, required=False)
    is_active = forms.BooleanField(label=_("Dijual"), required=False, initial=True)


class AdjustForm(StyledFormMixin, forms.Form):
    amount = forms.IntegerField(label=_("Jumlah (negatif untuk mengurangi)"), min_value=-1_000_000, max_value=1_000_000)
    reason = forms.CharField(label=_("Alasan"), max_length=200)


class ControlForm(StyledFormMixin, forms.Form):
    suspended = forms.BooleanField(label=_("Hentikan pengiriman email"), required=False)
    reason = forms.CharField(label=_("Alasan"), max_length=200, required=False)
    daily_cap = forms.IntegerField(
        label=_("Batas email per hari (kosong: bawaan)"), min_value=0, max_value=1_000_000, required=False
    )


class SuppressionForm(StyledFormMixin, forms.Form):
    email = forms.CharField(label=_("Email"), max_length=254)
    reason = forms.CharField(label=_("Alasan"), max_length=200, required=False)
