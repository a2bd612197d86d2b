"""Cursor pagination: a list answers `limit` items and the cursor of the next page, found by the
last item's key (never an offset: a page deep in 50,000 obligations costs what the first does,
and rows written meanwhile neither repeat nor go missing)."""

import base64

from django.utils.translation import gettext as _
from ninja import Schema

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


class BadCursor(ValueError):
    pass


def encode_cursor(pk):
    return base64.urlsafe_b64encode(f"pk:{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor):
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, value = text.split(":", 1)
        if kind != "pk" or not value.isdigit():
            raise ValueError
        return int(value)
    except (ValueError, UnicodeDecodeError):
        raise BadCursor(_("翻页参数 cursor 无效：请使用上一页返回的 next_cursor。")) from None


class PageParams(Schema):
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


def page_of(queryset, params, serialize):
    """{"items": [...], "next_cursor": str | None} of `queryset` in key order after the cursor."""
    limit = min(max(params.limit, 1), MAX_LIMIT)
    queryset = queryset.order_by("pk")
    if params.cursor:
        queryset = queryset.filter(pk__gt=decode_cursor(params.cursor))
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "items": [serialize(row) for row in rows],
        "next_cursor": encode_cursor(rows[-1].pk) if more and rows else None,
    }
