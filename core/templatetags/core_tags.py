"""Template helpers every app uses: ``{% load core_tags %}``.

- ``{{ value|day }}`` and ``{{ value|moment }}``: a date, or a datetime in Asia/Shanghai,
  written the way the reader's language writes it (2014年1月10日 / 10 Jan 2014;
  2014年1月10日 23:59 / 10 Jan 2014 23:59). Never UTC, never ISO.
- ``{{ light|light_class }}`` and ``{{ light|light_suffix }}``: the traffic light's badge
  class and words (core.traffic_light).
- ``{{ user|person }}``: a person by full name, falling back to the login name.
- ``{{ count|badge_number }}``: a count read at a glance, "999+" past core.paging.BADGE_CAP.
"""

import datetime as dt

from django import template
from django.utils import formats, timezone, translation

from core import paging, traffic_light
from core.people import person_name

register = template.Library()

_DAY_FORMATS = {"zh": "Y年n月j日", "en": "j M Y"}
_TIME_FORMAT = "H:i"


def _language():
    return (translation.get_language() or "zh-hans").split("-")[0]


def format_day(value):
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return formats.date_format(value, _DAY_FORMATS.get(_language(), _DAY_FORMATS["en"]))


def format_moment(value):
    if value in (None, ""):
        return ""
    if not isinstance(value, dt.datetime):
        return format_day(value)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_day(local)} {formats.date_format(local, _TIME_FORMAT)}"


@register.filter
def day(value):
    return format_day(value)


@register.filter
def moment(value):
    return format_moment(value)


@register.filter
def light_class(light):
    return traffic_light.BADGE_CLASSES.get(light, traffic_light.BADGE_CLASSES[traffic_light.DONE])


@register.filter
def light_suffix(light):
    return traffic_light.SUFFIXES.get(light, "")


@register.filter
def badge_number(count):
    return paging.badge_number(count or 0)


@register.filter
def person(user):
    return person_name(user)


@register.simple_tag(takes_context=True)
def render_panel(context, panel):
    """Render one filled panel (core.panels) with its own context on top of the page's."""
    template = context.template.engine.get_template(panel.template)
    with context.push(**panel.context):
        return template.render(context)
