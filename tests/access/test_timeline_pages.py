"""Every page of an object whose state changes shows its audit timeline (留痕)."""

import pytest

from audit.services import record_transition


@pytest.mark.parametrize(
    "attribute,viewer",
    [
        ("zj_48", "office_province"),
        ("requirement", "office_province"),
        ("hangzhou", "office_province"),
        ("group", "office_province"),
        ("obligation_organ", "liaison_organ"),
    ],
)
def test_object_page_shows_its_audit_timeline(world, client, attribute, viewer):
    obj = getattr(world, attribute)
    record_transition(obj, "演示操作", actor=world.superuser, from_state="a", to_state="b", reason="留痕测试理由")
    client.force_login(getattr(world, viewer))
    response = client.get(obj.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "操作留痕" in body
    assert "演示操作" in body and "留痕测试理由" in body
