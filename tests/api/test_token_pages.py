"""The token pages (接口令牌): a person makes, sees and revokes their tokens; an office makes service
tokens for the units it manages only; no input is a 500."""

import re

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.forms import ServiceTokenForm, TokenForm
from api.models import ApiToken
from audit.models import AuditEntry

TOKEN_TEXT = re.compile(r"cwt_[0-9a-f]{8}_[A-Za-z0-9_-]+")


def test_a_person_creates_sees_once_and_revokes_a_calendar_token(world, client):
    client.force_login(world.liaison_organ)
    page = client.get(reverse("tokens:list"))
    assert page.status_code == 200 and "接口令牌" in page.content.decode()

    made = client.post(reverse("tokens:create"), {"name": "手机日历", "purpose": "calendar"})
    body = made.content.decode()
    assert made.status_code == 200 and "在手机日历中订阅此地址" in body
    text = TOKEN_TEXT.search(body).group(0)
    token = ApiToken.objects.get(user=world.liaison_organ)
    assert token.purpose == ApiToken.Purpose.CALENDAR and text.split("_")[1] == token.prefix
    assert f"/calendar/{text}.ics" in body and 'data-copy-from="new-token-text"' in body

    listed = client.get(reverse("tokens:list")).content.decode()
    assert "手机日历" in listed and token.prefix in listed and text not in listed  # shown once only

    assert client.get(reverse("tokens:revoke", kwargs={"apitoken_id": token.pk})).status_code == 200  # the confirmation
    assert client.get(f"/calendar/{text}.ics").status_code == 200
    answer = client.post(reverse("tokens:revoke", kwargs={"apitoken_id": token.pk}), {"reason": "手机丢失"})
    assert answer.status_code == 302
    token.refresh_from_db()
    assert not token.in_force
    assert AuditEntry.objects.for_object(token).filter(action="revoke", reason="手机丢失").exists()
    assert client.get(f"/calendar/{text}.ics").status_code == 404
    assert "已于" in client.get(reverse("tokens:list")).content.decode()


def test_an_empty_name_is_refused_in_words(world, client):
    client.force_login(world.liaison_organ)
    answer = client.post(reverse("tokens:create"), {"name": "   ", "purpose": "api"})
    assert answer.status_code == 400 and "令牌未创建" in answer.content.decode()
    assert not ApiToken.objects.exists()


def test_an_office_makes_service_tokens_for_its_own_subtree_only(world, client):
    client.force_login(world.office_province)
    made = client.post(reverse("tokens:service_create"), {"unit": world.hangzhou.pk, "name": "杭州OA对接", "reason": "OA"})
    assert made.status_code == 200 and TOKEN_TEXT.search(made.content.decode())
    token = ApiToken.objects.get(service_unit=world.hangzhou)
    assert AuditEntry.objects.for_object(token).filter(action="create").exists()

    # Hangzhou's office sees it on its page and may revoke it; Ningbo's sees nothing of it.
    client.force_login(world.office_hangzhou)
    assert "杭州OA对接" in client.get(reverse("tokens:list")).content.decode()
    assert client.get(reverse("tokens:revoke", kwargs={"apitoken_id": token.pk})).status_code == 200
    client.force_login(world.office_ningbo)
    assert "杭州OA对接" not in client.get(reverse("tokens:list")).content.decode()

    # Outside its subtree: Hangzhou's office cannot make one for Ningbo, nor a liaison for anyone.
    client.force_login(world.office_hangzhou)
    refused = client.post(reverse("tokens:service_create"), {"unit": world.ningbo.pk, "name": "越权"})
    assert refused.status_code == 400 and "请选择本办公室管理的单位" in refused.content.decode()
    client.force_login(world.liaison_organ)
    assert client.post(reverse("tokens:service_create"), {"unit": world.organ.pk, "name": "越权"}).status_code == 403
    assert not ApiToken.objects.filter(name="越权").exists()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=120), purpose=st.text(max_size=12) | st.sampled_from(["api", "calendar"]),
       unit=st.text(max_size=12) | st.integers(), reason=st.text(max_size=600))
def test_the_forms_never_raise_whatever_they_are_sent(world, name, purpose, unit, reason):
    token_form = TokenForm({"name": name, "purpose": purpose})
    if token_form.is_valid():
        assert token_form.cleaned_data["name"].strip() and token_form.cleaned_data["purpose"] in ApiToken.Purpose.values
    service_form = ServiceTokenForm({"unit": unit, "name": name, "reason": reason}, user=world.office_hangzhou)
    if service_form.is_valid():
        assert service_form.cleaned_data["unit"].pk in {world.hangzhou.pk, world.xihu.pk, world.street.pk}


def test_the_token_page_fits_a_phone_and_copies_the_new_token(browser_page, live_server, world):
    """360 px wide, the page scrolls only down; the copy button works without inline script (CSP)."""
    from tests.conftest import login

    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, live_server, world.office_province.username)
    page.goto(f"{live_server.url}{reverse('tokens:list')}")
    page.fill("#token-form input[name=name]", "手机日历")
    page.check("#token-form input[value=calendar]")
    page.click("#token-form button")
    page.wait_for_selector("[data-testid=token-created]")
    assert page.input_value("#new-token-text").startswith("cwt_") and "/calendar/" in page.input_value("#new-feed-url")
    page.click("[data-copy-from=new-token-text]")
    page.wait_for_selector("[data-copy-from=new-token-text]:has-text('已复制')")
    wide = page.evaluate("""[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 360)
        .map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 15)""")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, wide
