"""Office forms for supervision groups: the group, its members and leader, its assignments."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import DateInput, StyledForm
from supervision.models import GroupAssignment, SupervisionGroup
from units.forms import UnitCodeField
from units.models import Unit


class GroupForm(StyledForm, forms.ModelForm):
    class Meta:
        model = SupervisionGroup
        fields = ["campaign", "office", "name", "kind"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["office"].queryset = Unit.objects.office_roots(user)
        self.style_widgets()


class MemberForm(StyledForm, forms.Form):
    username = forms.CharField(label=gettext_lazy("用户名"), max_length=150)
    is_leader = forms.BooleanField(label=gettext_lazy("设为组长"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def clean_username(self):
        user = get_user_model().objects.filter(username=self.cleaned_data["username"].strip(), is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("未找到该用户。"))
        return user


class AssignmentForm(StyledForm, forms.ModelForm):
    """Assign one unit, or a whole subtree at once (include_subtree), for a period."""

    unit_code = UnitCodeField(label=gettext_lazy("单位代码"), max_length=32)

    class Meta:
        model = GroupAssignment
        fields = ["include_subtree", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, user, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_code"].user = user
        self.instance.group = group
        self.style_widgets()

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("unit_code")
        if unit is not None:
            self.instance.unit = unit
            if not unit.is_within(self.instance.group.office):
                self.add_error("unit_code", _("只能分配派出单位管辖范围内的单位。"))
        return cleaned
