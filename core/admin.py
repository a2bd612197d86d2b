"""Admin building blocks shared by every app."""


class ReadOnlyAdminMixin:
    """For tables the system writes itself (the audit trail, the reminder outbox): superusers
    may browse them; nobody adds, edits or deletes a row."""

    actions = None

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return bool(request.user.is_active and request.user.is_superuser)

    def has_module_permission(self, request):
        return self.has_view_permission(request)
