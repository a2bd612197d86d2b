"""Office forms: directives (number parsed on the field) and requirements (targeting, deadline)."""


from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.scope import scope_for
from campaign import status as obligation_status
from campaign.deadlines import DeadlineError, DueEvent, EventDeadline, Precision, read_deadline
from campaign.docnumbers import DocumentNumberError, parse_document_number
from campaign.forwarding import book_title, cited_document, forward_issuer, is_placeholder
from campaign.models import Batch, Directive, ObligationStatus, Phase, Requirement
from campaign.recurrence import Rule, read_recurrence
from core import clock
from core.forms import DateInput, StyledForm
from units.models import Level, Unit, UnitType

DIRECTIVE_FIELDS = [
    "doc_type", "issuing_unit", "issuer_name", "title", "primary_recipients", "copy_recipients",
    "signed_on", "printed_on", "urgency", "secrecy", "body",
]


def office_units(user):
    """The units whose office the user staffs: where directives can be issued from."""
    scope = scope_for(user)
    if scope.everything:
        return Unit.objects.filter(level__in=[Level.CENTRAL, Level.PROVINCE, Level.CITY, Level.COUNTY], unit_type="committee")
    return Unit.objects.filter(path__in=scope.office_paths)


class DirectiveForm(StyledForm, forms.ModelForm):
    """A directive with its typed document number; the parser's message shows on the field (rule 1).

    A new directive belongs to `campaign` (the current one, or the forwarded directive's), which
    must have been launched; a directive keeps its campaign when edited."""

    number_text = forms.CharField(
        label=gettext_lazy("发文字号"), required=False, help_text=gettext_lazy("例如：浙群组发〔2013〕48号"), max_length=80
    )

    class Meta:
        model = Directive
        fields = DIRECTIVE_FIELDS
        widgets = {
            "signed_on": DateInput(),
            "printed_on": DateInput(),
            "primary_recipients": forms.Textarea(attrs={"rows": 2}),
            "copy_recipients": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 10}),
        }

    def __init__(self, *args, user, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not self.instance.pk:
            self.instance.campaign = campaign
        self.fields["issuing_unit"].queryset = office_units(user)
        if self.instance.pk:
            self.fields["number_text"].initial = self.instance.number
        self.style_widgets()

    def clean_number_text(self):
        text = self.cleaned_data["number_text"]
        if not text.strip():
            return None
        try:
            return parse_document_number(text)
        except DocumentNumberError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_issuer_name(self):
        """The blank a forward's draft leaves where the unit tree cannot name the issuer is filled in."""
        text = self.cleaned_data["issuer_name"]
        if is_placeholder(text):
            raise forms.ValidationError(_("请填写发文机关的全称。"))
        return text

    def clean(self):
        cleaned = super().clean()
        campaign = self.instance.campaign if self.instance.campaign_id else None
        if campaign is None:
            raise forms.ValidationError(_("尚无可登记公文的活动。请先在“活动”中新建并启动一个活动。"))
        if not self.instance.pk and campaign.is_draft:
            raise forms.ValidationError(_("活动“%(name)s”尚在筹备中，请先启动后再登记公文。") % {"name": campaign.name})
        number = cleaned.get("number_text")
        if number is not None:
            clash = Directive.objects.filter(agency_code=number.agency, year=number.year, serial=number.serial)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("number_text", _("该发文字号已被登记，同一机关代字、年份和顺序号只能有一份公文。"))
        return cleaned

    def _post_clean(self):
        number = self.cleaned_data.get("number_text")
        if number is not None:
            self.instance.agency_code, self.instance.year, self.instance.serial = number.agency, number.year, number.serial
            self.instance.number = str(number)
        elif "number_text" in self.cleaned_data:
            self.instance.set_number("")
        super()._post_clean()


def forward_initial(source, user):
    """The fields of this office's own directive forwarding `source` (000: 关于转发……的通知).

    The issuer, the nested title and the citation of the source follow campaign.forwarding
    (GB/T 9704 公文格式, GB/T 15834 书名号): 中共杭州市委党的群众路线教育实践活动领导小组,
    关于转发《关于印发〈……〉的通知》的通知, 现将《……》（浙整改办发〔2015〕2号）转发给你们.
    """
    office = office_units(user).order_by("-depth").first()
    return {
        "doc_type": "通知",
        "issuing_unit": office.pk if office else None,
        "issuer_name": forward_issuer(office, source.campaign) if office else "",
        "title": _("关于转发%(title)s的通知") % {"title": book_title(source.title)},
        "body": _("现将%(document)s转发给你们，请结合实际认真贯彻落实。") % {"document": cited_document(source)},
        "signed_on": clock.today(),
    }


class DirectiveFilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=gettext_lazy("搜索"), required=False)
    year = forms.IntegerField(label=gettext_lazy("年份"), required=False, min_value=1949, max_value=2100)
    doc_type = forms.ChoiceField(label=gettext_lazy("文种"), required=False)
    issuer = forms.CharField(label=gettext_lazy("发文机关"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].choices = [("", _("全部"))] + list(Directive._meta.get_field("doc_type").choices)
        self.style_widgets()

    def apply(self, queryset):
        """Search over number, title, issuer and body; filter by year, type and issuer (the campaign is
        the current one: campaign.current)."""

        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["q"]:
            text = data["q"].strip()
            queryset = queryset.filter(
                Q(number__icontains=text) | Q(title__icontains=text) | Q(issuer_name__icontains=text) | Q(body__icontains=text)
            )
        if data["year"]:
            queryset = queryset.filter(Q(year=data["year"]) | Q(year__isnull=True, signed_on__year=data["year"]))
        if data["doc_type"]:
            queryset = queryset.filter(doc_type=data["doc_type"])
        if data["issuer"]:
            queryset = queryset.filter(Q(issuer_name__icontains=data["issuer"]) | Q(issuing_unit__name__icontains=data["issuer"]))
        return queryset


class ObligationFilterForm(StyledForm, forms.Form):
    """The filters of a requirement's list of obligations: by state, overdue (campaign.status), and
    by receipt (签收): not signed for, or not signed for more than N days. Only validates; a value
    it refuses leaves the list unfiltered and says why."""

    OVERDUE = "overdue"
    UNSIGNED, SIGNED = "unsigned", "signed"

    status = forms.ChoiceField(label=gettext_lazy("状态"), required=False)
    receipt = forms.ChoiceField(label=gettext_lazy("签收"), required=False, choices=[
        ("", gettext_lazy("全部")), (UNSIGNED, gettext_lazy("未签收")), (SIGNED, gettext_lazy("已签收")),
    ])
    unsigned_days = forms.IntegerField(
        label=gettext_lazy("超过几天未签收"), required=False, min_value=1, max_value=3650,
        error_messages={
            "invalid": gettext_lazy("“超过几天未签收”须填写正整数天数。"),
            "min_value": gettext_lazy("“超过几天未签收”须填写正整数天数。"),
            "max_value": gettext_lazy("“超过几天未签收”最多填写 3650 天。"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("全部")), *ObligationStatus.choices, (self.OVERDUE, _("已逾期"))]
        self.fields["status"].error_messages["invalid_choice"] = _("没有这种状态，已显示全部报送任务。")
        self.fields["receipt"].error_messages["invalid_choice"] = _("签收筛选只能选择“未签收”或“已签收”，已显示全部报送任务。")
        self.style_widgets()

    def apply(self, queryset, now):
        """The obligations the valid filters keep (all of them when a filter is invalid)."""
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["status"] == self.OVERDUE:
            queryset = queryset.filter(obligation_status.overdue_q(now))
        elif data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["receipt"] == self.UNSIGNED:
            queryset = queryset.filter(obligation_status.unreceived_q())
        elif data["receipt"] == self.SIGNED:
            queryset = queryset.exclude(obligation_status.unreceived_q())
        if data["unsigned_days"]:
            queryset = queryset.filter(obligation_status.unreceived_for_q(now, data["unsigned_days"]))
        return queryset


class RequirementForm(StyledForm, forms.ModelForm):
    """A requirement: targeting within the directive's office subtree, deadline as date or phrase."""

    deadline = forms.CharField(
        label=gettext_lazy("截止日期或期限"),
        max_length=100,
        help_text=gettext_lazy(
            "可填日期（2014-01-10）或原文表述（2014年1月10日前、12月底、1月中旬）；从会议起算的写如“会后15日内”"
            "“会议召开后5个工作日内”，并在下面选择所依据的会议；定期报送的写如“每月5日前”“每季度末”“每周五前”。"
        ),
    )
    target_levels = forms.MultipleChoiceField(
        label=gettext_lazy("层级"), required=False, choices=Level.choices, widget=forms.CheckboxSelectMultiple
    )
    target_unit_types = forms.MultipleChoiceField(
        label=gettext_lazy("单位类型"), required=False, choices=UnitType.choices, widget=forms.CheckboxSelectMultiple
    )
    explicit_codes = forms.CharField(
        label=gettext_lazy("指定单位（单位代码）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("每行或用逗号分隔一个单位代码；填写后只约束这些单位。"),
    )

    class Meta:
        model = Requirement
        fields = [
            "title", "description", "phase", "target_batch", "due_event", "deadline_inclusive", "deadline_before_signing",
            "route", "review_required", "recurrence_starts_on", "recurrence_ends_on", "recurrence_horizon_days",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "recurrence_starts_on": DateInput(),
            "recurrence_ends_on": DateInput(),
        }

    # The deadline, then how to read it, right below it.
    field_order = [
        "title", "description", "phase", "target_batch", "deadline", "due_event", "deadline_inclusive",
        "deadline_before_signing", "recurrence_starts_on", "recurrence_ends_on", "recurrence_horizon_days",
        "route", "review_required",
    ]

    # The horizon's bounds (the model's constraint recurrence_horizon_in_range).
    HORIZON_DAYS = (1, 400)

    def __init__(self, *args, directive, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.directive, self.user = directive, user
        self.instance.directive = directive
        if not self.instance.pk:
            self.instance.scope_unit = directive.issuing_unit
            self.instance.submit_to = directive.issuing_unit
        self.fields["phase"].queryset = Phase.objects.filter(campaign_id=directive.campaign_id)
        self.fields["target_batch"].queryset = Batch.objects.filter(campaign_id=directive.campaign_id)
        self.fields["due_event"].choices = [("", _("不从会议起算（按日期）"))] + list(DueEvent.choices)
        # The preview of the deadline follows the chosen meeting too.
        preview = {
            "hx-get": reverse("campaign:deadline_preview", kwargs={"directive_id": directive.pk}), "hx-trigger": "change",
            "hx-target": "#deadline-preview",
            "hx-include": "[name=deadline],[name=deadline_inclusive],[name=due_event],[name=recurrence_starts_on],"
                          "[name=recurrence_ends_on]",
        }
        for name in ("due_event", "recurrence_starts_on", "recurrence_ends_on"):
            self.fields[name].widget.attrs.update(preview)
        self.fields["recurrence_horizon_days"].required = False
        if self.instance.pk:
            self.fields["deadline"].initial = self.instance.deadline_text
            self.fields["target_levels"].initial = self.instance.target_levels
            self.fields["target_unit_types"].initial = self.instance.target_unit_types
            self.fields["explicit_codes"].initial = "\n".join(self.instance.explicit_units.values_list("code", flat=True))
        self.resolved = None
        self.style_widgets()

    def clean_deadline(self):
        """A recurring text (每月5日前, campaign.recurrence) is read first; anything else by campaign.deadlines."""
        text = self.cleaned_data["deadline"]
        try:
            inclusive = self.cleaned_data.get("deadline_inclusive", True)
            self.resolved = read_recurrence(text) or read_deadline(text, self.directive.signed_on, inclusive=inclusive)
        except DeadlineError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return text

    def clean_recurrence_horizon_days(self):
        days = self.cleaned_data.get("recurrence_horizon_days")
        low, high = self.HORIZON_DAYS
        if days is None:  # not asked (a one-off requirement's form may leave it out): unchanged
            return self.instance.recurrence_horizon_days
        if not low <= days <= high:
            raise forms.ValidationError(_("提前生成天数须在%(low)s至%(high)s天之间。") % {"low": low, "high": high})
        return days

    def clean(self):
        """Rule 13: a deadline counting from a meeting says which meeting, in its text or the choice,
        and the two agree; a date needs no meeting."""
        cleaned = super().clean()
        chosen = cleaned.get("due_event") or ""
        if isinstance(self.resolved, EventDeadline):
            named = self.resolved.event
            if named and chosen and named != chosen:
                self.add_error("due_event", _("期限“%(text)s”写的是%(named)s，与所选会议不一致。") % {
                    "text": self.resolved.text, "named": DueEvent(named).label})
            elif not named and not chosen:
                self.add_error("due_event", _("期限“%(text)s”未写明是哪次会议，请选择期限所依据的会议。") % {
                    "text": self.resolved.text})
            elif not named and chosen == DueEvent.RECEIVED:
                # "会后15日内" counts from a meeting; the notice is named in the text ("收到通知后…").
                self.add_error("due_event", _("期限“%(text)s”是从会议召开起算的，请选择期限所依据的会议。") % {
                    "text": self.resolved.text})
            else:
                cleaned["due_event"] = named or chosen
        elif self.resolved is not None and chosen:
            self.add_error("deadline", _(
                "已选择期限所依据的会议，期限请写成会后的天数，例如“会后15日内”或“会议召开后5个工作日内”；按日期报送的不必选择会议。"))
        return cleaned

    def clean_explicit_codes(self):
        """Rule 2: explicit units must exist and lie inside the scope unit's subtree."""
        codes = [code for code in self.cleaned_data["explicit_codes"].replace(",", "\n").replace("，", "\n").split() if code]
        if not codes:
            return []
        units = {unit.code: unit for unit in Unit.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in units]
        if unknown:
            raise forms.ValidationError(_("未找到单位代码：%(codes)s") % {"codes": "、".join(unknown)})
        scope = self.instance.scope_unit
        outside = [unit.name for unit in units.values() if not unit.is_within(scope)]
        if outside:
            raise forms.ValidationError(
                _("以下单位不在%(scope)s的范围内：%(names)s") % {"scope": scope.name, "names": "、".join(outside)}
            )
        return list(units.values())

    def _update_errors(self, errors):
        """The model calls the deadline deadline_text (Requirement.clean); here it is `deadline`."""
        if hasattr(errors, "error_dict") and "deadline_text" in errors.error_dict:
            errors.error_dict["deadline"] = errors.error_dict.pop("deadline_text")
        super()._update_errors(errors)

    def _post_clean(self):
        data = self.cleaned_data
        self.instance.set_recurrence(self.resolved if isinstance(self.resolved, Rule) else None)
        if isinstance(self.resolved, Rule):
            self.instance.deadline_text = data["deadline"].strip()
            self.instance.due_days, self.instance.due_workdays = None, False
            starts_on = data.get("recurrence_starts_on") or self.directive.signed_on
            self.instance.due_at = self.resolved.first_period(starts_on).due_at
            self.instance.due_precision = Precision.DAY
        elif isinstance(self.resolved, EventDeadline):
            self.instance.deadline_text = self.resolved.text
            self.instance.due_days, self.instance.due_workdays = self.resolved.days, self.resolved.workdays
            self.instance.due_at, self.instance.due_precision = None, self.resolved.precision
        elif self.resolved is not None:
            self.instance.deadline_text = self.resolved.text
            self.instance.due_days, self.instance.due_workdays = None, False
            self.instance.due_at, self.instance.due_precision = self.resolved.due_at, self.resolved.precision
        self.instance.target_levels = data.get("target_levels", [])
        self.instance.target_unit_types = data.get("target_unit_types", [])
        super()._post_clean()
