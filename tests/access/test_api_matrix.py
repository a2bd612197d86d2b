"""The permission matrix of the API, generated from its URL configuration like the pages' one
(tests/access/test_access_matrix.py, whose objects and personas it reuses).

Every API URL but the schema and its docs refuses a call without a token (401). An object URL
(``<model>_id``) answers an outsider's token 403 or 404, on GET and on POST, and an outsider's
POST changes nothing and writes no audit row; the rightful person's token reads it (200) or,
for a write, is not refused for who it is."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api import actions
from audit.models import AuditEntry
from tests.access.test_access_matrix import OBJECTS, OUTSIDERS, resolve_target, state_of, things  # noqa: F401 (the fixture with every persona)

# Reachable without a token: the OpenAPI document and its docs page say nothing about any data.
PUBLIC = {"api:openapi-json", "api:openapi-view", "api:api-root"}  # api-root: an empty 404 of django-ninja
# URL name -> rightful persona, where the call is for another role than the object's owner.
RIGHTFUL_BY_URL = {"api:review": "group_member"}
# A body that would pass the schema of every write, so that a refusal is the scoping's, not the schema's.
ANY_WRITE = {"decision": "approve", "reason": "x", "text": "x", "obligations": [1], "title": "x", "deadline": "2014-01-10",
             "route": "office"}


def api_urls(patterns=None, prefix="", inside=False):
    """(name, route, kwarg names) of every URL pattern of the API."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from api_urls(entry.url_patterns, prefix + str(entry.pattern), inside or entry.namespace == "api")
        elif isinstance(entry, URLPattern) and inside:
            kwargs = set(getattr(entry.pattern, "converters", {}) or {}) | set(entry.pattern.regex.groupindex)
            yield f"api:{entry.name}", prefix + str(entry.pattern), kwargs


def object_urls():
    return [(name, route, kwargs) for name, route, kwargs in api_urls() if kwargs]


def test_the_api_has_object_urls_and_each_is_registered():
    found = object_urls()
    assert found
    assert [(name, kwargs - set(OBJECTS)) for name, _route, kwargs in found if kwargs - set(OBJECTS)] == []


@pytest.mark.parametrize("name,route,kwargs", list(api_urls()), ids=lambda value: value if isinstance(value, str) else "")
def test_no_token_no_answer(client, world, things, name, route, kwargs):  # noqa: F811 (the fixture imported above)
    if name in PUBLIC:
        return
    url = reverse(name, kwargs={kwarg: resolve_target(world, things, name, kwarg)[0].pk for kwarg in kwargs})
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in (401, 405), f"{name}: {response.status_code} without a token"


def _token(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {actions.create_token(user, '矩阵')[1]}"}


@pytest.mark.parametrize("name,route,kwargs", object_urls(), ids=lambda value: value if isinstance(value, str) else "")
def test_outsiders_tokens_are_refused_and_the_rightful_one_is_not(client, world, things, name, route, kwargs):  # noqa: F811
    targets, rightful = {}, None
    for kwarg in kwargs:
        targets[kwarg], rightful = resolve_target(world, things, name, kwarg)
    rightful = getattr(world, RIGHTFUL_BY_URL[name]) if name in RIGHTFUL_BY_URL else rightful
    url = reverse(name, kwargs={kwarg: target.pk for kwarg, target in targets.items()})
    for persona in OUTSIDERS:
        outsider = getattr(world, persona)
        if outsider == rightful:
            continue
        token = _token(outsider)
        assert client.get(url, **token).status_code in (403, 404, 405), f"{name}: {persona} read it"
        before = {kwarg: state_of(target) for kwarg, target in targets.items()}
        audit_rows = AuditEntry.objects.count()
        response = client.post(url, ANY_WRITE, content_type="application/json", **token)
        assert response.status_code in (403, 404, 405, 422), f"{name}: {persona} got {response.status_code} on POST"
        assert {kwarg: state_of(target) for kwarg, target in targets.items()} == before, f"{name}: POST changed data"
        assert AuditEntry.objects.count() == audit_rows, f"{name}: POST by {persona} wrote an audit row"
    answer = client.get(url, **_token(rightful))
    assert answer.status_code in (200, 405), f"{name}: rightful {rightful} got {answer.status_code}"
