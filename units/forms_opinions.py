"""Forms of the opinion pages (002: 听取意见): record an opinion, answer it, filter a list.
They only validate; the changes are units.opinions'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm
from core.validators import validate_visible_text
from units.models import FourWinds, Opinion


class OpinionForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Opinion
        fields = ["text", "source", "channel", "four_winds", "collected_on"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].validators.append(validate_visible_text)

    def clean_text(self):
        text = (self.cleaned_data.get("text") or "").strip()
        if not text:
            raise forms.ValidationError(_("请填写意见内容。"))
        return text


class AnswerForm(StyledForm, forms.Form):
    answer = forms.CharField(label=_("办理情况"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("写明针对这条意见做了什么、改到了哪一步。"))

    def clean_answer(self):
        answer = self.cleaned_data["answer"].strip()
        if not answer:
            raise forms.ValidationError(_("请填写办理情况。"))
        return answer


YES_NO = [("", _("全部")), ("yes", _("是")), ("no", _("否"))]


class OpinionFilterForm(StyledForm, forms.Form):
    """A unit's opinion list: by channel, four-winds category, claimed, answered."""

    channel = forms.ChoiceField(label=_("听取方式"), choices=[("", _("全部")), *Opinion.Channel.choices], required=False)
    four_winds = forms.ChoiceField(label=_("四风归类"), choices=[("", _("全部")), *FourWinds.choices], required=False)
    claimed = forms.ChoiceField(label=_("已认领"), choices=YES_NO, required=False)
    answered = forms.ChoiceField(label=_("已答复"), choices=YES_NO, required=False)

    def apply(self, opinions):
        if not self.is_valid():
            return opinions
        data = self.cleaned_data
        if data["channel"]:
            opinions = opinions.filter(channel=data["channel"])
        if data["four_winds"]:
            opinions = opinions.filter(four_winds=data["four_winds"])
        if data["claimed"]:
            opinions = opinions.filter(claimed_by__isnull=data["claimed"] == "no")
        if data["answered"]:
            opinions = opinions.filter(answered_at__isnull=data["answered"] == "no")
        return opinions
