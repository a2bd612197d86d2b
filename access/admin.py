"""Scoping the Django admin by the same rules as the pages (DESIGN rule 11).

Every project ModelAdmin mixes in `ScopedAdminMixin` first::

    from access.admin import ScopedAdminMixin

    @admin.register(Obligation)
    class ObligationAdmin(ScopedAdminMixin, admin.ModelAdmin):
        ...

For a non-superuser the mixin

* limits the change list, the change form and every lookup to
  ``restrict(queryset, user)`` (access.policy), so an object outside the user's scope is
  "not found";
* limits foreign-key and many-to-many choices the same way (a city office cannot pick a
  unit of another city);
* asks ``access.policy.can(user, "edit", obj)`` before showing a change form as editable
  and ``can(user, "delete", obj)`` before deleting. Django's model permissions still apply
  on top: the user also needs the usual ``change_*`` / ``delete_*`` permission and is_staff.

Superusers see and change everything, as in plain Django. Whoever changes a row here, the
change goes into the audit trail (DESIGN rule 10) like a change made on the pages; state
fields are read-only in the admin so that states move only through the workflows.
"""


from access import policy
from access.policy import can, restrict
from audit.services import change, created, record_change, record_changes, snapshot


class ScopedAdminMixin:
    """Restricts a ModelAdmin to the rows the user may see and the changes `can()` allows."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return restrict(queryset, request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None or request.user.is_superuser:
            return allowed
        return can(request.user, "edit", obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if not allowed or obj is None or request.user.is_superuser:
            return allowed
        return can(request.user, "delete", obj)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        if not allowed or obj is None or request.user.is_superuser:
            return allowed
        return can(request.user, "view", obj)

    def save_model(self, request, obj, form, change):
        # The form has already written into `obj`: the "before" comes from the database.
        before = snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        if change:
            record_change(obj, "admin_change", actor=request.user, before=before)
        else:
            fields = [field.name for field in obj._meta.concrete_fields if not field.primary_key]
            record_change(obj, "admin_create", actor=request.user, changes=created(obj, fields))

    def delete_model(self, request, obj):
        record_change(obj, "admin_delete", actor=request.user, changes={"object": change(str(obj), None)})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        objects = list(queryset)
        record_changes(objects, "admin_delete", actor=request.user,
                       per_object={obj.pk: {"changes": {"object": change(str(obj), None)}} for obj in objects})
        super().delete_queryset(request, queryset)

    def _scoped_choices(self, db_field, request, kwargs):
        model = db_field.remote_field.model
        # Models with rules are restricted; others (users, permissions) keep Django's own.
        if model._meta.label in policy.registered_labels() and not request.user.is_superuser:
            queryset = kwargs.get("queryset")
            if queryset is None:
                queryset = model._default_manager.all()
            kwargs["queryset"] = restrict(queryset, request.user)
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **self._scoped_choices(db_field, request, kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **self._scoped_choices(db_field, request, kwargs))
