"""Forms of the supervision workspace: visits, evaluations, feedback and its sign-off, meeting comments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, StyledForm
from files.forms import MultipleFileField
from supervision.models import Evaluation, Feedback, MeetingAttendance, Visit


class VisitForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Visit
        fields = ["kind", "visited_on", "findings"]
        widgets = {"visited_on": DateInput(), "findings": forms.Textarea(attrs={"rows": 3})}

    files = MultipleFileField(label=_("调研材料（照片、记录，可选）"), required=False)


class EvaluationForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["subject", "rating", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class FeedbackForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ["subject", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}


class FeedbackDraftForm(FeedbackForm):
    """The draft on its own page: its text and the feedback document(s) (反馈意见 as sent to the unit)."""

    files = MultipleFileField(label=_("反馈意见文件（可选）"), required=False)


class SignOffForm(StyledForm, forms.Form):
    decision = forms.ChoiceField(
        label=_("签发"), choices=[("sign", _("签发")), ("refuse", _("不予签发"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("不予签发的理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "refuse" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("不予签发时必须说明理由。"))
        return cleaned


class AttendanceForm(StyledForm, forms.ModelForm):
    class Meta:
        model = MeetingAttendance
        fields = ["comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}
