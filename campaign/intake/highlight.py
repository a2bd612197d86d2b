"""The text of an intake as HTML with every value the extractor found wrapped in a <mark>: built on
the server, everything escaped, the marks inserted by the spans (offsets into the text).

Overlapping spans are cut at every span's ends: each piece covered by one or more spans is one
<mark data-field="title deadlines"> naming all of them (CSS: [data-field~=title]); the colour is
the first field's in FIELDS order."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from campaign.intake.record import KEYS

# The fields in the order of a record (the first one colours a piece covered by several).
FIELDS = KEYS
NAME = re.compile(r"[a-z][a-z0-9_]{0,40}")


def _order(field):
    return (FIELDS.index(field), field) if field in FIELDS else (len(FIELDS), field)


def marks(text, spans):
    """[(start, end, field)] of `spans` ({field: [(start, end), …]}) that fall inside `text`."""
    found = []
    for field, ranges in (spans or {}).items():
        if not NAME.fullmatch(str(field)):
            continue
        for pair in ranges or ():
            try:
                start, end = (int(value) for value in pair)
            except (TypeError, ValueError):
                continue
            start, end = max(0, start), min(len(text), end)
            if start < end:
                found.append((start, end, field))
    return found


def highlighted(text, spans, labels=None):
    """The HTML of `text` with its spans marked; `labels` {field: label} give each mark its title."""
    labels = labels or {}
    found = marks(text, spans)
    cuts = sorted({0, len(text), *(s for s, _e, _f in found), *(e for _s, e, _f in found)})
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        piece = escape(text[start:end])
        fields = sorted({f for s, e, f in found if s <= start and end <= e}, key=_order)
        if not fields:
            pieces.append(piece)
            continue
        title = "、".join(str(labels.get(f, f)) for f in fields)
        pieces.append(
            f'<mark class="intake-mark intake-{fields[0]}" data-field="{" ".join(fields)}" '
            f'title="{escape(title)}">{piece}</mark>'
        )
    return mark_safe("".join(pieces))  # noqa: S308 - every piece of text is escaped above
