"""Admin building blocks shared by every app; and the background jobs, which the system writes."""

from django.contrib import admin

from core.models import BackgroundJob


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


class DecidedRecordAdminMixin:
    """Decisions that stand are never rewritten in the admin, not even by a superuser: once
    the model says `obj.is_decided` (signed-off feedback, a review, an approved closing, an
    accepted look-back report), its change page is view-only and it cannot be deleted, neither
    on its own page, nor by the list's bulk action, nor by deleting a row it hangs on (Django's
    deletion check asks this admin for every object a deletion would take with it)."""

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_decided:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_decided:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(BackgroundJob)
class BackgroundJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Background jobs (core.jobs), for a superuser looking into one that failed or hangs."""

    list_display = ["pk", "title", "kind", "owner_id", "state", "done", "total", "created_at", "finished_at"]
    list_filter = ["state", "kind"]
    search_fields = ["title", "kind"]
