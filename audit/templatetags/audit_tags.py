"""Template helpers for the audit trail: ``{% load audit_tags %}`` then ``{% audit_timeline obj %}``
renders audit/timeline.html for one object (its latest rows, in words: audit.vocabulary), or
``{% audit_timeline_of entries %}`` renders rows a page has already fetched. One query for the
rows with their actors; content types come from Django's cache."""

from django import template

from audit.models import AuditEntry
from audit.vocabulary import describe

register = template.Library()

TIMELINE_LIMIT = 50


@register.inclusion_tag("audit/timeline.html")
def audit_timeline(obj, limit=TIMELINE_LIMIT):
    return {"entries": [describe(entry) for entry in AuditEntry.objects.for_object(obj)[:limit]]}


@register.inclusion_tag("audit/timeline.html")
def audit_timeline_of(entries):
    return {"entries": [describe(entry) for entry in entries]}
