"""The base layout: Chinese by default, a language switch, login and logout, vendored assets."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db

VENDORED = [
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "vendor/echarts/echarts.min.js",
    "css/app.css",
    "js/app.js",
]


def test_login_page_renders_in_chinese_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "群众路线教育实践活动工作台" in html
    assert "用户名" in html and "密码" in html
    assert 'name="username"' in html and 'name="password"' in html
    assert 'action="/i18n/setlang/"' in html


def test_set_language_switches_navbar_to_english(client, world):
    client.force_login(world.office_province)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Mass Line Campaign Workbench" in html
    assert "Log out" in html
    assert "Leading-group office" in html
    assert "Reporting requirements" in html
    assert "群众路线教育实践活动工作台" not in html
    # And back to Chinese.
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    html = client.get("/").content.decode()
    assert "群众路线教育实践活动工作台" in html
    assert "退出登录" in html


def test_login_form_logs_in_and_lands_on_home(client, world):
    response = client.post(reverse("login"), {"username": "liaison_fgw", "password": world.password}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "初步书面总结" in response.content.decode()


def test_wrong_password_shows_an_error_in_chinese(client, world):
    response = client.post(reverse("login"), {"username": "liaison_fgw", "password": "wrong-password"})
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_logout_is_a_post_form_and_logs_out(client, world):
    client.force_login(world.liaison_organ)
    html = client.get("/").content.decode()
    assert re.search(r'<form action="/accounts/logout/" method="post"', html)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_admin_link_only_for_staff(client, world):
    client.force_login(world.liaison_organ)
    assert reverse("admin:index") not in client.get("/").content.decode()
    client.force_login(world.superuser)
    assert reverse("admin:index") in client.get("/").content.decode()


def test_no_inline_scripts_or_handlers_and_no_cdn(client, world):
    client.force_login(world.office_province)
    for url in ["/", reverse("login")]:
        html = client.get(url).content.decode()
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
        assert scripts, url
        for attrs, body in scripts:
            assert 'src="' in attrs and not body.strip(), (url, attrs)
        assert not re.search(r"\son[a-z]+\s*=", html), url
        assert not re.search(r'(src|href)="(https?:)?//', html), url


def test_vendored_assets_exist_with_licences_and_are_referenced(client):
    for path in VENDORED:
        assert finders.find(path), path
    for package in ["bootstrap", "htmx", "echarts"]:
        assert (settings.BASE_DIR / "static" / "vendor" / package / "LICENSE").is_file(), package
    readme = (settings.BASE_DIR / "static" / "vendor" / "README.md").read_text(encoding="utf-8")
    for package, version in [("bootstrap", "5.3.9"), ("htmx.org", "2.0.11"), ("echarts", "6.1.0")]:
        assert re.search(rf"^\| \[{re.escape(package)}\]\([^)]*\) \| {re.escape(version)} \|", readme, flags=re.M), package
    html = client.get(reverse("login")).content.decode()
    for path in VENDORED:
        if path.startswith("vendor/echarts"):
            continue  # loaded only by the pages that draw charts
        assert f"{settings.STATIC_URL}{path}" in html or f"/{settings.STATIC_URL}{path}" in html, path


def test_app_js_sends_csrf_header_with_htmx_requests():
    source = finders.find("js/app.js")
    text = open(source, encoding="utf-8").read()
    assert "htmx:configRequest" in text
    assert "X-CSRFToken" in text


def test_static_files_are_served(live_server):
    import urllib.request

    for path in ["vendor/bootstrap/bootstrap.min.css", "vendor/htmx/htmx.min.js", "js/app.js"]:
        with urllib.request.urlopen(f"{live_server.url}/static/{path}") as response:
            assert response.status == 200
            assert len(response.read()) > 100
