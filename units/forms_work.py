"""Forms of the meeting pages (units/views_work.py)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from units.models import Meeting


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "planned_on", "talks_logged", "notes"]
        widgets = {"planned_on": forms.DateInput(attrs={"type": "date"}), "notes": forms.Textarea(attrs={"rows": 3})}


class PreparationForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["planned_on", "talks_logged", "notes"]
        widgets = {"planned_on": forms.DateInput(attrs={"type": "date"}), "notes": forms.Textarea(attrs={"rows": 3})}


class HeldForm(forms.Form):
    held_on = forms.DateField(label=gettext_lazy("召开日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("召开日期不能晚于今天。"))
        return held_on
