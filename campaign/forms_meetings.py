"""Forms of the meeting pages (units/views_work.py)."""

from django import forms
from django.utils.translation import gettext_lazy

from campaign.models import Meeting, Phase
from core.dates import validate_not_in_future, validate_plan_date
from core.forms import DateInput, StyledForm

PLANNED_DATE_REQUIRED = gettext_lazy("请填写计划日期。")


class MeetingForm(StyledForm, forms.ModelForm):
    """A meeting registered by the unit: its kind, the phase it belongs to (one of `campaign`'s)
    and its planned date, both required (campaign.meetings.planning_refusals)."""

    class Meta:
        model = Meeting
        fields = ["kind", "phase", "planned_on", "talks_logged", "notes"]
        widgets = {"planned_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"phase": {"required": gettext_lazy("请选择会议所属环节。"),
                                    "invalid_choice": gettext_lazy("请从本次活动的环节中选择。")},
                          "planned_on": {"required": PLANNED_DATE_REQUIRED}}

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = Phase.objects.filter(campaign=campaign).order_by("ordinal") if campaign \
            else Phase.objects.none()


class AnotherMeetingForm(StyledForm, forms.Form):
    """An office allows a unit another meeting of a kind it already has in the phase (002: 回炉)."""

    planned_on = forms.DateField(label=gettext_lazy("计划日期"), widget=DateInput(), validators=[validate_plan_date],
                                 error_messages={"required": gettext_lazy("请填写计划日期。")})
    reason = forms.CharField(label=gettext_lazy("准许另开的理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": gettext_lazy("准许另开会议时必须说明理由。")})


class PreparationForm(StyledForm, forms.ModelForm):
    """The preparation of a planned meeting; its planned date stays required (it is never emptied)."""

    class Meta:
        model = Meeting
        fields = ["planned_on", "talks_logged", "notes"]
        widgets = {"planned_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"planned_on": {"required": PLANNED_DATE_REQUIRED}}


class HeldForm(StyledForm, forms.Form):
    held_on = forms.DateField(label=gettext_lazy("召开日期"), widget=DateInput(), validators=[validate_not_in_future])


class CorrectHeldForm(StyledForm, forms.Form):
    """A held meeting's date corrected, with the reason (deadlines counting from it follow, rule 13)."""

    held_on = forms.DateField(label=gettext_lazy("正确的召开日期"), widget=DateInput(), validators=[validate_not_in_future])
    reason = forms.CharField(label=gettext_lazy("更正理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": gettext_lazy("请说明更正理由。")})
