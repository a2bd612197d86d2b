"""The audit trail in the admin: read-only for everyone (DESIGN rule 10: 留痕 is append-only).

No add, change or delete permission exists for anybody, superusers included, and the
bulk delete action is removed. Superusers may browse the whole trail; everyone else reads
an object's entries on that object's own page (audit/timeline.html).
"""

from django.contrib import admin

from audit.models import AuditEntry
from core.admin import ReadOnlyAdminMixin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "actor", "content_type", "object_id", "action", "from_state", "to_state", "reason"]
    list_filter = ["action", "content_type"]
    search_fields = ["action", "reason", "actor__username", "batch_key"]
    date_hierarchy = "at"
    list_select_related = ["actor", "content_type"]
