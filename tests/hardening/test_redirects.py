"""`next` only ever redirects inside the site, on every view that takes one."""

import pytest
from django.urls import reverse
from django.utils.encoding import iri_to_uri

from notifications.models import Notification
from units.models import UnitType

HOSTILE = [
    "https://evil.example/",
    "//evil.example",
    "///evil.example/x",
    "http:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "https://testserver@evil.example/",
    " //evil.example",
]


def assert_stays_on_site(response, fallback):
    assert response.status_code == 302
    location = response["Location"]
    assert location == fallback, location


@pytest.mark.parametrize("target", HOSTILE)
def test_unit_assignment_never_redirects_off_site(world, client, target):
    client.force_login(world.office_province)
    response = client.post(
        reverse("units:assign"), {"units": [world.organ.pk], "unit_type": UnitType.ORGAN, "next": target}
    )
    assert_stays_on_site(response, reverse("units:list"))


@pytest.mark.parametrize("target", HOSTILE)
def test_refused_unit_assignment_never_redirects_off_site(world, client, target):
    client.force_login(world.office_province)
    response = client.post(reverse("units:assign"), {"unit_type": "nonsense", "next": target})
    assert_stays_on_site(response, reverse("units:list"))


def test_a_path_on_the_site_is_followed(world, client):
    client.force_login(world.office_province)
    back = reverse("units:list") + "?q=杭州&page=2"
    response = client.post(reverse("units:assign"), {"units": [world.organ.pk], "unit_type": UnitType.ORGAN, "next": back})
    assert response["Location"] == iri_to_uri(back)


@pytest.mark.parametrize("target", HOSTILE)
def test_notification_actions_never_redirect_off_site(world, client, target):
    note = Notification.objects.create(user=world.liaison_organ, title="提醒", body="请报送")
    client.force_login(world.liaison_organ)
    for name, kwargs in (("notifications:mark_read", {"notification_id": note.pk}), ("notifications:mark_all_read", {})):
        response = client.post(reverse(name, kwargs=kwargs), {"next": target})
        assert_stays_on_site(response, reverse("notifications:list"))


@pytest.mark.parametrize("target", HOSTILE)
def test_login_and_language_switch_never_redirect_off_site(world, client, target):
    response = client.post(reverse("login") + f"?next={target}", {"username": "liaison_fgw", "password": world.password, "next": target})
    assert response.status_code == 302 and "evil" not in response["Location"]
    response = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert response.status_code == 302 and "evil" not in response["Location"]
