"""Users in the Django admin: Django's user admin with the tracker's fields (one full name,
mobile phone, title, the forced password change). Offices manage the accounts of their
subtree on their own pages (personnel), which keep the audit trail."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class AccountAdmin(UserAdmin):
    list_display = ["username", "full_name", "title", "mobile", "email", "is_active", "is_staff", "must_change_password"]
    list_filter = ["is_active", "is_staff", "is_superuser", "must_change_password"]
    search_fields = ["username", "full_name", "mobile", "email"]
    ordering = ["username"]
    fieldsets = (
        (None, {"fields": ("username", "password", "must_change_password")}),
        (_("个人信息"), {"fields": ("full_name", "title", "mobile", "email")}),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "usable_password", "password1", "password2")}),
    )
