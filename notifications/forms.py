"""The one form of a reminder policy, for a requirement's own policy and for an office's defaults
(both are PolicyFields; an empty field inherits, DESIGN rule 5)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm
from notifications.channels import InAppChannel, configured_channels, hears_on
from notifications.models import OfficeReminderDefaults, PolicyFields, ReminderPolicy


class PolicyForm(StyledForm, forms.ModelForm):
    before_offsets = forms.CharField(
        label=_("提前提醒天数"), required=False, max_length=200,
        help_text=_("用逗号分隔，例如 7,3,1；留空则沿用上级设置。"),
    )

    class Meta:
        model = ReminderPolicy
        fields = ["enabled", *PolicyFields.FIELDS]
        widgets = {"send_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Empty means "as the office above (or the built-in default) says".
        self.fields["non_workday_rule"].choices = [
            ("", _("沿用上级设置")), *[(value, label) for value, label in self.fields["non_workday_rule"].choices if value]
        ]
        if self.instance.before_offsets is not None:
            self.initial["before_offsets"] = ",".join(str(d) for d in self.instance.before_offsets)

    def clean_before_offsets(self):
        text = self.cleaned_data["before_offsets"].replace("，", ",").strip()
        if not text:
            return None
        try:
            offsets = sorted({int(part) for part in text.split(",") if part.strip()}, reverse=True)
        except ValueError as exc:
            raise forms.ValidationError(_("请填写整数天数，用逗号分隔。")) from exc
        if any(d < 0 or d > 60 for d in offsets):
            raise forms.ValidationError(_("提前天数应在 0 到 60 之间。"))
        return offsets


class ReminderPolicyForm(PolicyForm):
    """One requirement's own policy: what it sets overrides its office's defaults."""


class OfficeDefaultsForm(PolicyForm):
    """An office's defaults for the requirements it issues (and those of the offices below it
    that set none)."""

    class Meta(PolicyForm.Meta):
        model = OfficeReminderDefaults
        fields = PolicyFields.FIELDS


class ResendForm(StyledForm, forms.Form):
    """Why failed reminders are sent again: the audit trail keeps it (notifications.actions)."""

    reason = forms.CharField(
        label=_("理由"), max_length=500, help_text=_("记入留痕，例如“邮件服务器已恢复”。"),
    )


class PreferencesForm(StyledForm, forms.Form):
    """A person's own language and channels (issue 13). The channels offered are those the
    deployment configures (NOTIFICATION_CHANNELS); the notification centre cannot be turned off."""

    language = forms.ChoiceField(label=_("界面与消息语言"), choices=settings.LANGUAGES)
    channels = forms.MultipleChoiceField(label=_("接收渠道"), required=False, widget=forms.CheckboxSelectMultiple,
                                         help_text=_("站内通知始终接收；其他渠道可按需关闭。"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        offered = [channel for channel in configured_channels() if channel.name != InAppChannel.name]
        self.offered = [channel.name for channel in offered]
        self.fields["channels"].choices = [(channel.name, channel.label) for channel in offered]
        self.initial.setdefault("language", user.language or settings.LANGUAGE_CODE)
        self.initial.setdefault("channels", [name for name in self.offered if hears_on(user, name)])

    def quiet_channels(self):
        return [name for name in self.offered if name not in self.cleaned_data["channels"]]
