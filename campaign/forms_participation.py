"""The office's form for putting units into a campaign's batch (003: batches, staggered start)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.policy import restrict
from core.forms import DateInput, StyledForm
from units.models import Level, Unit, UnitType


class UnitBatchForm(StyledForm, forms.Form):
    """One unit's batch in a campaign, and the day it started."""

    batch = forms.ChoiceField(label=gettext_lazy("批次"), required=False)
    joined_on = forms.DateField(label=gettext_lazy("开展活动起始日"), required=False, widget=DateInput())

    def __init__(self, *args, campaign, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign, self.user = campaign, user
        self.batches = {str(batch.pk): batch for batch in campaign.batches.order_by("ordinal")}
        self.fields["batch"].choices = [("", _("不分批次"))] + [(pk, batch.name) for pk, batch in self.batches.items()]
        self.style_widgets()

    def clean_batch(self):
        value = self.cleaned_data["batch"]
        return self.batches.get(value) if value else None


class EnrolForm(UnitBatchForm):
    """Which units (a subtree, narrowed by level and type, or a list of codes) join which batch."""

    under = forms.CharField(
        label=gettext_lazy("范围（单位代码，含下级）"), max_length=32, required=False,
        help_text=gettext_lazy("该单位及其全部下级单位；不填则为本办公室管辖的全部单位。"),
    )
    levels = forms.MultipleChoiceField(label=gettext_lazy("层级"), required=False, choices=Level.choices,
                                       widget=forms.CheckboxSelectMultiple)
    unit_types = forms.MultipleChoiceField(label=gettext_lazy("单位类型"), required=False, choices=UnitType.choices,
                                           widget=forms.CheckboxSelectMultiple)
    codes = forms.CharField(
        label=gettext_lazy("指定单位代码"), required=False, max_length=200000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("每行或用逗号分隔一个单位代码；填写后只编入这些单位（仍限于上面的范围）。"),
    )
    field_order = ["batch", "under", "levels", "unit_types", "codes", "joined_on"]

    def clean_under(self):
        code = self.cleaned_data["under"].strip()
        if not code:
            return None
        unit = restrict(Unit.objects.filter(code=code), self.user, "manage").first()
        if unit is None:
            raise forms.ValidationError(_("未找到本单位管辖范围内代码为“%(code)s”的单位。") % {"code": code})
        return unit

    def clean_codes(self):
        return [code for code in self.cleaned_data["codes"].replace("，", ",").replace(",", "\n").split() if code]

    def units(self):
        """The units the form names, among those the user manages (an office's subtree)."""
        data = self.cleaned_data
        units = restrict(Unit.objects.active(), self.user, "manage")
        if data["under"] is not None:
            units = units.subtree(data["under"])
        if data["levels"]:
            units = units.filter(level__in=data["levels"])
        if data["unit_types"]:
            units = units.filter(unit_type__in=data["unit_types"])
        if data["codes"]:
            units = units.filter(code__in=data["codes"])
        return units

    def clean(self):
        cleaned = super().clean()
        if not self.errors and cleaned.get("codes"):
            found = set(self.units().values_list("code", flat=True))
            unknown = [code for code in cleaned["codes"] if code not in found]
            if unknown:
                self.add_error("codes", _("以下单位代码不在管辖范围内或不存在：%(codes)s") % {"codes": "、".join(unknown[:50])})
        return cleaned


class MinimumStayWaiverForm(StyledForm, forms.Form):
    """An office's exception to the minimum months (rule 8, 003: 一般不少于3个月), with its reason."""

    reason = forms.CharField(
        label=gettext_lazy("例外理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("请说明例外理由。")},
        help_text=gettext_lazy("说明为何准予本单位在不足规定月数时完成总结环节、召开总结会议。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()
