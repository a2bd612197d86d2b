"""The intake's forms (从文件登记): the file or the pasted text, and the reason a draft is dropped.
They only validate; campaign.intake.actions reads, checks and keeps."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign.intake.actions import MAX_CHARS, max_bytes, max_megabytes
from core.forms import StyledForm

ACCEPT = ".docx,.wps,.doc,.pdf,.ofd,.txt,.html"


class IntakeForm(StyledForm, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("公文文件"), required=False, allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    text = forms.CharField(
        label=gettext_lazy("或粘贴公文正文"), required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 10, "maxlength": MAX_CHARS}),
    )

    without_number = forms.BooleanField(
        label=gettext_lazy("本文没有发文字号（如网页上的通知），仍然识别"), required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].error_messages.update({
            "invalid": _("没有收到文件，请重新选择文件。"),
            "missing": _("没有收到文件，请重新选择文件。"),
            "empty": _("文件是空的。"),
        })
        self.fields["file"].help_text = _(
            "可上传 .docx、.wps、.doc、.pdf、.ofd（保存为公文的附件），"
            "或 .txt、.html（只读取文字，不作为附件保存，登记后可在公文页面另行上传附件），不超过 %(mb)s MB。") % {"mb": max_megabytes()}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        if not upload.size:
            raise forms.ValidationError(_("文件“%(name)s”是空文件。") % {"name": upload.name})
        if upload.size > max_bytes():
            raise forms.ValidationError(
                _("文件“%(name)s”超过从文件登记的大小上限 %(mb)s MB。请粘贴公文正文，登记后再上传文件作为附件。")
                % {"name": upload.name, "mb": max_megabytes()})
        return upload

    def clean_text(self):
        text = self.cleaned_data.get("text") or ""
        if len(text) > MAX_CHARS:
            raise forms.ValidationError(
                _("文本超过 %(count)s 字，不像是一份公文。请只粘贴要登记的这一份公文。") % {"count": MAX_CHARS})
        return text

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("file") and not (cleaned.get("text") or "").strip():
            raise forms.ValidationError(_("请上传公文文件，或粘贴公文正文。"))
        return cleaned


class DropDraftForm(StyledForm, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("舍弃理由"), max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("请说明舍弃的理由。")},
    )
