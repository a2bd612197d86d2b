"""The form of a unit's study record (002: 学习教育). It only validates; the changes are units.study's."""

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
