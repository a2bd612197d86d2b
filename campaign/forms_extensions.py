"""Forms of extension requests (延期申请) and exemptions (免报): they validate what was typed;
campaign.extensions and campaign.workflow apply the rules (the moment ahead of the due moment in
force, one pending request, who may)."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from campaign.deadlines import END_OF_DAY, SHANGHAI
from core import clock
from core.dates import validate_plan_date
from core.forms import DateInput, StyledForm

REASON_MAX = 5000


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None, format=None):  # noqa: A002 - Django's own argument name
        super().__init__(attrs=attrs, format=format or "%H:%M")


class ExtensionRequestForm(StyledForm, forms.Form):
    """The new due day, an optional time of day (default: the end of the day, as deadlines are read,
    rule 3) and why."""

    # Its own id: the review form on the same page has a new_due_on too.
    new_due_on = forms.DateField(label=_("申请延至（日期）"), widget=DateInput(attrs={"id": "id_new_due_on_ext"}),
                                 validators=[validate_plan_date])
    new_due_time = forms.TimeField(
        label=_("时间（可选）"), required=False, widget=TimeInput(), input_formats=["%H:%M", "%H:%M:%S"],
        help_text=_("不填则为当日 24 时前。"),
    )
    reason = forms.CharField(label=_("申请理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=REASON_MAX)

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("申请延期时必须说明理由。"))
        return reason

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_due_on") is not None and self.requested_due_at <= clock.now():
            self.add_error("new_due_on", _("申请延至的时间不能早于现在。"))
        return cleaned

    @property
    def requested_due_at(self):
        """The moment asked for, Asia/Shanghai."""
        day = self.cleaned_data.get("new_due_on")
        if day is None:
            return None
        return dt.datetime.combine(day, self.cleaned_data.get("new_due_time") or END_OF_DAY, tzinfo=SHANGHAI)


class ExtensionDecisionForm(StyledForm, forms.Form):
    decision = forms.ChoiceField(
        label=_("审批结论"), choices=[("grant", _("批准")), ("refuse", _("不予批准"))], widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("审批意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=REASON_MAX,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "refuse" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("不予批准时必须说明理由。"))
        return cleaned


class ExemptionForm(StyledForm, forms.Form):
    """免报 or its withdrawal: the reason is always required (the trail keeps it)."""

    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=REASON_MAX)

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("请说明理由。"))
        return reason
