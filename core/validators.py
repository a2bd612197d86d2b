"""Validators for short texts people read in lists, exports and messages (names, codes).

Such a text is one visible line: no control characters (C0 and C1, tab and line breaks among
them) and no bidirectional controls, which reorder what is shown around them: a name ending in
U+202E reads backwards in every list and export and can make one unit pass for another. And it
is not a spreadsheet formula (core.spreadsheet: CSV/formula injection).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.spreadsheet import FORMULA_PREFIXES, looks_like_formula

# C0 controls and DEL, C1 controls, the Arabic letter mark, LRM/RLM, the line and paragraph
# separators, the bidi embeddings and overrides (U+202A-202E) and isolates (U+2066-2069).
HIDDEN_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def has_hidden_characters(text):
    return bool(HIDDEN_CHARACTERS.search(text or ""))


def shown(text, limit=40):
    """`text` as a message may quote it back: hidden characters removed (a NUL byte could not even
    be stored with the message on PostgreSQL), and cut to `limit` characters."""
    text = HIDDEN_CHARACTERS.sub("", str(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def validate_visible_text(value):
    """Refuse control and bidirectional-control characters (they hide or reorder text)."""
    if has_hidden_characters(value):
        raise ValidationError(
            _("不能包含控制字符或改变文字方向的不可见字符（可能是从其他文档复制时带入的），请删除后重新输入。"),
            code="hidden_characters",
        )


def validate_not_formula(value):
    """Refuse text a spreadsheet would run as a formula (CSV/formula injection)."""
    if looks_like_formula(value):
        raise ValidationError(
            _("不能以 %(prefixes)s 开头：电子表格会把这样的内容当作公式执行。")
            % {"prefixes": " ".join(prefix for prefix in FORMULA_PREFIXES if prefix.isprintable())},
            code="formula",
        )
