"""Forms of the study pages (002: 学习教育): a unit's study record, and the offices' overview filter.
They only validate; the changes are units.study's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm
from core.validators import validate_visible_text
from units.models import StudyRecord


class StudyRecordForm(StyledForm, forms.ModelForm):
    class Meta:
        model = StudyRecord
        fields = ["kind", "held_on", "days", "topic", "speaker", "participants"]
        help_texts = {
            "days": _("集中学习按实际天数填写，可填半天（0.5）；其他形式填1。"),
            "speaker": _("党课请填写主讲的领导干部姓名。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("topic", "speaker"):
            self.fields[name].validators.append(validate_visible_text)
        self.fields["days"].widget.attrs.update(step="0.5", min="0.5", inputmode="decimal")
        self.fields["participants"].widget.attrs.update(min="0", inputmode="numeric")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == StudyRecord.Kind.LECTURE and not (cleaned.get("speaker") or "").strip():
            self.add_error("speaker", _("党课请填写主讲人。"))
        return cleaned


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
