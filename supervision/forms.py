"""Forms of the supervision workspace: visits, evaluations, feedback and its sign-off, meeting comments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, StyledForm
from supervision.models import Evaluation, Feedback, MeetingAttendance, Visit


class VisitForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Visit
        fields = ["kind", "visited_on", "findings"]
        widgets = {"visited_on": DateInput(), "findings": forms.Textarea(attrs={"rows": 3})}


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


class DossierFilterForm(StyledForm, forms.Form):
    """The filters of a group's dossier of a unit (supervision.dossier): one kind of record (else
    all of them), a date range, a requirement (its obligations only). Only validates: a value it
    refuses says why and filters nothing; the valid ones still apply."""

    kind = forms.ChoiceField(label=_("记录类别"), required=False)
    requirement = forms.TypedChoiceField(label=_("报送要求"), required=False, coerce=int, empty_value=None)
    date_from = forms.DateField(label=_("起始日期"), required=False,
                                error_messages={"invalid": _("起始日期不是有效日期，已忽略。")})
    date_to = forms.DateField(label=_("结束日期"), required=False,
                              error_messages={"invalid": _("结束日期不是有效日期，已忽略。")})

    def __init__(self, data=None, *, kinds, requirements, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["kind"].choices = [("", _("全部记录")), *kinds]
        self.fields["kind"].error_messages["invalid_choice"] = _("没有这种记录类别，已显示全部记录。")
        self.fields["requirement"].choices = [("", _("全部报送要求")), *requirements]
        self.fields["requirement"].error_messages["invalid_choice"] = _("该单位没有这项报送要求，已显示全部报送任务。")
        self.style_widgets()

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("结束日期不能早于起始日期，已忽略日期筛选。"))
            cleaned.pop("date_from", None)
        return cleaned

    def filters(self):
        """The valid filters, as {name: value} (empty values left out)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
