"""The offices' study overview filter (002: 学习教育); it only validates."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm
from core.validators import validate_visible_text


class StudyOverviewForm(StyledForm, forms.Form):
    """The offices' overview: a name to look for, and whether to list only the units behind."""

    q = forms.CharField(label=_("单位名称"), max_length=100, required=False, validators=[validate_visible_text])
    behind = forms.BooleanField(label=_("只看未达标单位"), required=False)

    def filter(self, units):
        if not self.is_valid():
            return units
        if self.cleaned_data["q"]:
            units = units.filter(name__icontains=self.cleaned_data["q"].strip())
        return units

    @property
    def behind_only(self):
        return self.is_valid() and self.cleaned_data["behind"]
