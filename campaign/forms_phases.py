"""Forms of a unit's phase timeline (campaign/views/phases.py): the day it entered or finished a
phase, and a note. The rules are campaign.phases' guards; these forms only read the values."""

from django import forms
from django.utils.translation import gettext_lazy

from core import clock
from core.forms import DateInput, StyledForm


class PhaseMoveForm(StyledForm, forms.Form):
    on = forms.DateField(label=gettext_lazy("日期"), widget=DateInput(),
                         error_messages={"required": gettext_lazy("请填写日期。"), "invalid": gettext_lazy("请填写有效的日期。")})
    note = forms.CharField(label=gettext_lazy("说明（可选）"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"on": clock.today()})
        super().__init__(*args, **kwargs)
