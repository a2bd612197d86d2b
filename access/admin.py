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

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext, gettext_lazy

from access import policy
from access.policy import can, restrict
from access.work_calendar import import_calendar
from audit.services import change, created, record_change, record_changes, snapshot
from core.calendar_import import CalendarImportRefused, template_csv
from core.models import CalendarDay, CalendarYear
from core.people import person_name


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


class SuperuserOnlyAdminMixin:
    """Tables only a superuser keeps (the work calendar): nobody else sees them in the admin."""

    def has_module_permission(self, request):
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)


@admin.register(CalendarDay)
class CalendarDayAdmin(SuperuserOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """The days of the work calendar; every change is audited (ScopedAdminMixin.save_model)."""

    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(SuperuserOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Years declared entered, and the import page of a notice (access.work_calendar)."""

    list_display = ["year", "source", "entered_by", "entered_at"]
    readonly_fields = ["source", "entered_by", "entered_at"]
    change_list_template = "admin/core/calendaryear_change_list.html"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.source = gettext("管理员录入")
            obj.entered_by = person_name(request.user)
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="core_calendaryear_import"),
            path("template/", self.admin_site.admin_view(self.template_view), name="core_calendaryear_template"),
            *super().get_urls(),
        ]

    def template_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="work-calendar-template.csv"'
        return response

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = CalendarImportForm(request.POST or None, request.FILES or None)
        problems = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                declared = import_calendar(
                    upload.name, upload.read(), actor=request.user,
                    reason=form.cleaned_data["reason"], year=form.cleaned_data["year"],
                )
            except CalendarImportRefused as refused:
                problems = refused.problems
            else:
                messages.success(request, gettext("已导入并确认 %(years)s 年工作日历。") % {
                    "years": "、".join(str(row.year) for row in declared)})
                return redirect("admin:core_calendaryear_changelist")
        context = {**self.admin_site.each_context(request), "title": gettext("导入工作日历"), "form": form,
                   "problems": problems, "opts": self.model._meta}
        return TemplateResponse(request, "admin/core/calendar_import.html", context)


class CalendarImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("文件（.xlsx 或 .csv）"))
    year = forms.IntegerField(label=gettext_lazy("年份"), required=False, min_value=1949, max_value=2200,
                              help_text=gettext_lazy("可不填；文件中没有日期时必填"))
    reason = forms.CharField(label=gettext_lazy("导入原因"), max_length=500,
                             help_text=gettext_lazy("如：国务院办公厅关于2027年部分节假日安排的通知"))
