from django import forms
from django.utils.translation import gettext_lazy as _

from sanggar.accounts.constants import PROVINCE_CHOICES
from sanggar.catalog.models import MembershipPlan
from sanggar.core.forms import StyledFormMixin
from sanggar.core.roles import Role
from sanggar.notifications.constants import Channel

from .constants import SegmentStatus, StopOn, Trigger


class SequenceForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Nama urutan"), max_length=120)
    trigger = forms.ChoiceField(label=_("Pemicu"), choices=Trigger.choices)
    days = forms.IntegerField(
        label=_("Jumlah hari (untuk 'berakhir dalam N hari')"), min_value=0, max_value=365, initial=0, required=False
    )
    stop_on = forms.ChoiceField(label=_("Kondisi berhenti"), choices=StopOn.choices)
    quiet_start = forms.TimeField(label=_("Jam tenang mulai (WIB)"), required=False)
    quiet_end = forms.TimeField(label=_("Jam tenang selesai (WIB)"), required=False)
    is_active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)


class StepForm(StyledFormMixin, forms.Form):
    delay_hours = forms.IntegerField(label=_("Jeda setelah pemicu (jam)"), min_value=0, max_value=8760, initial=0)
    channels = forms.MultipleChoiceField(
        label=_("Saluran"), choices=Channel.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    subject = forms.CharField(label=_("Judul"), max_length=200)
    body = forms.CharField(label=_("Isi pesan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))


class BroadcastForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Nama broadcast"), max_length=120)
    subject = forms.CharField(label=_("Judul"), max_length=200)
    body = forms.CharField(label=_("Isi pesan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))
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


class BroadcastScheduleForm(StyledFormMixin, forms.Form):
    send_at = forms.DateTimeField(
        label=_("Jadwalkan pada (WIB)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
