"""Reading the list filters people type into a query string: a wrong one is a 400 that says
which parameter and why (api.errors maps ValidationError), never a 500 and never an empty list
that looks like an answer."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import clock


def moment(name, text):
    """An ISO 8601 moment (core.clock.parse_moment: without an offset it is Asia/Shanghai time,
    a date alone is 09:00 that day), or None when not given."""
    if text is None or text == "":
        return None
    try:
        found = clock.parse_moment(text)
        found.astimezone(dt.UTC)  # a moment the database can hold (not before year 1 in UTC)
    except (ValueError, OverflowError):
        raise ValidationError({name: _("时间格式不正确，请使用 ISO 8601 格式，如 2014-01-10T09:00:00+08:00。")}) from None
    return found


def changed_since(queryset, text, name="updated_since"):
    """`queryset` narrowed to the rows changed at or after the moment `text` names (none given: all)."""
    since = moment(name, text)
    return queryset if since is None else queryset.filter(updated_at__gte=since)


def choice(name, text, choices):
    """`text` when it is one of `choices` ({code: label}), or None when not given."""
    if text is None or text == "":
        return None
    if text not in choices:
        allowed = "、".join(f"{code}（{label}）" for code, label in choices.items())
        raise ValidationError({name: _("取值无效，可选：%(allowed)s。") % {"allowed": allowed}})
    return text


def search_text(name, text):
    """A search term as typed (trimmed), or None; a NUL character no database column can hold is refused."""
    text = (text or "").strip()
    if "\x00" in text:
        raise ValidationError({name: _("搜索内容含有无效字符。")})
    return text or None
