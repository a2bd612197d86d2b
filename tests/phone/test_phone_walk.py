"""Every page fits a phone (issue 14, part 8; standards: pages fit a 360 px phone).

The demo is loaded and given the longest texts people type: a 5,000-character 说明 with no
space to break at, a 200-character plan title (and so a long audit row), long unit and person
names. Then one Chromium page, 360 × 740, logs in as each role (office, supervision group leader
and member, the liaison of a province unit and of a village, the staff of an affiliation body)
and walks the pages of PAGES plus every page the role's navigation bar and main content link to
(one address per kind of page: about 120 pages), asserting on each that

- nothing is wider than the screen (document.documentElement.scrollWidth <= innerWidth);
- buttons and links in the main content's tables and lists are at least 44 px high (tap
  targets), except the kinds listed in SMALL_TARGETS_ALLOWED;

and that the office's dashboard titles its charts, draws units as horizontal bars at 360 px,
says in words when a chart has nothing to show and redraws when the window grows.

To cover a new page, add a line to PAGES: (role, URL name, kwargs), where a kwarg value naming a
key of the `long_texts` fixture is replaced by that object's primary key.
"""

import datetime as dt
import os
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse

from demo.accounts import DEMO_PASSWORD
from tests.conftest import load_demo, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
NO_BREAK = "".join(chr(ord("a") + i % 26) for i in range(5000))  # one 5,000-letter "word"
LONG_TITLE = ("关于" + "Q" * 190 + "的整改事项")[:200]
LONG_UNIT = "浙江省发展和改革委员会（浙江省粮食和物资储备局、浙江省能源局）机关党委办公室"
LONG_PERSON = "阿卜杜热合曼·买买提艾力·吐尔逊托合提·艾合买提江"

ROLES = {
    "office": "zj_office",
    "group_leader": "sup_leader",
    "group_member": "sup_member",
    "province_liaison": "liaison_fgw",
    "village_liaison": "liaison_yucun",
    "affiliation_office": "szjg_office",  # reviews its part of the provincial units' reports
}

# (role, URL name, kwargs): pages a role reaches, whether or not a link shows them.
PAGES = [
    *[(role, name, {}) for role in ROLES for name in (
        "home", "notifications:list", "notifications:preferences", "notifications:todo", "password_change")],
    ("office", "campaign:dashboard", {}),
    ("office", "campaign:directives", {}),
    ("office", "campaign:participants", {}),
    ("office", "campaign:campaigns", {}),
    ("office", "campaign:review_queue", {}),
    ("office", "campaign:extension_requests", {}),
    ("office", "campaign:overdue", {}),
    ("office", "units:tree", {}),
    ("office", "units:list", {}),
    ("office", "personnel:accounts", {}),
    ("office", "supervision:groups", {}),
    ("office", "rectification:overview", {}),
    ("office", "campaign:requirement", {"requirement_id": "requirement"}),
    ("office", "campaign:directive", {"directive_id": "directive"}),
    ("office", "campaign:obligation", {"obligation_id": "obligation"}),
    ("office", "campaign:submission", {"submission_id": "submission"}),
    ("office", "notifications:requirement_log", {"requirement_id": "requirement"}),
    ("office", "units:detail", {"unit_id": "unit"}),
    ("group_leader", "supervision:workspace", {}),
    ("group_leader", "supervision:unit", {"unit_id": "unit"}),
    ("group_leader", "campaign:obligation", {"obligation_id": "obligation"}),
    ("group_leader", "campaign:submission", {"submission_id": "submission"}),
    ("group_leader", "rectification:plan", {"plan_id": "plan"}),
    ("group_member", "supervision:workspace", {}),
    ("group_member", "campaign:review_queue", {}),
    ("group_member", "campaign:submission", {"submission_id": "submission"}),
    ("province_liaison", "campaign:workspace", {}),
    ("province_liaison", "campaign:obligation", {"obligation_id": "obligation"}),
    ("province_liaison", "campaign:submission", {"submission_id": "submission"}),
    ("province_liaison", "rectification:unit", {"unit_id": "unit"}),
    ("province_liaison", "rectification:plan", {"plan_id": "plan"}),
    ("province_liaison", "rectification:item", {"item_id": "item"}),
    ("province_liaison", "rectification:lookback_edit", {"unit_id": "unit"}),
    ("province_liaison", "campaign:unit_phases", {"unit_id": "unit"}),
    ("village_liaison", "campaign:workspace", {}),
    ("affiliation_office", "campaign:affiliation_queue", {}),
]

# Pages not walked when a link leads there: files, downloads, forms that only answer a POST,
# the admin and leaving.
SKIP_PREFIXES = ("/accounts/logout/", "/admin/", "/i18n/", "/static/", "/clock/")
# Downloads are skipped too: every URL name ending in "export" is a spreadsheet, not a page.
SKIP_NAMES = {"campaign:file", "campaign:dashboard_export", "units:export", "units:import_template",
              "personnel:import_template", "units:import_status", "units:children", "campaign:deadline_preview",
              "campaign:campaign_switch",
              # Files and their previews (a PDF or an image, not a page of the product).
              "files:download", "files:preview", "campaign:file_preview", "campaign:attachment_file",
              "campaign:attachment_preview"}
# Small links allowed in tables and lists: none. Add a CSS selector here, with the reason, only for a
# link a person never needs to tap on a phone.
SMALL_TARGETS_ALLOWED = []
MIN_TAP = 44
# PHONE_SHOTS=/some/folder: also save screenshots of these pages at 360 and 1366 px, to look at.
SHOTS = os.environ.get("PHONE_SHOTS")
SHOT_PAGES = {"home", "campaign:dashboard", "campaign:submission", "campaign:obligation", "rectification:plan",
              "rectification:lookback_edit", "notifications:list", "campaign:workspace", "supervision:workspace",
              "campaign:directives", "campaign:requirement", "units:list", "supervision:unit"}
DESKTOP = {"width": 1366, "height": 900}

CHARTS = """() => [...document.querySelectorAll('.dashboard-chart')].map((el) => {
  const chart = echarts.getInstanceByDom(el);
  const option = chart && chart.getOption();
  return {id: el.id, title: option ? option.title[0].text : el.querySelector('div').textContent,
          empty: el.querySelector('[data-testid=chart-empty]')?.textContent || null,
          categoryAxis: option ? (option.yAxis[0].type === 'category' ? 'y' : 'x') : null,
          height: el.getBoundingClientRect().height};
})"""

MEASURE = """({allowed, minTap}) => {
  const main = document.querySelector('main');
  const small = [];
  if (main) {
    const targets = main.querySelectorAll(
      'table a[href], table button, ul a[href], ul button, ol a[href], ol button, .list-group a[href], .list-group button');
    for (const el of targets) {
      if (el.closest('.breadcrumb, .pagination, .audit-timeline, details:not([open]), .dropdown-menu')) continue;
      if (allowed.some((selector) => el.matches(selector))) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (getComputedStyle(el).visibility === 'hidden') continue;
      if (box.height < minTap - 0.5) {
        const size = `${Math.round(box.width)}x${Math.round(box.height)}`;
        small.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 20)}" ${size}`);
      }
    }
  }
  const wide = [];
  if (document.documentElement.scrollWidth > window.innerWidth) {
    for (const el of document.querySelectorAll('body *')) {
      const box = el.getBoundingClientRect();
      if (box.right > window.innerWidth + 1 && !el.closest('.table-responsive, .app-scroll-x')) {
        wide.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')}#${el.id} ${Math.round(box.right)}`);
        if (wide.length > 4) break;
      }
    }
  }
  const links = [...document.querySelectorAll('nav a[href], main a[href]')].map((a) => a.getAttribute('href'));
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, small, wide, links};
}"""


@pytest.fixture
def long_texts(transactional_db, settings, tmp_path):
    """The demo in motion with the longest texts a person may type."""
    from django.contrib.auth import get_user_model

    from campaign import actions
    from campaign.models import Obligation, Route
    from core import clock
    from rectification import actions as rectification_actions
    from rectification.models import RectificationItem
    from units.models import Unit

    settings.MEDIA_ROOT = tmp_path / "uploads"
    load_demo(verbosity=0)
    users = {user.username: user for user in get_user_model().objects.all()}
    liaison = users["liaison_fgw"]
    liaison.full_name = LONG_PERSON
    liaison.save(update_fields=["full_name"])
    obligation = Obligation.objects.get(unit__memberships__user=liaison, requirement__route=Route.SUPERVISION_FIRST,
                                        requirement__title="初步书面总结")
    unit = obligation.unit
    Unit.objects.filter(pk=unit.pk).update(name=LONG_UNIT)
    pdf = SimpleUploadedFile("省发展改革委初步书面总结" + "x" * 80 + ".pdf", b"%PDF-1.4\n%%EOF\n",
                             content_type="application/pdf")
    with clock.frozen_at(obligation.due_at - dt.timedelta(days=1)):
        actions.move_obligation(obligation, "submit", liaison, files=[pdf], text=NO_BREAK)
    item = RectificationItem.objects.filter(plan__unit=unit).order_by("pk").first()
    from audit.services import snapshot

    before = snapshot(item)
    item.problem = LONG_TITLE + NO_BREAK[:300]
    item.owner = LONG_PERSON
    rectification_actions.edit_item(item, before, actor=liaison)
    plan = item.plan
    before = snapshot(plan)
    plan.title = LONG_TITLE  # the plan's heading and its audit row (title: before → after)
    rectification_actions.edit_plan(plan, before, actor=liaison)
    return {"obligation": obligation.pk, "submission": obligation.submissions.latest("version").pk,
            "requirement": obligation.requirement_id, "directive": obligation.requirement.directive_id,
            "unit": unit.pk, "plan": item.plan_id, "item": item.pk,
            "village": Unit.objects.get(code="330523001001").pk}


def address(name, kwargs, objects):
    return reverse(name, kwargs={key: objects.get(value, value) for key, value in kwargs.items()})


def url_name(href):
    try:
        match = resolve(urlsplit(href).path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


def test_every_page_fits_a_phone(browser_page, live_server, long_texts):
    page = browser_page
    page.set_viewport_size(PHONE)
    problems, walked, visited = {}, 0, set()
    for role, username in ROLES.items():
        page.context.clear_cookies()
        login(page, live_server, username, DEMO_PASSWORD)
        page.wait_for_url(f"{live_server.url}/")
        listed = [address(name, kwargs, long_texts) for who, name, kwargs in PAGES if who == role]
        queue = list(listed)
        names_seen, urls_seen = set(), set()
        while queue:
            url = queue.pop(0)
            name = url_name(url)
            if url in urls_seen or name in names_seen or name is None or name in SKIP_NAMES or name.endswith("export"):
                continue
            urls_seen.add(url)
            names_seen.add(name)
            response = page.goto(live_server.url + url)
            if url in listed and response.status != 200:
                problems[f"{role} {url} status"] = response.status  # a listed page must open
            if response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
                continue
            walked += 1
            visited.add((role, name))
            if SHOTS and name in SHOT_PAGES:
                screenshots(page, f"{role}-{name.replace(':', '-')}")
            found = page.evaluate(MEASURE, {"allowed": SMALL_TARGETS_ALLOWED, "minTap": MIN_TAP})
            if found["scrollWidth"] > found["innerWidth"]:
                problems[f"{role} {url} width"] = (found["scrollWidth"], found["wide"])
            if found["small"]:
                problems[f"{role} {url} small"] = found["small"][:5]
            for href in found["links"]:
                href = urldefrag(href or "")[0]
                if href.startswith("/") and not href.startswith(SKIP_PREFIXES):
                    queue.append(href)
    dashboard_charts(page, live_server, long_texts["village"])
    report = "\n".join(f"{key}: {value}" for key, value in sorted(problems.items()))
    assert walked > 60
    assert problems == {}, report


def dashboard_charts(page, live_server, village):
    """The office's dashboard at 360 px: every chart titled; units as horizontal bars; a chart
    with nothing to draw (no data, every rate 0 %) says so in words."""
    page.context.clear_cookies()
    login(page, live_server, ROLES["office"], DEMO_PASSWORD)
    page.goto(live_server.url + reverse("campaign:dashboard"))
    page.wait_for_selector("#dashboard-units-chart canvas")
    charts = {chart["id"]: chart for chart in page.evaluate(CHARTS)}
    assert charts["dashboard-units-chart"]["title"] == "各单位进度"
    assert charts["dashboard-units-chart"]["categoryAxis"] == "y"
    assert charts["dashboard-phase-chart"]["title"] == "各环节按时率"
    phase = charts["dashboard-phase-chart"]
    assert phase["categoryAxis"] == "y" or "0％" in phase["empty"] or "暂无" in phase["empty"]
    # Turned to a desktop's width, the chart is redrawn to its new place.
    page.set_viewport_size(DESKTOP)
    page.wait_for_function("""() => {
      const el = document.getElementById('dashboard-units-chart');
      return Math.abs(el.querySelector('canvas').getBoundingClientRect().width - el.clientWidth) < 2 && el.clientWidth > 500;
    }""")
    page.set_viewport_size(PHONE)
    # A village (the demo's 余村) has done nothing on time: its rate chart says 0 % in words.
    page.goto(f"{live_server.url}{reverse('campaign:dashboard')}?unit={village}")
    zero = {chart["id"]: chart for chart in page.evaluate(CHARTS)}
    assert zero["dashboard-units-chart"]["categoryAxis"] == "y"
    assert zero["dashboard-phase-chart"]["title"] == "各环节按时率"
    assert zero["dashboard-phase-chart"]["empty"] == "各环节按时率均为 0％：尚无按时完成的报送。"
    return charts, zero


def screenshots(page, stem):
    """The page's first screens (up to 3 × 1,200 px), phone then desktop width."""
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    for size in (PHONE, DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.wait_for_timeout(300)  # ECharts redraws on resize in the next animation frame
        if size is DESKTOP or not (folder / f"{stem}-360-0.png").exists():
            height = page.evaluate("document.documentElement.scrollHeight")
            for part, top in enumerate(range(0, min(height, 3600), 1200)):
                clip = {"x": 0, "y": top, "width": size["width"], "height": min(1200, height - top)}
                page.screenshot(path=folder / f"{stem}-{size['width']}-{part}.png", full_page=True, clip=clip)
