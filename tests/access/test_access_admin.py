"""ScopedAdminMixin: the admin shows a non-superuser only what visible_to allows and lets them
change only what can() allows."""

from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import RequestFactory

from access.admin import ScopedAdminMixin
from campaign.models import Obligation, Requirement
from units.models import Unit


class ObligationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    pass


class UnitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    pass


def staff_request(user, codenames):
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    user = type(user).objects.get(pk=user.pk)
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_changelist_is_scoped_for_non_superusers(world):
    model_admin = ObligationAdmin(Obligation, admin.site)
    request = staff_request(world.liaison_organ, ["view_obligation", "change_obligation"])
    assert list(model_admin.get_queryset(request)) == [world.obligation_organ]
    assert model_admin.has_view_permission(request, world.obligation_organ)
    assert not model_admin.has_view_permission(request, world.obligation_organ2)
    # A liaison may submit but not edit an obligation's record.
    assert not model_admin.has_change_permission(request, world.obligation_organ)


def test_offices_change_only_their_subtree_and_choices_are_scoped(world):
    model_admin = UnitAdmin(Unit, admin.site)
    request = staff_request(world.office_hangzhou, ["view_unit", "change_unit", "delete_unit"])
    assert set(model_admin.get_queryset(request)) == {world.hangzhou, world.xihu, world.street}
    assert model_admin.has_change_permission(request, world.xihu)
    assert not model_admin.has_change_permission(request, world.ningbo)
    assert not model_admin.has_delete_permission(request, world.xihu)  # nobody deletes units through can()
    field = model_admin.formfield_for_foreignkey(Unit._meta.get_field("parent"), request)
    assert set(field.queryset) == {world.hangzhou, world.xihu, world.street}


def test_superusers_see_everything(world):
    request = RequestFactory().get("/admin/")
    request.user = world.superuser
    assert ObligationAdmin(Obligation, admin.site).get_queryset(request).count() == Obligation.objects.count()


def test_registered_admins_do_not_leak_other_units(client, world, things):
    """Through the real admin: a city office with admin rights cannot open another city's requirement."""
    staff_request(world.office_ningbo, ["view_requirement", "change_requirement"])
    client.force_login(world.office_ningbo)
    response = client.get(f"/admin/campaign/requirement/{things.hz_requirement.pk}/change/")
    assert isinstance(admin.site._registry[Requirement], ScopedAdminMixin)
    assert response.status_code in (302, 403, 404)
    assert things.hz_requirement.title.encode() not in response.content
    client.force_login(world.office_hangzhou)
    staff_request(world.office_hangzhou, ["view_requirement", "change_requirement"])
    assert client.get(f"/admin/campaign/requirement/{things.hz_requirement.pk}/change/").status_code == 200


def test_every_project_admin_is_scoped():
    unscoped = [
        model._meta.label for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in {"units", "campaign", "supervision", "rectification"}
        and not isinstance(model_admin, ScopedAdminMixin)
    ]
    assert unscoped == []
