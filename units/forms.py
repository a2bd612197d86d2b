"""Office forms for units: create/edit, move, type assignment, list filters, import."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.policy import can
from core.forms import StyledForm
from core.validators import shown
from units.imports import ImportRefused, check_size
from units.models import Level, Unit, UnitType, place_in_tree_error


class UnitCodeField(forms.CharField):
    """A unit picked by its code; the form checks the user manages it."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        unit = Unit.objects.filter(code=code.strip()).first()
        if unit is None or not can(self.user, "manage", unit):
            raise forms.ValidationError(_("未找到本单位管辖范围内代码为“%(code)s”的单位。") % {"code": shown(code)})
        return unit


class UnitForm(StyledForm, forms.ModelForm):
    parent_code = UnitCodeField(label=gettext_lazy("上级单位代码"), max_length=32)

    class Meta:
        model = Unit
        fields = ["code", "name", "short_name", "level", "unit_type", "is_window_unit", "is_contact_point", "party_affiliation"]

    def __init__(self, *args, user, parent=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent_code"].user = user
        # 004: the bodies the office sees; Unit.clean holds the choice to party_affiliation_error.
        self.fields["party_affiliation"].queryset = (
            Unit.objects.restrict(user).filter(unit_type=UnitType.WORK_COMMITTEE, is_active=True).order_by("path")
        )
        if self.instance.pk:
            del self.fields["parent_code"]
        elif parent is not None:
            self.fields["parent_code"].initial = parent.code
        self.style_widgets()

    def _post_clean(self):
        if self.cleaned_data.get("parent_code") is not None:
            self.instance.parent = self.cleaned_data["parent_code"]
        super()._post_clean()


class MoveForm(StyledForm, forms.Form):
    parent_code = UnitCodeField(label=gettext_lazy("新的上级单位代码"), max_length=32)

    def __init__(self, *args, user, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["parent_code"].user = user
        self.style_widgets()

    def clean_parent_code(self):
        parent = self.cleaned_data["parent_code"]
        if parent.is_within(self.unit):
            raise forms.ValidationError(_("不能把单位移到它自己或它的下级单位之下。"))
        if parent.pk == self.unit.parent_id:
            raise forms.ValidationError(_("该单位已在此上级单位之下。"))
        problem = place_in_tree_error(self.unit.level, self.unit.unit_type, parent)
        if problem:
            raise forms.ValidationError(problem)
        return parent


class DeactivateForm(StyledForm, forms.Form):
    reason = forms.CharField(label=gettext_lazy("撤销原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


class UnitFilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=gettext_lazy("名称或代码"), required=False)
    level = forms.ChoiceField(label=gettext_lazy("层级"), required=False, choices=[("", "—")] + Level.choices)
    unit_type = forms.ChoiceField(label=gettext_lazy("单位类型"), required=False, choices=[("", "—")] + UnitType.choices)
    inactive = forms.BooleanField(label=gettext_lazy("含已撤销"), required=False)
    under = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def apply(self, units):

        if not self.is_valid():
            return units.none()
        data = self.cleaned_data
        units = units.search(data["q"])
        if data["level"]:
            units = units.filter(level=data["level"])
        if data["unit_type"]:
            units = units.filter(unit_type=data["unit_type"])
        if not data["inactive"]:
            units = units.filter(is_active=True)
        if data["under"]:
            top = Unit.objects.filter(pk=data["under"]).values_list("path", flat=True).first()
            units = units.filter(path__startswith=top) if top else units.none()
        return units


class UnitChoiceField(forms.ModelMultipleChoiceField):
    """Units ticked in a list, by key; a key beyond the database's integer range is no unit (SQLite
    would raise on it rather than find nothing)."""

    KEY_LIMIT = 2**63 - 1

    def clean(self, value):
        for key in value or []:
            text = str(key).strip()
            if text.lstrip("-").isdecimal() and abs(int(text)) > self.KEY_LIMIT:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": shown(text, 20)})
        return super().clean(value)


class AssignForm(StyledForm, forms.Form):
    """Type assignment for the units ticked in a list (batches are set per campaign: campaign.participation)."""

    units = UnitChoiceField(queryset=Unit.objects.none(), widget=forms.MultipleHiddenInput)
    unit_type = forms.ChoiceField(label=gettext_lazy("单位类型"), choices=UnitType.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.restrict(user).select_related("parent")
        self.user = user
        self.style_widgets()

    def clean(self):
        """Only units the user manages, and only a type each may have where it stands (Unit.clean:
        units.models.place_in_tree_error, under its parent and over its children)."""
        cleaned = super().clean()
        refused = [unit.name for unit in cleaned.get("units", []) if not can(self.user, "manage", unit)]
        if refused:
            raise forms.ValidationError(_("无权修改：%(names)s") % {"names": "、".join(refused)})
        unit_type = cleaned.get("unit_type")
        problems = []
        for unit in cleaned.get("units", []) if unit_type else []:
            stored, unit.unit_type = unit.unit_type, unit_type
            try:
                unit.clean()
            except ValidationError as exc:
                problems.append(f"{unit.name}：{'；'.join(exc.messages)}")
            finally:
                unit.unit_type = stored
        if problems:
            raise forms.ValidationError(problems)
        return cleaned


class ImportForm(StyledForm, forms.Form):
    file = forms.FileField(label=gettext_lazy("文件（.xlsx 或 .csv）"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def clean_file(self):
        """The extension, and the size cap before anything reads the file (units.imports)."""
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("只支持 .xlsx 或 .csv 文件。"))
        try:
            check_size(upload.size)
        except ImportRefused as exc:
            raise forms.ValidationError(str(exc))
        return upload
