from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sanggar.accounts.constants import PROVINCE_CHOICES
from sanggar.catalog.models import MembershipPlan, Product
from sanggar.community.models import Group
from sanggar.core.forms import StyledFormMixin
from sanggar.core.roles import Role
from sanggar.events.models import Event
from sanggar.learning.models import Course
from sanggar.notifications.constants import Channel
from sanggar.notifications.rendering import text_to_html

from .constants import (
    DELAY_UNIT_HOURS,
    IN_APP,
    WEEKDAYS,
    Condition,
    DelayUnit,
    SegmentStatus,
    SequenceKind,
    StopOn,
    Target,
    Trigger,
)

TARGET_CHOICES_MAX = 200  # options per kind in the target picker


def target_choices():
    """The target picker: every plan, product, course and event (the newest TARGET_CHOICES_MAX of each)."""
    from_models = (
        (Target.PLAN, MembershipPlan.objects.order_by("-id")),
        (Target.PRODUCT, Product.objects.order_by("-id")),
        (Target.COURSE, Course.objects.order_by("-id")),
        (Target.EVENT, Event.objects.order_by("-starts_at")),
    )
    choices = [("", _("Semua (tanpa sasaran khusus)"))]
    for kind, qs in from_models:
        label = Target(kind).label
        options = [(f"{kind}:{pk}", title) for pk, title in qs.values_list("pk", "title")[:TARGET_CHOICES_MAX]]
        options += [(f"{kind}:", _("Semua %(kind)s") % {"kind": label})]
        choices.append((label, options))
    # the supplier triggers (upgrade reminders, Premium ending) reach suppliers, not members
    choices.append((Target.SUPPLIER.label, [(f"{Target.SUPPLIER}:", _("Semua supplier"))]))
    return choices


class SequenceForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Nama urutan"), max_length=120)
    target = forms.ChoiceField(label=_("Sasaran (paket, produk, kelas atau event)"), required=False)
    trigger = forms.ChoiceField(label=_("Pemicu"), choices=Trigger.choices)
    kind = forms.ChoiceField(
        label=_("Jenis pengingat"),
        choices=SequenceKind.choices,
        initial=SequenceKind.TRANSACTIONAL,
        required=False,
        help_text=_(
            "Pemasaran: email membawa tautan berhenti berlangganan, dan member yang sudah berhenti berlangganan "
            "tidak menerima urutan ini. Transaksional (masa aktif, invoice, event) tetap dikirim."
        ),
    )
    days = forms.IntegerField(
        label=_("Jumlah hari (tidak aktif N hari; 'berakhir dalam N hari')"),
        min_value=0,
        max_value=365,
        initial=0,
        required=False,
    )
    specific_at = forms.DateTimeField(
        label=_("Tanggal dan jam (untuk 'pada tanggal tertentu', WIB)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    conditions = forms.MultipleChoiceField(
        label=_("Syarat (semua harus terpenuhi)"),
        choices=Condition.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stop_on = forms.ChoiceField(label=_("Berhenti bila member"), choices=StopOn.choices)
    quiet_start = forms.TimeField(label=_("Jam tenang mulai (WIB)"), required=False)
    quiet_end = forms.TimeField(label=_("Jam tenang selesai (WIB)"), required=False)
    is_active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = target_choices()
        self.fields["conditions"].help_text = usage_help()

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        kind, _sep, pk = (data.pop("target") or "").partition(":")
        data["target_type"], data["target_id"] = kind, pk or None
        data["kind"] = data.get("kind") or SequenceKind.TRANSACTIONAL
        return data


def usage_help() -> str:
    """The editor's short help on the conditions: what "pemakaian membership" and "tidak aktif" mean (the rule of
    `engine.usage_level`, with the numbers from the settings)."""
    return _(
        "Pemakaian membership dihitung dari %(days)s hari terakhir: pelajaran yang diselesaikan di kelas paket ini "
        "(semua kelas bila paket tanpa kelas) dan hari aktif (hari dengan login, belajar, atau menulis di komunitas). "
        "RENDAH: kurang dari %(low_l)s pelajaran dan kurang dari %(low_d)s hari aktif. TINGGI: minimal %(high_l)s "
        "pelajaran atau %(high_d)s hari aktif. SEDANG: di antaranya. Tidak login / tidak aktif: ambang %(inactive)s "
        "hari. Pilih satu tingkat pemakaian saja."
    ) % {
        "days": settings.REMINDERS_USAGE_DAYS,
        "low_l": settings.REMINDERS_USAGE_LOW_LESSONS,
        "low_d": settings.REMINDERS_USAGE_LOW_DAYS,
        "high_l": settings.REMINDERS_USAGE_HIGH_LESSONS,
        "high_d": settings.REMINDERS_USAGE_HIGH_DAYS,
        "inactive": settings.REMINDERS_INACTIVE_DAYS,
    }


def sequence_initial(sequence) -> dict:
    fields = ("name", "trigger", "kind", "days", "stop_on", "quiet_start", "quiet_end", "is_active", "specific_at")
    initial = {f: getattr(sequence, f) for f in fields}
    initial["conditions"] = list(sequence.conditions or [])
    target = f"{sequence.target_type}:{sequence.target_id or ''}" if sequence.target_type else ""
    initial["target"] = target
    return initial


# (form field, channel, content key)
CONTENT_FIELDS = (
    ("email_subject", "email", "subject"),
    ("email_body", "email", "body"),
    ("email_body_html", "email", "body_html"),
    ("email_cta_text", "email", "cta_text"),
    ("email_cta_link", "email", "cta_link"),
    ("whatsapp_text", "whatsapp", "text"),
    ("push_title", "push", "title"),
    ("push_body", "push", "body"),
    ("push_icon_url", "push", "icon_url"),
    ("push_deep_link", "push", "deep_link"),
    ("in_app_title", IN_APP, "title"),
    ("in_app_body", IN_APP, "body"),
    ("in_app_link", IN_APP, "link"),
    ("in_app_display", IN_APP, "display"),
)
STEP_CHANNEL_CHOICES = ((IN_APP, _("In-app")), *Channel.choices)


class StepForm(StyledFormMixin, forms.Form):
    """The builder's step: Dasar (delay, channels, order), Konten (one tab per channel), Lanjutan (time, days)."""

    delay_amount = forms.IntegerField(label=_("Jeda"), min_value=0, max_value=8760, initial=0)
    delay_unit = forms.ChoiceField(label=_("Satuan jeda"), choices=DelayUnit.choices, initial=DelayUnit.DAYS)
    sort_order = forms.IntegerField(label=_("Urutan"), min_value=0, max_value=1000, required=False)
    channels = forms.MultipleChoiceField(
        label=_("Saluran"), choices=STEP_CHANNEL_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    subject = forms.CharField(label=_("Judul (umum)"), max_length=200)
    body = forms.CharField(label=_("Isi pesan (umum)"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    email_subject = forms.CharField(label=_("Subjek email"), max_length=200, required=False)
    email_body = forms.CharField(
        label=_("Isi email (teks biasa)"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    # The rich-text editor's HTML (sanitised by the service); used only when the editor ran (`email_rich` = "1"),
    # so a browser without JavaScript edits the plain text above instead.
    email_body_html = forms.CharField(
        label=_("Isi email"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    email_rich = forms.CharField(required=False, max_length=1, widget=forms.HiddenInput)
    email_cta_text = forms.CharField(label=_("Teks tombol"), max_length=60, required=False)
    email_cta_link = forms.CharField(label=_("Tautan tombol"), max_length=500, required=False)
    whatsapp_text = forms.CharField(
        label=_("Teks WhatsApp (maks. 1.024)"),
        max_length=1024,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    push_title = forms.CharField(label=_("Judul push (maks. 65)"), max_length=65, required=False)
    push_body = forms.CharField(
        label=_("Isi push (maks. 240)"), max_length=240, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    push_icon_url = forms.CharField(
        label=_("Ikon push (https:// atau /static/…)"),
        max_length=500,
        required=False,
        help_text=_("Kosong: ikon platform."),
    )
    push_deep_link = forms.CharField(
        label=_("Deep link push (https:// atau jalur aplikasi, mis. /kursus/dasar-ekspor)"),
        max_length=500,
        required=False,
        help_text=_("Halaman yang dibuka saat notifikasi diketuk; boleh memakai kode seperti {event_link}."),
    )
    in_app_title = forms.CharField(label=_("Judul in-app"), max_length=200, required=False)
    in_app_body = forms.CharField(
        label=_("Isi in-app"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    in_app_link = forms.CharField(label=_("Tautan in-app"), max_length=500, required=False)
    in_app_display = forms.ChoiceField(
        label=_("Tampilan in-app"),
        choices=(("", _("Notifikasi biasa (toast)")), ("popup", _("Popup otomatis")), ("silent", _("Senyap"))),
        required=False,
    )
    preferred_time = forms.TimeField(label=_("Jam kirim (WIB, mis. 09:00)"), required=False)
    days_of_week = forms.TypedMultipleChoiceField(
        label=_("Hari kirim (kosong = setiap hari)"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    avoid_weekends = forms.BooleanField(label=_("Hindari akhir pekan"), required=False)

    BASIC = ("delay_amount", "delay_unit", "sort_order", "channels", "subject", "body")
    ADVANCED = ("preferred_time", "days_of_week", "avoid_weekends")

    def fields_named(self, names):
        return [self[name] for name in names]

    def basic_fields(self):
        return self.fields_named(self.BASIC)

    def advanced_fields(self):
        return self.fields_named(self.ADVANCED)

    def channel_fields(self):
        """[(channel, label, [bound fields])] for the content tabs."""
        labels = dict(STEP_CHANNEL_CHOICES)
        tabs = {}
        for name, channel, _key in CONTENT_FIELDS:
            if name != "email_body_html":  # shown inside the email body's editor (reminders/_email_editor.html)
                tabs.setdefault(channel, []).append(self[name])
        return [(channel, labels[channel], fields) for channel, fields in tabs.items()]

    def service_data(self) -> dict:
        skip = {f for f, _c, _k in CONTENT_FIELDS} | {"email_rich"}
        data = {k: v for k, v in self.cleaned_data.items() if k not in skip}
        content = {}
        rich = self.cleaned_data.get("email_rich") == "1"
        for name, channel, key in CONTENT_FIELDS:
            if name == "email_body_html" and not rich:
                continue  # no editor ran: the plain textarea is the email body
            if name == "email_body" and rich and (self.cleaned_data.get("email_body_html") or "").strip():
                continue  # the rich body's plain text is derived from its HTML
            value = (self.cleaned_data.get(name) or "").strip()
            if value:
                content.setdefault(channel, {})[key] = value
        data["content"] = content
        return data


def step_initial(step) -> dict:
    initial = {
        f: getattr(step, f)
        for f in (
            "delay_amount",
            "delay_unit",
            "sort_order",
            "channels",
            "subject",
            "body",
            "preferred_time",
            "days_of_week",
            "avoid_weekends",
        )
    }
    if step.delay_amount * DELAY_UNIT_HOURS.get(step.delay_unit, 1) != step.delay_hours:  # a step from before units
        initial["delay_amount"], initial["delay_unit"] = step.delay_hours, DelayUnit.HOURS
    for name, channel, key in CONTENT_FIELDS:
        initial[name] = (step.content or {}).get(channel, {}).get(key, "")
    if not initial["email_body_html"] and initial["email_body"]:  # a plain email body opens in the editor as paragraphs
        initial["email_body_html"] = text_to_html(initial["email_body"])
    return initial


class BroadcastForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Nama broadcast"), max_length=120)
    subject = forms.CharField(label=_("Judul"), max_length=200)
    body = forms.CharField(label=_("Isi pesan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))
    link = forms.CharField(
        label=_("Tautan tujuan (opsional)"),
        max_length=500,
        required=False,
        help_text=_("Alamat di situs ini (/…) atau http(s); klik dihitung lewat tautan bertanda tangan."),
    )
    cta_text = forms.CharField(
        label=_("Teks tombol email"), max_length=60, required=False, help_text=_('Kosong: tombol bertuliskan "Buka".')
    )
    channels = forms.MultipleChoiceField(
        label=_("Saluran"), choices=Channel.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    segment_role = forms.ChoiceField(label=_("Peran"), choices=[("", _("Semua peran")), *Role.choices], required=False)
    segment_plan = forms.ModelChoiceField(
        label=_("Paket keanggotaan (aktif)"),
        queryset=MembershipPlan.objects.all(),
        required=False,
        empty_label=_("Semua paket"),
    )
    segment_status = forms.ChoiceField(label=_("Status keanggotaan"), choices=SegmentStatus.choices, required=False)
    segment_province = forms.ChoiceField(
        label=_("Provinsi"), choices=[("", _("Semua provinsi")), *PROVINCE_CHOICES], required=False
    )
    segment_expiring_days = forms.IntegerField(
        label=_("Keanggotaan aktif berakhir dalam (hari, 0 = abaikan)"),
        min_value=0,
        max_value=3650,
        initial=0,
        required=False,
    )
    segment_inactive_days = forms.IntegerField(
        label=_("Tidak login sejak (hari, 0 = abaikan)"), min_value=0, max_value=3650, initial=0, required=False
    )
    segment_group = forms.ModelChoiceField(
        label=_("Anggota grup komunitas"),
        queryset=Group.objects.order_by("name"),
        required=False,
        empty_label=_("Semua (abaikan grup)"),
    )
    segment_course = forms.ModelChoiceField(
        label=_("Peserta kelas"),
        queryset=Course.objects.order_by("title"),
        required=False,
        empty_label=_("Semua (abaikan kelas)"),
    )

    SEGMENT_FIELDS = (
        "segment_role",
        "segment_plan",
        "segment_status",
        "segment_province",
        "segment_expiring_days",
        "segment_inactive_days",
        "segment_group",
        "segment_course",
    )


class BroadcastScheduleForm(StyledFormMixin, forms.Form):
    send_at = forms.DateTimeField(
        label=_("Jadwalkan pada (WIB)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class TrackingSettingsForm(StyledFormMixin, forms.Form):
    """Site-wide tracking of reminder and broadcast emails (PDP)."""

    open_pixel = forms.BooleanField(
        label=_("Pasang piksel pembukaan (mengukur email yang dibuka)"),
        required=False,
        help_text=_("Dimatikan: email tidak memuat piksel sama sekali; klik tautan tetap diukur lewat tautan pelacak."),
    )
    privacy_url = forms.CharField(
        label=_("Alamat halaman kebijakan privasi"),
        max_length=500,
        required=False,
        help_text=_("Ditautkan di kaki setiap email pengingat dan broadcast, mis. /kebijakan-privasi atau https://…"),
    )
