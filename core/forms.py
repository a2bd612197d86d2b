"""The base every form of the project builds on: Bootstrap classes on its widgets and
dates that an <input type="date"> can read back."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.dates import validate_plan_date

# What an empty choice says, instead of Django's "---------".
EMPTY_CHOICE = _("请选择")


class DateInput(forms.DateInput):
    """A browser date picker. The value is always rendered ISO (2014-01-10): a date input
    cannot read a localised 2014/01/10, and would show an empty field that a later save wipes."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 - Django's own argument name
        super().__init__(attrs=attrs, format=format or "%Y-%m-%d")


class LongSelect(forms.Select):
    """A select of hundreds of options (a review queue's units), written out in Python: Django renders
    each option through its own template, 27 ms for 414 units on every view of the queue. The same
    markup as Django's template; a list with groups (<optgroup>) goes Django's way."""

    def render(self, name, value, attrs=None, renderer=None):
        if any(isinstance(label, list | tuple) for _value, label in self.choices):
            return super().render(name, value, attrs, renderer)
        chosen = set(self.format_value(value))
        first = next((str(option) for option, _label in self.choices if str(option) in chosen), None)
        options = format_html_join("", '<option value="{}"{}>{}</option>', (
            (option, mark_safe(" selected") if str(option) == first else "", label) for option, label in self.choices
        ))
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options)


class StyledForm:
    """Mixin for forms and model forms: Bootstrap's class on every widget, `is-invalid` on the
    fields with errors, and ISO input formats on date fields. Put it first in the bases."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
                if isinstance(field.widget, forms.DateInput) and not isinstance(field.widget, DateInput):
                    field.widget = DateInput(attrs=field.widget.attrs)
                field.input_formats = ["%Y-%m-%d", *[f for f in field.input_formats if f != "%Y-%m-%d"]]
            if isinstance(field, forms.ModelChoiceField) and field.empty_label is not None:
                field.empty_label = EMPTY_CHOICE
            elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
                field.choices = [(value, EMPTY_CHOICE if value == "" and label == "---------" else label)
                                 for value, label in field.choices]
        self.style_widgets()

    def style_widgets(self):
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.HiddenInput):
                css = ""
            elif isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            # Only once validated: reading self.errors here would validate a half-built form.
            if self._errors is not None and name in self._errors:
                css += " is-invalid"
            if css:
                widget.attrs["class"] = css.strip()

    def full_clean(self):
        super().full_clean()
        self.style_widgets()

    def error_text(self):
        """Every error of the form as one line, for a flash message."""
        return "；".join(str(error) for errors in self.errors.values() for error in errors)


class PinClockForm(StyledForm, forms.Form):
    """The moment a superuser's own pages run at (core.middleware.PinnedClockMiddleware)."""

    day = forms.DateField(label=_("日期"))
    time = forms.TimeField(label=_("时间"), initial="10:00", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def clean_day(self):
        day = self.cleaned_data["day"]
        validate_plan_date(day)
        return day

    def moment_text(self):
        """The pinned moment as the session keeps it: ISO 8601 in Asia/Shanghai time."""
        day, at = self.cleaned_data["day"], self.cleaned_data["time"]
        return f"{day.isoformat()}T{at.strftime('%H:%M')}+08:00"
