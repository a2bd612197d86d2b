"""Office forms for setting up a campaign: the campaign from a template, its dates and
description, its batches and its phases. They validate; campaign.actions applies."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign import blueprints
from campaign.forms import office_units
from campaign.models import Batch, Campaign, Phase, batch_outside
from core.forms import DateInput, StyledForm
from units.models import UnitType

CAMPAIGN_FIELDS = ["name", "short_name", "starts_on", "ends_on", "description"]


def campaign_offices(user):
    """The committees whose leading-group office the user staffs: where a campaign is set up from."""
    return office_units(user).filter(unit_type=UnitType.PARTY_COMMITTEE).order_by("path")


class CampaignForm(StyledForm, forms.ModelForm):
    """A campaign's name, dates and description (Campaign.clean: the end not before the start,
    the batches inside the dates)."""

    class Meta:
        model = Campaign
        fields = CAMPAIGN_FIELDS
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}


class CampaignCreateForm(CampaignForm):
    """A new campaign from a template: a shipped shape, an earlier campaign the user can see, or blank."""

    template = forms.ChoiceField(label=gettext_lazy("模板"))
    office = forms.ModelChoiceField(label=gettext_lazy("负责的领导小组办公室"), queryset=None)

    field_order = ["template", "name", "short_name", "starts_on", "ends_on", "description", "office"]

    def __init__(self, *args, user, earlier, **kwargs):
        super().__init__(*args, **kwargs)
        self.earlier = {f"campaign:{c.pk}": c for c in earlier}
        shipped = [(b.key, b.label) for b in blueprints.SHIPPED.values()]
        copies = [(key, _("沿用：%(name)s") % {"name": c.name}) for key, c in self.earlier.items()]
        self.fields["template"].choices = [(_("预置模板"), shipped)] + ([(_("沿用以往活动的批次和环节"), copies)] if copies else [])
        self.fields["template"].initial = blueprints.THEME_EDUCATION.key
        self.fields["office"].queryset = campaign_offices(user)
        self.fields["office"].initial = self.fields["office"].queryset.first()
        self.style_widgets()

    def clean_template(self):
        key = self.cleaned_data["template"]
        if key in self.earlier:
            return blueprints.from_campaign(self.earlier[key])
        if key in blueprints.SHIPPED:
            return blueprints.SHIPPED[key]
        raise forms.ValidationError(_("请选择模板。"))

    def clean(self):
        cleaned = super().clean()
        template, starts_on, ends_on = cleaned.get("template"), cleaned.get("starts_on"), cleaned.get("ends_on")
        if template and starts_on and not (ends_on and ends_on < starts_on):
            outside = [spec.name for spec in template.batches if batch_outside(*spec.dates(starts_on), starts_on, ends_on)]
            if outside:
                self.add_error("ends_on", _("按所选模板，以下批次将超出活动的结束日期：%(names)s。请推后结束日期或另选模板。")
                               % {"names": "、".join(outside)})
        return cleaned


class CampaignPartForm(StyledForm, forms.ModelForm):
    """A batch or phase of a campaign: its campaign is not a field, yet the unique constraints
    over (campaign, ordinal) and (campaign, code) are checked with it, not left to the database."""

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.campaign = campaign
        if not self.instance.pk:
            used = type(self.instance).objects.filter(campaign=campaign).values_list("ordinal", flat=True)
            self.fields["ordinal"].initial = max(used, default=0) + 1

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        exclusions.discard("campaign")
        return exclusions


class BatchForm(CampaignPartForm):
    """One batch: ordinal unique in the campaign, dates inside the campaign's (Batch.clean)."""

    class Meta:
        model = Batch
        fields = ["ordinal", "name", "starts_on", "ends_on", "min_months"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["min_months"].help_text = _("每个单位开展活动的最少月数。")
        self.style_widgets()

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("批次的结束日期不能早于开始日期。"))
        return cleaned


class PhaseForm(CampaignPartForm):
    """One phase: ordinal and code unique in the campaign (the model's constraints say so)."""

    class Meta:
        model = Phase
        fields = ["ordinal", "code", "name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _("英文字母、数字、连字符或下划线，同一活动内不重复，例如 study。")
        self.style_widgets()

