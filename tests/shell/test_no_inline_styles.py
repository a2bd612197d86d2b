"""The site's Content-Security-Policy (style-src 'self', config/settings.py) makes the browser
ignore every style="" attribute: a template that relies on one renders wrong (an empty progress
bar, collapsed line breaks) without any error. None of ours carries one."""

import re
from pathlib import Path

from django.conf import settings

COMMENTS = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.S)
INLINE_STYLE = re.compile(r"<[^>]*\sstyle=", re.S)


def test_no_template_sets_an_inline_style():
    root = Path(settings.BASE_DIR)
    offenders = []
    for template in root.glob("**/templates/**/*.html"):
        parts = template.relative_to(root).parts
        if parts[0] in (".venv", "static", "var") or "admin" in parts:
            continue
        if INLINE_STYLE.search(COMMENTS.sub("", template.read_text(encoding="utf-8"))):
            offenders.append(str(template.relative_to(root)))
    assert offenders == []
