from django import template

from files.screening import allowed_extensions, max_megabytes

register = template.Library()


@register.simple_tag
def upload_limits():
    """The cap and the types a picker shows: {"mb": 50, "types": "doc、docx、…"}."""
    return {"mb": max_megabytes(), "types": "、".join(sorted(allowed_extensions()))}
