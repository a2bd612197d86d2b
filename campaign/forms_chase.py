"""The 催办 form: which obligations, an optional note, and the confirmation of a second chase today."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaign.chases import NOTE_MAX_LENGTH


class ChaseForm(forms.Form):
    obligation = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=(), widget=forms.MultipleHiddenInput)
    requirement = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    unit = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    all_overdue = forms.BooleanField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(label=_("催办说明"), required=False, max_length=NOTE_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTE_MAX_LENGTH}),
                           help_text=_("可选，随催办一并发给联络员。"))
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any positive id is accepted here; which of them the person may chase is restrict()'s answer.
        self.fields["obligation"].valid_value = lambda value: True

    def clean_obligation(self):
        ids = self.cleaned_data["obligation"]
        if any(not 0 < pk < 2**31 for pk in ids):
            raise forms.ValidationError(_("所选报送任务无效。"))
        return ids

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("obligation") and not data.get("all_overdue"):
            raise forms.ValidationError(_("请选择要催办的单位。"))
        return data
