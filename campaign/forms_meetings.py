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
