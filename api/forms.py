"""The token pages' forms: a new token, a service token for a unit, a revocation's reason.
They validate only; api.actions makes and revokes."""

from django import forms
from django.utils.translation import gettext_lazy

from api.models import ApiToken
from core.forms import StyledForm
from units.models import Unit

NAME_HELP = gettext_lazy("例如“手机日历”“办公室报表脚本”，便于日后识别和撤销。")


class TokenForm(StyledForm, forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=100, help_text=NAME_HELP)
    purpose = forms.ChoiceField(label=gettext_lazy("用途"), choices=ApiToken.Purpose.choices,
                                initial=ApiToken.Purpose.API, widget=forms.RadioSelect)


class ServiceTokenForm(StyledForm, forms.Form):
    """A service token for a unit the office manages (its subtree: Unit.objects.restrict(user, "manage"))."""

    unit = forms.ModelChoiceField(label=gettext_lazy("服务范围（单位）"), queryset=Unit.objects.none(),
                                  help_text=gettext_lazy("对接系统将以该单位领导小组办公室的身份访问其下全部单位的数据。"),
                                  error_messages={"invalid_choice": gettext_lazy("请选择本办公室管理的单位。")})
    name = forms.CharField(label=gettext_lazy("名称"), max_length=100, help_text=NAME_HELP)
    reason = forms.CharField(label=gettext_lazy("用途说明"), max_length=500, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.restrict(user, "manage").filter(is_active=True).order_by("path")
        self.style_widgets()


class RevokeForm(StyledForm, forms.Form):
    reason = forms.CharField(label=gettext_lazy("撤销理由（可不填）"), max_length=500, required=False)
