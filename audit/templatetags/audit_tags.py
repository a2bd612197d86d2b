"""Template helpers for the audit trail: ``{% load audit_tags %}`` then
``{% audit_timeline obj %}`` renders audit/timeline.html for one object, or
``{% audit_entries obj as entries %}`` gives the rows to a page's own markup.
Both fetch the object's entries, with their actors, in one query."""

from django import template

from audit.models import AuditEntry

register = template.Library()


@register.simple_tag
def audit_entries(obj):
    return list(AuditEntry.objects.for_object(obj))


@register.inclusion_tag("audit/timeline.html")
def audit_timeline(obj):
    return {"entries": audit_entries(obj)}
