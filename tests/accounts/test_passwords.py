"""Everyone changes their own password (user menu) or resets it by e-mail; a password someone
else chose must be replaced at first login before any other page opens."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts import actions
from accounts.validators import normalize_mobile

ROOT = Path(__file__).resolve().parents[2]
NEW_PASSWORD = "Qingfeng-Zhengqi-2014"


def login(username, password):
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, f"{username} could not log in"
    return client


def change(client, old, new=NEW_PASSWORD, **extra):
    return client.post(reverse("password_change"), {"old_password": old, "new_password1": new, "new_password2": new}, **extra)


def test_the_user_menu_leads_to_the_password_change_in_chinese(client, world):
    client.force_login(world.liaison_organ)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("password_change")}"' in home and "修改密码" in home
    page = client.get(reverse("password_change")).content.decode()
    assert "修改密码" in page and 'class="navbar' in page  # the site's layout, not the admin's
    assert "must-change" not in page


def test_a_user_changes_their_password(world):
    client = login("liaison_fgw", world.password)
    response = change(client, world.password)
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    assert "密码已修改" in client.get(response["Location"]).content.decode()
    assert client.get(reverse("home")).status_code == 200  # still signed in
    assert not Client().login(username="liaison_fgw", password=world.password)
    assert Client().login(username="liaison_fgw", password=NEW_PASSWORD)


def test_a_wrong_old_password_or_a_weak_new_one_is_refused_in_chinese(world):
    client = login("liaison_fgw", world.password)
    page = change(client, "not-my-password").content.decode()
    assert "你的旧密码不正确" in page
    page = change(client, world.password, new="12345678901").content.decode()
    assert "invalid-feedback" in page and "密码只包含数字" in page
    assert Client().login(username="liaison_fgw", password=world.password)


def test_anonymous_visitors_cannot_change_a_password(client, world):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_login_page_offers_the_reset(client, db):
    assert f'href="{reverse("password_reset")}"' in client.get(reverse("login")).content.decode()


def test_the_whole_reset_flow_by_e_mail(client, world, settings):
    settings.SITE_URL = "https://qzlx.example.gov.cn"
    world.liaison_organ.email = "wangxm@example.gov.cn"
    world.liaison_organ.full_name = "王晓明"
    world.liaison_organ.save()

    page = client.get(reverse("password_reset")).content.decode()
    assert "找回密码" in page
    response = client.post(reverse("password_reset"), {"email": "WANGXM@example.gov.cn"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert "邮件已发送" in client.get(response["Location"]).content.decode()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["wangxm@example.gov.cn"]
    assert message.subject == "群众路线教育实践活动工作台：设置新密码"
    assert "王晓明，您好" in message.body and "liaison_fgw" in message.body and "3天内有效" in message.body
    link = re.search(r"https://qzlx\.example\.gov\.cn(/accounts/reset/\S+/)", message.body).group(1)

    # Django swaps the token for a session key and redirects to the form.
    response = client.get(link)
    assert response.status_code == 302
    form_url = response["Location"]
    assert "设置新密码" in client.get(form_url).content.decode()
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_complete")
    assert "新密码已设置" in client.get(response["Location"]).content.decode()

    assert login("liaison_fgw", NEW_PASSWORD)
    assert not Client().login(username="liaison_fgw", password=world.password)
    # The link works once.
    assert 'data-testid="invalid-link"' in Client().get(link, follow=True).content.decode()


def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, world):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.gov.cn"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_the_e_mail_backend_comes_from_the_environment(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DEBUG="1", EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", EMAIL_FILE_PATH=str(tmp_path))
    result = subprocess.run([sys.executable, "manage.py", "sendtestemail", "office@example.gov.cn"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    (written,) = tmp_path.iterdir()
    assert "office@example.gov.cn" in written.read_text()


# --- the forced change ------------------------------------------------------------------------


@pytest.fixture
def newcomer(world):
    """An account whose password an office chose: shown once, to be replaced at first login."""
    user = get_user_model().objects.create_user("xh_newcomer", full_name="李新")
    password = actions.issue_initial_password(user)
    return user, password


def test_an_initial_password_opens_only_the_password_change(world, newcomer):
    user, password = newcomer
    client = login(user.username, password)
    for url in [reverse("home"), reverse("campaign:workspace"), reverse("units:tree"), reverse("admin:index")]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("password_change"), url
    # Not a way around it: a form posted elsewhere is not handled, and htmx is told to load the page.
    response = client.post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    response = client.get(reverse("home"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("password_change")
    page = client.get(reverse("password_change")).content.decode()
    assert 'data-testid="must-change"' in page and "初始密码" in page

    assert change(client, password).status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get(reverse("home")).status_code == 200
    assert Client().login(username=user.username, password=NEW_PASSWORD)


def test_leaving_and_switching_language_stay_open_before_the_change(world, newcomer):
    user, password = newcomer
    client = login(user.username, password)
    assert client.post(reverse("set_language"), {"language": "en", "next": reverse("password_change")}).status_code == 302
    assert "Change password" in client.get(reverse("password_change")).content.decode()
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_a_reset_by_e_mail_ends_the_forced_change_too(client, world, newcomer):
    user, _password = newcomer
    user.email = "lixin@example.gov.cn"
    user.save()
    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    user.refresh_from_db()
    assert not user.must_change_password
    assert login(user.username, NEW_PASSWORD).get(reverse("home")).status_code == 200


def test_generated_passwords_are_random_and_pass_the_validators(world):
    from django.contrib.auth.password_validation import validate_password

    user = get_user_model()(username="someone", full_name="张三")
    seen = {actions.issue_initial_password(user, save=False) for _i in range(50)}
    assert len(seen) == 50
    for password in list(seen)[:10]:
        validate_password(password, user)
        assert len(password) >= 12 and not set(password) & set("0O1lI")


# --- the user model ---------------------------------------------------------------------------


def test_mobile_numbers_are_mainland_numbers(db):
    user = get_user_model()(username="zhangsan", full_name="张三", password="x")
    for good in ["13812345678", "19912345678", ""]:
        user.mobile = good
        user.full_clean()
    for bad in ["12812345678", "1381234567", "138123456789", "010-12345678", "abcdefghijk"]:
        user.mobile = bad
        with pytest.raises(ValidationError) as refused:
            user.full_clean()
        assert "手机号码应为11位中国大陆手机号" in str(refused.value)
    assert normalize_mobile(" +86 138-1234-5678 ") == "13812345678"
    assert normalize_mobile("0086 13812345678") == "13812345678"
    assert normalize_mobile("010-1234") == "0101234"  # not a mobile: left for the validator to refuse


def test_people_are_named_by_their_full_name_everywhere(client, world):
    world.liaison_organ.full_name = "王晓明"
    world.liaison_organ.save()
    client.force_login(world.liaison_organ)
    assert "王晓明" in client.get(reverse("home")).content.decode()
    assert world.liaison_organ.get_full_name() == "王晓明"
