"""Tokens: made, used as their owner, revoked; service tokens act for one office's subtree."""

import pytest
from django.core.exceptions import PermissionDenied

from api import actions
from api.models import ApiToken
from audit.models import AuditEntry


def bearer(text):
    return {"HTTP_AUTHORIZATION": f"Bearer {text}"}


def test_a_token_acts_as_its_owner_until_revoked(world, client):
    token, text = actions.create_token(world.liaison_organ, "手机")
    assert text.startswith("cwt_") and token.secret_hash not in text and ApiToken.objects.get().secret_hash != text
    answer = client.get("/api/v1/me", **bearer(text))
    assert answer.status_code == 200 and answer.json()["username"] == "liaison_fgw" and answer.json()["is_liaison"]
    token.refresh_from_db()
    assert token.last_used_at is not None
    actions.revoke_token(token, actor=world.liaison_organ, reason="换手机")
    refused = client.get("/api/v1/me", **bearer(text))
    assert refused.status_code == 401 and "令牌" in refused.json()["detail"]
    assert list(AuditEntry.objects.for_object(token).values_list("action", flat=True)) == ["revoke", "create"]


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer cwt_x", "Bearer cwt_12345678_wrong", "Basic abc"])
def test_no_token_or_a_wrong_one_is_a_401_in_words(world, client, header):
    actions.create_token(world.liaison_organ, "手机")
    answer = client.get("/api/v1/me", **({"HTTP_AUTHORIZATION": header} if header else {}))
    assert answer.status_code == 401 and "令牌" in answer.json()["detail"]


def test_a_calendar_token_does_not_open_the_api(world, client):
    _token, text = actions.create_token(world.liaison_organ, "日历", purpose=ApiToken.Purpose.CALENDAR)
    assert client.get("/api/v1/me", **bearer(text)).status_code == 401


def test_a_service_token_acts_for_the_office_subtree_it_was_made_for(world, client):
    with pytest.raises(PermissionDenied):
        actions.create_service_token(world.province, "OA", actor=world.office_hangzhou)
    token, text = actions.create_service_token(world.hangzhou, "杭州OA对接", actor=world.office_province)
    me = client.get("/api/v1/me", **bearer(text)).json()
    assert me["is_office"] and not token.user.has_usable_password()
    assert ApiToken.objects.restrict(world.office_hangzhou).filter(pk=token.pk).exists()  # its office may revoke it
    assert not ApiToken.objects.restrict(world.office_ningbo).filter(pk=token.pk).exists()
    actions.revoke_token(token, actor=world.office_hangzhou, reason="停用对接")
    token.user.refresh_from_db()
    assert not token.user.is_active and client.get("/api/v1/me", **bearer(text)).status_code == 401


def test_a_token_is_throttled_past_its_rate(world, client, settings):
    settings.API_RATE_LIMIT = "3/m"
    from django.core.cache import cache  # the throttle counts in the cache: start from nothing

    cache.clear()
    _token, text = actions.create_token(world.liaison_organ, "脚本")
    codes = [client.get("/api/v1/me", **bearer(text)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
