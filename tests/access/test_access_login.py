"""Hardened login and transport: lockout after the set number of failures, the client address
from the configured proxy header, CSRF on forms, security headers."""

import pytest
from django.test import Client
from django.urls import reverse


def attempt(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_lockout_after_the_set_number_of_failures(client, world, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert attempt(client, "liaison_fgw", "wrong-password").status_code == 200
    # The right password still works before the limit...
    assert attempt(Client(), "liaison_fgw", world.password).status_code == 302
    for _ in range(5):
        attempt(client, "liaison_fgw", "wrong-password")
    # ...and not after it, even with the right password.
    response = attempt(client, "liaison_fgw", world.password)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_limit_is_configurable(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 2
    attempt(client, "liaison_fgw", "nope")
    attempt(client, "liaison_fgw", "nope")
    assert attempt(client, "liaison_fgw", world.password).status_code == 429


def test_client_address_comes_from_the_configured_proxy_header(client, world, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.CLIENT_IP_PROXY_COUNT = 1
    for _ in range(5):
        attempt(client, "liaison_fgw", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.7", REMOTE_ADDR="10.0.0.1")
    assert attempt(client, "liaison_fgw", world.password, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    # Another client behind the same proxy is not locked out.
    other = Client()
    assert attempt(other, "liaison_fgw", world.password, HTTP_X_FORWARDED_FOR="198.51.100.9", REMOTE_ADDR="10.0.0.1").status_code == 302


def test_one_address_spraying_a_password_across_usernames_is_locked_out(world, settings):
    """Lockout per address across usernames: 20 failures from one address, each for another
    username, lock that address for every username, the right password included."""
    assert settings.AXES_ADDRESS_FAILURE_LIMIT == 20
    sprayer = Client(REMOTE_ADDR="203.0.113.50")
    for number in range(19):
        assert attempt(sprayer, f"someone{number}", "Spring2014!").status_code == 200
    # Below the address limit another user from the same address still signs in...
    assert attempt(Client(REMOTE_ADDR="203.0.113.50"), "liaison_fgw", world.password).status_code == 302
    attempt(sprayer, "someone19", "Spring2014!")
    # ...at it, nobody does from that address, whatever the username or password.
    response = attempt(Client(REMOTE_ADDR="203.0.113.50"), "liaison_fgw", world.password)
    assert response.status_code == 429
    # Other addresses are not affected.
    assert attempt(Client(REMOTE_ADDR="198.51.100.20"), "liaison_fgw", world.password).status_code == 302


def test_the_address_limit_can_be_turned_off(world, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 0
    sprayer = Client(REMOTE_ADDR="203.0.113.51")
    for number in range(25):
        attempt(sprayer, f"someone{number}", "Spring2014!")
    assert attempt(sprayer, "liaison_fgw", world.password).status_code == 302


def test_the_lockout_page_is_in_the_site_language_and_layout(client, world):
    for _ in range(5):
        attempt(client, "liaison_fgw", "wrong-password")
    response = attempt(client, "liaison_fgw", "wrong-password")
    assert response.status_code == 429
    text = response.content.decode()
    assert "登录已暂时锁定" in text and "60 分钟后再试" in text
    assert 'id="error-page"' in text and "<nav" in text
    assert "Account locked" not in text


def test_password_validators_refuse_weak_passwords(world):

    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["12345678901", "password123", "short"]:
        with pytest.raises(ValidationError):
            validate_password(weak, world.liaison_organ)


def test_login_form_needs_csrf(world):
    strict = Client(enforce_csrf_checks=True)
    assert attempt(strict, "liaison_fgw", world.password).status_code == 403
    page = strict.get(reverse("login"))
    assert b"csrfmiddlewaretoken" in page.content


def test_sessions_expire(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_security_headers_without_debug(client, world):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    secure = client.get(reverse("login"), secure=True)
    assert "max-age=" in secure["Strict-Transport-Security"]


def test_cookies_are_secure_without_debug(client, world, settings):
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE and settings.SESSION_COOKIE_HTTPONLY
    response = attempt(client, "liaison_fgw", world.password)
    assert response.cookies["sessionid"]["secure"]


@pytest.mark.parametrize("path", ["login", "admin:login"])
def test_an_over_long_username_is_a_failed_login_not_an_error(client, world, path):
    """axes records the username of a failed attempt in 255 characters: longer ones are cut,
    and still count towards the lockout (PostgreSQL refused the row: a 500)."""
    from axes.models import AccessAttempt

    long_name = "a" * 5000
    response = client.post(reverse(path), {"username": long_name, "password": "0"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.filter(username=long_name[:255]).exists()
