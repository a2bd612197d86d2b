"""Every model of the project is in the Django admin, and each change list opens."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

PROJECT_APPS = ("accounts", "campaign", "units", "supervision", "rectification", "notifications", "audit", "access")
PROJECT_MODELS = [model for model in apps.get_models() if model._meta.app_label in PROJECT_APPS]


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda model: model._meta.label)
def test_model_is_in_the_admin_and_its_list_opens(model, world, client):
    assert model in admin.site._registry, f"{model._meta.label} is not registered in the admin"
    client.force_login(world.superuser)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200


def test_system_written_tables_are_read_only(world, client):
    from notifications.models import Reminder

    client.force_login(world.superuser)
    assert client.get(reverse("admin:notifications_reminder_add")).status_code == 403
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert Reminder.objects.count() == 0
