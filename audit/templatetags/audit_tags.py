"""Template helpers for the audit trail: ``{% load audit_tags %}`` then ``{% audit_timeline obj %}``
renders audit/timeline.html for one object (its latest rows, in words: audit.vocabulary), or
``{% audit_timeline_of entries %}`` renders rows a page has already fetched. One query for the
rows with their actors; content types come from Django's cache."""

from django import template
from django.utils.translation import gettext

from audit.models import AuditEntry
from audit.vocabulary import describe

register = template.Library()

TIMELINE_LIMIT = 50


@register.inclusion_tag("audit/timeline.html")
def audit_timeline(obj, limit=TIMELINE_LIMIT, batch_keys=()):
    """`batch_keys`: the bulk actions that took `obj` along (their summary rows show too)."""
    return {"entries": [describe(entry) for entry in AuditEntry.objects.for_object(obj, batch_keys)[:limit]]}


@register.inclusion_tag("audit/timeline.html")
def audit_timeline_of(entries):
    return {"entries": [describe(entry) for entry in entries]}


@register.filter
def reason_text(entry):
    """An entry's reason as the reader reads it: a reason the system wrote (no actor: a fan-out, a
    rule) is one of its own sentences, stored as written then, and is read in the reader's language
    when the catalogue has it; a person's reason is theirs, shown as typed."""
    if entry.actor_id is None and entry.reason:
        return gettext(entry.reason)
    return entry.reason
