"""Forms of the rectification pages: plans, items, progress, closing (销号), mass evaluation, look-back."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, StyledForm
from rectification.models import LookBackFinding, RectificationItem, RectificationPlan, SpecialRectification


class PlanForm(StyledForm, forms.ModelForm):
    class Meta:
        model = RectificationPlan
        fields = ["title", "responsible_person", "published_on"]
        widgets = {"published_on": DateInput()}
        help_texts = {"published_on": _("开门整改：整改方案向群众公布的日期（可选）。")}


class ItemForm(StyledForm, forms.ModelForm):
    class Meta:
        model = RectificationItem
        fields = [
            "problem", "four_winds", "special_rectification", "is_institution_building", "measures", "owner",
            "due_on", "public_commitment", "needs_upper_level",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
            "public_commitment": forms.Textarea(attrs={"rows": 2}),
            "due_on": DateInput(),
        }
        help_texts = {
            "owner": _("落实整改的责任人（任务书、时间表、责任人）。"),
            "public_commitment": _("开门整改：向群众公开作出的整改承诺。"),
            "needs_upper_level": _("需要上级部门牵头或协调解决的问题（上下联动）。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["special_rectification"].queryset = SpecialRectification.objects.order_by("ordinal")

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("four_winds") or cleaned.get("special_rectification") or cleaned.get("is_institution_building")):
            raise forms.ValidationError(_("请选择四风归类或专项整治；建章立制事项可不选。"))
        return cleaned


class ProgressForm(StyledForm, forms.Form):
    text = forms.CharField(label=_("整改进展"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
                           required=False, max_length=10000)


class CloseRequestForm(StyledForm, forms.Form):
    # Not required here: the workflow refuses an empty one with its plain reason.
    evidence = forms.CharField(
        label=_("佐证材料"), widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}), required=False,
        max_length=20000, help_text=_("说明整改成效，列出文件、制度、台账等佐证材料。"),
    )


class CloseReviewForm(StyledForm, forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结论"), choices=[("approve", _("同意销号")), ("return", _("退回整改"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
                             required=False, max_length=5000)


class MassEvaluationForm(StyledForm, forms.Form):
    mass_evaluation = forms.ChoiceField(
        label=_("群众评价"), choices=RectificationItem.MassEvaluation.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class LookBackForm(StyledForm, forms.Form):
    """The self-inspection report: summary, further measures, and a result and notes per checkpoint."""

    summary = forms.CharField(label=_("自查情况"), widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
                              max_length=50000)
    further_measures = forms.CharField(
        label=_("深化整改措施"), widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}), required=False,
        max_length=50000,
    )

    def __init__(self, *args, checkpoints, report=None, **kwargs):
        initial = kwargs.pop("initial", None) or {}
        findings = {}
        if report is not None:
            initial.setdefault("summary", report.summary)
            initial.setdefault("further_measures", report.further_measures)
            findings = {finding.checkpoint_id: finding for finding in report.findings.all()}
        for checkpoint in checkpoints:
            finding = findings.get(checkpoint.pk)
            if finding is not None:
                initial.setdefault(f"result_{checkpoint.pk}", finding.result)
                initial.setdefault(f"notes_{checkpoint.pk}", finding.notes)
                initial.setdefault(f"measures_{checkpoint.pk}", finding.measures)
        super().__init__(*args, initial=initial, **kwargs)
        self.checkpoints = list(checkpoints)
        for checkpoint in self.checkpoints:
            self.fields[f"result_{checkpoint.pk}"] = forms.ChoiceField(
                label=_("结论"), choices=LookBackFinding.Result.choices, widget=forms.RadioSelect
            )
            self.fields[f"notes_{checkpoint.pk}"] = forms.CharField(
                label=_("说明"), required=False, max_length=10000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )
            self.fields[f"measures_{checkpoint.pk}"] = forms.CharField(
                label=_("深化整改措施"), required=False, max_length=10000,
                help_text=_("结论为“未达到，需回炉”的必填。"),
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )

    def clean(self):
        """004: 分析问题，提出深化整改措施 — an area that falls short (回炉) says why and what follows
        (also a guard of rectification.lookback's submit and the constraint redo_finding_explained)."""
        cleaned = super().clean()
        for c in self.checkpoints:
            if cleaned.get(f"result_{c.pk}") != LookBackFinding.Result.NOT_MET:
                continue
            if not (cleaned.get(f"notes_{c.pk}") or "").strip():
                self.add_error(f"notes_{c.pk}", _("未达到要求、需回炉的，请说明存在的问题。"))
            if not (cleaned.get(f"measures_{c.pk}") or "").strip():
                self.add_error(f"measures_{c.pk}", _("未达到要求、需回炉的，请提出深化整改措施。"))
        return cleaned

    def rows(self):
        """(checkpoint, result field, notes field, measures field) for the template."""
        return [(c, self[f"result_{c.pk}"], self[f"notes_{c.pk}"], self[f"measures_{c.pk}"]) for c in self.checkpoints]

    def findings(self):
        """{checkpoint: (result, notes, measures)} from the cleaned data."""
        return {
            c: (self.cleaned_data[f"result_{c.pk}"], self.cleaned_data[f"notes_{c.pk}"].strip(),
                self.cleaned_data[f"measures_{c.pk}"].strip())
            for c in self.checkpoints
        }
