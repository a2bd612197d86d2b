"""Forms of the work pages: submitting a version, reviewing it, reopening an accepted obligation."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from campaign.deadlines import END_OF_DAY, SHANGHAI
from campaign.models import AffiliationReview
from core import clock
from core.dates import validate_plan_date
from core.forms import DateInput, LongSelect, StyledForm
from files.forms import MultipleFileField


class SubmitForm(StyledForm, forms.Form):
    text = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=20000)
    files = MultipleFileField(label=_("文件"), required=False)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("text") or "").strip() and not cleaned.get("files"):
            raise forms.ValidationError(_("请填写说明或上传至少一个文件。"))
        return cleaned


class ReviewForm(StyledForm, forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结论"), choices=[("approve", _("通过")), ("return", _("退回"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)
    new_due_on = forms.DateField(
        label=_("新的截止日期（可选）"), required=False, widget=DateInput(), validators=[validate_plan_date],
        help_text=_("退回时可另定截止日期，当日 24 时前报送。"),
    )

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == "return" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("退回时必须说明理由。"))
        due_on = cleaned.get("new_due_on")
        if due_on is not None:
            if decision != "return":
                self.add_error("new_due_on", _("只有退回时可以调整截止日期。"))
            elif self.new_due_at <= clock.now():
                self.add_error("new_due_on", _("新的截止日期必须晚于今天。"))
        return cleaned

    @property
    def new_due_at(self):
        """The new due moment: end of the chosen day in Asia/Shanghai (rule 3)."""
        due_on = self.cleaned_data.get("new_due_on")
        return dt.datetime.combine(due_on, END_OF_DAY, tzinfo=SHANGHAI) if due_on else None


class ReopenForm(StyledForm, forms.Form):
    reason = forms.CharField(label=_("重新打开的理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class AffiliationReviewForm(StyledForm, forms.Form):
    """The affiliation body's review of its part (004): agree, or give an opinion in words."""

    decision = forms.ChoiceField(
        label=_("审阅结论"), choices=AffiliationReview.Decision.choices, widget=forms.RadioSelect
    )
    opinion = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == AffiliationReview.Decision.OPINION and not (cleaned.get("opinion") or "").strip():
            self.add_error("opinion", _("提出意见时必须填写意见内容。"))
        return cleaned


class WithdrawFileForm(StyledForm, forms.Form):
    """撤回文件: an optional reason, kept with the withdrawn file and in the audit trail."""

    reason = forms.CharField(label=_("撤回理由"), required=False, max_length=500)


class DirectiveAttachmentForm(StyledForm, forms.Form):
    """An office uploads an attachment's file: for an attachment already listed without one, or as a
    new attachment with its title (the file's name when left empty)."""

    attachment = forms.ModelChoiceField(
        label=_("附件"), queryset=None, required=False, empty_label=_("新增附件"),
        help_text=_("选择已登记但尚无文件的附件，或新增附件。"),
    )
    title = forms.CharField(label=_("附件标题"), required=False, max_length=300,
                            help_text=_("新增附件时填写；不填则使用文件名。"))
    file = MultipleFileField(label=_("附件文件"), multiple=False)

    def __init__(self, *args, directive, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachment"].queryset = directive.attachments.filter(stored_name="").order_by("ordinal")
        if not self.fields["attachment"].queryset.exists():
            del self.fields["attachment"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("attachment") and not (cleaned.get("title") or "").strip() and cleaned.get("file"):
            cleaned["title"] = cleaned["file"][0].name.rsplit(".", 1)[0]
        return cleaned


class QueueFilterForm(StyledForm, forms.Form):
    """The filters of a review queue (campaign.queues): one requirement, one unit and its subtree.
    Only validates: a value it refuses says why and filters nothing; the valid one still applies."""

    requirement = forms.TypedChoiceField(label=_("报送要求"), required=False, coerce=int, empty_value=None)
    unit = forms.TypedChoiceField(label=_("单位（含下级）"), required=False, coerce=int, empty_value=None, widget=LongSelect)

    def __init__(self, data=None, *, requirements, units, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["requirement"].choices = [("", _("全部报送要求")), *requirements]
        self.fields["requirement"].error_messages["invalid_choice"] = _("待审核材料中没有这项报送要求，已显示全部。")
        self.fields["unit"].choices = [("", _("全部单位")), *units]
        self.fields["unit"].error_messages["invalid_choice"] = _("待审核材料中没有这个单位，已显示全部单位。")
        self.style_widgets()

    def filters(self):
        """The valid filters, as {name: value} (empty values left out)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value is not None}
