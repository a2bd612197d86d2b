"""The office's form for one requirement's reminder policy (empty fields inherit)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import ReminderPolicy


class ReminderPolicyForm(forms.ModelForm):
    before_offsets = forms.CharField(
        label=_("提前提醒天数"), required=False, help_text=_("用逗号分隔，例如 7,3,1；留空则沿用默认设置。")
    )

    class Meta:
        model = ReminderPolicy
        fields = ["enabled", "before_offsets", "send_time", "escalate_group_after_days", "escalate_office_after_days",
                  "repeat_every_days", "repeat_max", "non_workday_rule"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.before_offsets is not None:
            self.initial["before_offsets"] = ",".join(str(d) for d in self.instance.before_offsets)

    def clean_before_offsets(self):
        text = self.cleaned_data["before_offsets"].replace("，", ",").strip()
        if not text:
            return None
        try:
            offsets = sorted({int(part) for part in text.split(",") if part.strip()}, reverse=True)
        except ValueError:
            raise forms.ValidationError(_("请填写整数天数，用逗号分隔。"))
        if any(d < 0 or d > 60 for d in offsets):
            raise forms.ValidationError(_("提前天数应在 0 到 60 之间。"))
        return offsets
