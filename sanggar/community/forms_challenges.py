"""Forms of the group challenge and quiz pages. They only shape the input; the services check and refuse it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanggar.core.forms import StyledFormMixin

from .constants import (
    CHALLENGE_POINTS_MAX,
    CHALLENGE_TARGET_MAX,
    CHALLENGE_TEXT_MAX,
    CHALLENGE_TITLE_MAX,
    QUIZ_MAX_OPTIONS,
    QUIZ_OPTION_MAX,
    QUIZ_QUESTION_MAX,
    ChallengeMetric,
    QuizScoring,
)
from .models import Badge

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
WHEN_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class ChallengeForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=CHALLENGE_TITLE_MAX)
    description = forms.CharField(
        label=_("Deskripsi"), max_length=CHALLENGE_TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    metric = forms.ChoiceField(label=_("Yang dihitung"), choices=ChallengeMetric.choices)
    target = forms.IntegerField(label=_("Target"), min_value=1, max_value=CHALLENGE_TARGET_MAX)
    starts_at = forms.DateTimeField(label=_("Mulai (WIB)"), widget=WHEN, input_formats=WHEN_FORMATS)
    ends_at = forms.DateTimeField(label=_("Selesai (WIB)"), widget=WHEN, input_formats=WHEN_FORMATS)
    reward_points = forms.IntegerField(
        label=_("Poin hadiah bila target tercapai"), min_value=0, max_value=CHALLENGE_POINTS_MAX, initial=0
    )
    badge = forms.ModelChoiceField(
        label=_("Lencana hadiah (opsional)"),
        queryset=Badge.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=_("Tanpa lencana"),
    )


class QuizForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=CHALLENGE_TITLE_MAX)
    description = forms.CharField(
        label=_("Deskripsi"), max_length=CHALLENGE_TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    opens_at = forms.DateTimeField(label=_("Dibuka (WIB)"), widget=WHEN, input_formats=WHEN_FORMATS)
    closes_at = forms.DateTimeField(label=_("Ditutup (WIB)"), widget=WHEN, input_formats=WHEN_FORMATS)
    scoring = forms.ChoiceField(label=_("Penilaian"), choices=QuizScoring.choices)
    points = forms.IntegerField(label=_("Poin"), min_value=0, max_value=CHALLENGE_POINTS_MAX, initial=0)


class QuestionForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("Pertanyaan"), max_length=QUIZ_QUESTION_MAX)
    explanation = forms.CharField(
        label=_("Penjelasan (ditampilkan setelah menjawab)"),
        max_length=CHALLENGE_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    correct = forms.TypedChoiceField(
        label=_("Jawaban benar"),
        choices=[(i, _("Pilihan %(n)s") % {"n": i + 1}) for i in range(QUIZ_MAX_OPTIONS)],
        coerce=int,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(QUIZ_MAX_OPTIONS):
            self.fields[f"option_{i}"] = forms.CharField(
                label=_("Pilihan %(n)s") % {"n": i + 1},
                max_length=QUIZ_OPTION_MAX,
                required=i < 2,
                widget=forms.TextInput(attrs={"class": "input"}),
            )

    def option_fields(self):
        return [self[f"option_{i}"] for i in range(QUIZ_MAX_OPTIONS)]

    def question_data(self) -> dict:
        """The question as the service takes it: the filled options in order; `correct` indexes the filled ones."""
        data = self.cleaned_data
        filled = [(i, data.get(f"option_{i}", "")) for i in range(QUIZ_MAX_OPTIONS)]
        filled = [(i, text) for i, text in filled if text.strip()]
        positions = [i for i, _text in filled]
        correct = positions.index(data["correct"]) if data["correct"] in positions else -1
        return {
            "text": data["text"],
            "explanation": data["explanation"],
            "options": [text for _i, text in filled],
            "correct": correct,
        }
