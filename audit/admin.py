"""The audit trail in the admin: read-only for everyone (DESIGN rule 10: 留痕 is append-only).

No add, change or delete permission exists for anybody, superusers included, and the
bulk delete action is removed. Superusers may browse the whole trail; everyone else reads
an object's entries on that object's own page (audit/timeline.html).
"""

from django.contrib import admin

from audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "content_type", "object_id", "action", "from_state", "to_state", "reason"]
    list_filter = ["action", "content_type"]
    search_fields = ["action", "reason", "actor__username", "batch_key"]
    date_hierarchy = "at"
    list_select_related = ["actor", "content_type"]
    actions = None

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return bool(request.user.is_active and request.user.is_superuser)

    def has_module_permission(self, request):
        return self.has_view_permission(request)
