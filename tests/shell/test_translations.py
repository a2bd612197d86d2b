"""The English interface: a complete catalogue, and pages that switch to English on request.

The msgids are the Chinese interface strings; campaign data (directive titles, unit names)
is never translated, so the checks below only look at interface labels.
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")

# Interface strings that must not survive on an English page (none of them occurs in the test data).
CHINESE_LABELS = [
    "首页",
    "退出登录",
    "语言",
    "我的工作",
    "公文登记",
    "登记公文",
    "单位工作台",
    "督导工作台",
    "待审核材料",
    "工作进度",
    "我的报送任务",
    "报送要求",
    "截止时间",
    "状态",
    "倒计时",
    "各环节进展",
    "全部标为已读",
    "暂无通知。",
    "只看未读",
    "发文字号",
    "成文日期",
    "查询",
    "群众路线教育实践活动工作台",
]


def entries():
    return [entry for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete]


def english(client, user):
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def assert_english(html, labels):
    assert '<html lang="en">' in html
    for label in labels:
        assert label in html, label
    left = [label for label in CHINESE_LABELS if label in html]
    assert not left, f"Chinese interface strings on an English page: {left}"


# --- the catalogue ---------------------------------------------------------------------------


def test_english_catalogue_has_no_untranslated_or_fuzzy_entries():
    catalogue = entries()
    assert len(catalogue) > 500
    untranslated = [entry.msgid for entry in catalogue if not entry.translated()]
    fuzzy = [entry.msgid for entry in catalogue if "fuzzy" in entry.flags]
    assert not untranslated, untranslated
    assert not fuzzy, fuzzy


def test_english_translations_keep_placeholders():
    for entry in entries():
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            assert sorted(PLACEHOLDER.findall(translation)) == wanted, (entry.msgid, translation)


def test_compiled_catalogue_matches_the_po_file():
    compiled = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural for entry in polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    }
    source = {(entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural for entry in entries()}
    assert compiled == source, "run: python manage.py compilemessages --ignore=.venv"


def test_ambiguous_msgids_have_their_own_english():
    from django.utils import translation

    with translation.override("en"):
        assert translation.gettext("通知") == "Notice"
        assert translation.pgettext("notifications", "通知") == "Notifications"
        assert translation.gettext("通过") == "Approve"
        assert translation.pgettext("review decision", "通过") == "Approved"
        assert translation.gettext("单位") == "Unit"
        assert translation.pgettext("plural", "单位") == "Units"


# --- pages in English ------------------------------------------------------------------------


@pytest.mark.django_db
def test_office_home_and_directive_list_in_english(client, world):
    english(client, world.office_province)
    assert_english(
        page(client, reverse("home")),
        [
            "Mass Line Campaign Workbench",
            "Home",
            "Log out",
            "Leading-group office",
            "Directives",
            "Reporting requirements",
            "Awaiting review",
            "Progress",
            "Units",
            "Supervision groups",
        ],
    )
    html = page(client, reverse("campaign:directives"))
    assert_english(html, ["Directive register", "Register directive", "Document number", "Signed on", "Search"])
    # The document type "通知" is a "Notice"; the directive's own title stays Chinese.
    assert ">Notice<" in html
    assert "关于转发……总结工作的通知" in html


@pytest.mark.django_db
def test_liaison_workspace_and_notification_centre_in_english(client, world):
    from notifications.models import Notification

    Notification.objects.create(user=world.liaison_organ, title="“初步书面总结”被退回，请修改后重新报送")
    english(client, world.liaison_organ)
    html = page(client, reverse("campaign:workspace"))
    assert_english(html, ["Unit workspace", "My obligations", "Time left", "Progress by phase", "Notifications"])
    assert "初步书面总结" in html  # data is not translated

    html = page(client, reverse("notifications:list"))
    assert_english(html, ["Notifications", "Unread only", "Mark all as read", "Unread", "Mark as read"])
    assert ">Notice<" not in html


@pytest.mark.django_db
def test_review_history_reads_as_past_decisions_in_english(client, world):
    from campaign import workflow

    workflow.transition(world.obligation_organ, "submit", world.liaison_organ, text="初稿")
    workflow.transition(world.obligation_organ, "return", world.group_member, reason="请补充整改成效")
    english(client, world.liaison_organ)
    html = page(client, reverse("campaign:obligation", args=[world.obligation_organ.pk]))
    reviews = html.split('id="reviews"')[1].split("</ul>")[0]
    assert "<strong>Returned</strong>" in reviews
    assert "Review history" in html and "Reason for return" in html and "审核记录" not in html


@pytest.mark.django_db
def test_chinese_is_the_default_without_a_language_cookie(client, world):
    client.force_login(world.office_province)
    html = page(client, reverse("home"))
    assert '<html lang="zh-hans">' in html
    assert "群众路线教育实践活动工作台" in html and "退出登录" in html and "公文" in html
    assert "Log out" not in html and "Directives" not in html

    html = page(client, reverse("campaign:directives"))
    assert "公文登记" in html and "发文字号" in html and "Directive register" not in html

    client.force_login(world.liaison_organ)
    html = page(client, reverse("notifications:list"))
    assert "全部标为已读" in html and "Notifications" not in html
    html = page(client, reverse("campaign:workspace"))
    assert "单位工作台" in html and "我的报送任务" in html and "Unit workspace" not in html
