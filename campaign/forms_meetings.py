"""Forms of the meeting pages (units/views_work.py)."""

from django import forms
from django.utils.translation import gettext_lazy

from campaign.models import Meeting
from core.dates import validate_not_in_future
from core.forms import DateInput, StyledForm


class MeetingForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "planned_on", "talks_logged", "notes"]
        widgets = {"planned_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}


class PreparationForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["planned_on", "talks_logged", "notes"]
        widgets = {"planned_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}


class HeldForm(StyledForm, forms.Form):
    held_on = forms.DateField(label=gettext_lazy("召开日期"), widget=DateInput(), validators=[validate_not_in_future])


class CorrectHeldForm(StyledForm, forms.Form):
    """A held meeting's date corrected, with the reason (deadlines counting from it follow, rule 13)."""

    held_on = forms.DateField(label=gettext_lazy("正确的召开日期"), widget=DateInput(), validators=[validate_not_in_future])
    reason = forms.CharField(label=gettext_lazy("更正理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": gettext_lazy("请说明更正理由。")})
