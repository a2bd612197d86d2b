"""Error pages in the site's layout and language, with the reason the code gave, never a
traceback, with DEBUG off (as in production); buttons a user cannot use are not shown."""

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path, reverse

from supervision.models import Feedback
from tests.workspace.workspace_helpers import logged_in


def broken_view(request):
    raise RuntimeError("database exploded at 0xdeadbeef")


def fine_view(request):
    return HttpResponse("ok")


urlpatterns = [path("", include("config.urls")), path("test-broken/", broken_view)]
handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"


def assert_site_page(response, status, *texts):
    assert response.status_code == status
    body = response.content.decode()
    assert 'id="error-page"' in body and "<nav" in body, body[:500]
    for text in texts:
        assert text in body, body
    for leak in ("Traceback", "Forbidden", "Bad Request", "Not Found", "Server Error (500)", "0xdeadbeef"):
        assert leak not in body
    return body


def test_debug_is_off_in_these_tests(settings):
    assert settings.DEBUG is False


def test_refused_sign_off_shows_the_reason_in_the_layout(world, client):
    client_for = logged_in(client)
    feedback = Feedback.objects.create(
        group=world.group, unit=world.organ, subject="反馈", text="意见", status=Feedback.Status.PENDING,
        drafted_by=world.group_member,
    )
    response = client_for(world.group_member).post(
        reverse("supervision:feedback_sign_off", kwargs={"feedback_id": feedback.pk}), {"decision": "sign"}
    )
    body = assert_site_page(response, 403, "无权访问")
    assert "您没有权限进行此操作或查看此页面" not in body  # the specific reason, not the general text


def test_missing_page_is_in_words(world, client):
    client.force_login(world.liaison_organ)
    assert_site_page(client.get("/units/999999999/"), 404, "未找到")
    assert_site_page(Client().get("/no-such-page/"), 404, "未找到")


@pytest.mark.urls(__name__)
def test_server_error_is_in_the_layout_without_a_traceback(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.liaison_organ)
    assert_site_page(client.get("/test-broken/"), 500, "系统出错")


@pytest.mark.urls(__name__)
def test_server_error_page_survives_a_broken_layout(world, settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": []}]  # no 500.html, no base.html
    client = Client(raise_request_exception=False)
    response = client.get("/test-broken/")
    assert response.status_code == 500
    assert "系统出错" in response.content.decode() and "0xdeadbeef" not in response.content.decode()


def test_expired_form_token_is_explained(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.liaison_organ)
    response = client.post(reverse("units:assign"), {"unit_type": "organ"})
    assert_site_page(response, 403, "页面已过期", "请刷新页面后重新填写提交")


def test_bad_export_format_is_a_400_in_words(world, client):
    client.force_login(world.office_province)
    response = client.post(reverse("units:export") + "?format=exe")
    assert_site_page(response, 400, "格式只能是 xlsx 或 csv")


def test_bad_assignment_goes_back_with_the_message(world, client):
    """Was a bare-text 400: now the list again with the message above it."""
    client.force_login(world.office_province)
    response = client.post(reverse("units:assign"), {"unit_type": "no-such-type"}, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "alert" in body and "<nav" in body
