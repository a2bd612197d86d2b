"""File fields of every form that takes files: each file is checked by files.screening, and the
widget's `accept=` lists the allowed extensions (settings.UPLOAD_ALLOWED_EXTENSIONS). Render them
with templates/files/_picker.html, which shows the cap and the types and a progress bar."""

from django import forms

from files.screening import UploadRefused, allowed_extensions, check_upload


def accept_attribute():
    return ",".join(f".{ext}" for ext in sorted(allowed_extensions()))


class PickerInput(forms.FileInput):
    """A file input whose accept= follows the allowed extensions at render time; several files
    unless multiple=False."""

    allow_multiple_selected = True

    def __init__(self, attrs=None, *, multiple=True):
        super().__init__(attrs)
        self.allow_multiple_selected = multiple

    def get_context(self, name, value, attrs):
        return super().get_context(name, value, {**(attrs or {}), "accept": accept_attribute()})


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by files.screening.check_upload and the errors of
    all of them are shown at once."""

    def __init__(self, *args, multiple=True, **kwargs):
        kwargs.setdefault("widget", PickerInput(multiple=multiple))
        # form.as_div() and {{ field.as_field_group }} render it as the picker too.
        kwargs.setdefault("template_name", "files/_picker.html")
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        errors, cleaned = [], []
        for upload in uploads:
            try:
                check_upload(upload)
            except UploadRefused as exc:
                errors.append(str(exc))
            cleaned.append(upload)
        if errors:
            raise forms.ValidationError(errors)
        if self.required and not cleaned:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return cleaned


class AttachForm(forms.Form):
    """Files for an owner row (meeting materials, a visit's records, a feedback document…)."""

    files = MultipleFileField(label="")

    def __init__(self, *args, label, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].label = label
        self.fields["files"].help_text = help_text
        self.fields["files"].widget.attrs["class"] = "form-control"
