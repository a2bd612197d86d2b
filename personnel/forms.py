"""Office forms for accounts: a new account, its details, a role, a reason. They validate only:
the changes are personnel.actions'."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.validators import normalize_mobile
from core.forms import EMPTY_CHOICE, StyledForm
from personnel.roles import GROUP_ROLES, UNIT_ROLES, Grant, Role
from supervision.models import SupervisionGroup
from units.forms import UnitCodeField


class GrantForm(StyledForm, forms.Form):
    """A role and where: a unit of the office's subtree (by code), or one of its groups."""

    role = forms.ChoiceField(label=gettext_lazy("角色"), choices=[("", EMPTY_CHOICE), *Role.choices])
    unit_code = UnitCodeField(label=gettext_lazy("单位代码"), max_length=32, required=False,
                              help_text=gettext_lazy("单位联络员、领导小组办公室工作人员填写其所在单位的代码。"))
    group = forms.ModelChoiceField(label=gettext_lazy("督导组"), queryset=SupervisionGroup.objects.none(), required=False,
                                   help_text=gettext_lazy("督导组成员、组长选择所在督导组。"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_code"].user = user
        groups = SupervisionGroup.objects.restrict(user, "manage").filter(is_active=True)
        self.fields["group"].queryset = groups.select_related("office").order_by("office__path", "name")
        self.style_widgets()

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role in UNIT_ROLES and not cleaned.get("unit_code") and "unit_code" not in self.errors:
            self.add_error("unit_code", _("请填写单位代码。"))
        if role in GROUP_ROLES and not cleaned.get("group") and "group" not in self.errors:
            self.add_error("group", _("请选择督导组。"))
        return cleaned

    def grant(self):
        role = self.cleaned_data["role"]
        if role in GROUP_ROLES:
            return Grant(role, group=self.cleaned_data["group"])
        return Grant(role, unit=self.cleaned_data["unit_code"])


class ProfileFields(forms.ModelForm):
    # Room for what people type around the number (+86 138 1234 5678); the model checks the 11 digits.
    mobile = forms.CharField(label=gettext_lazy("手机号码"), max_length=24, required=False)

    class Meta:
        model = get_user_model()
        fields = ["full_name", "title", "mobile", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True

    def clean_mobile(self):
        return normalize_mobile(self.cleaned_data.get("mobile"))


class AccountForm(StyledForm, ProfileFields):
    """A new account: its login name and person, and why (its first role: GrantForm, beside it)."""

    reason = forms.CharField(label=gettext_lazy("理由"), max_length=500, required=False,
                             help_text=gettext_lazy("记入留痕，例如“新任联络员”。"))

    class Meta(ProfileFields.Meta):
        fields = ["username", "full_name", "title", "mobile", "email"]
        labels = {"username": gettext_lazy("登录名")}
        help_texts = {"username": gettext_lazy("登录时使用，建议用拼音或工号；150个字符以内，可用字母、数字和 @ . + - _。")}

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("登录名“%(username)s”已被使用。") % {"username": username})
        return username


class EditForm(StyledForm, ProfileFields):
    reason = forms.CharField(label=gettext_lazy("理由"), max_length=500, required=False)


class RoleForm(GrantForm):
    reason = forms.CharField(label=gettext_lazy("理由"), max_length=500)


class ReasonForm(StyledForm, forms.Form):
    reason = forms.CharField(label=gettext_lazy("理由"), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


class ImportForm(StyledForm, forms.Form):
    file = forms.FileField(label=gettext_lazy("账号文件（.xlsx）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("只支持 .xlsx 文件，请使用下载的模板。"))
        return upload
