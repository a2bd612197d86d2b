"""Buttons a user cannot use are not shown: every button, menu entry and navigation link on the
pages each persona reaches from home opens for that persona (no 403 behind a visible button)."""

import re
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import reverse

LINK = re.compile(r'<a\s[^>]*?class="([^"]*)"[^>]*?href="([^"]+)"|<a\s[^>]*?href="([^"]+)"[^>]*?class="([^"]*)"')
CLICKABLE = ("btn", "nav-link", "dropdown-item", "list-group-item-action")
SKIP = ("/accounts/logout/", "/admin/", "/i18n/", "/static/")
MAX_PAGES = 120


def buttons(html):
    for match in LINK.finditer(html):
        classes = match.group(1) or match.group(4) or ""
        href = (match.group(2) or match.group(3) or "").replace("&amp;", "&")
        if any(kind in classes.split() for kind in CLICKABLE):
            yield href


# Every area's entry page, whether or not the persona's menu links to it: a page opened by its
# address must not offer buttons either.
ENTRY_PAGES = ["home", "campaign:workspace", "supervision:workspace", "campaign:review_queue", "campaign:directives",
               "campaign:dashboard", "units:tree", "units:list", "campaign:participants", "supervision:groups",
               "rectification:overview", "notifications:list"]


def crawl(client):
    """Visited pages and the buttons that answered 403, from every area's entry page outwards
    (site links only). Each address is asked for once (the crawl only reads): a button met on many
    pages, or a page met first as a button's target, is judged by that one answer."""
    queue, seen, refused, answers = [reverse(name) for name in ENTRY_PAGES], set(), [], {}

    def get(url):
        if url not in answers:
            answers[url] = client.get(url)
        return answers[url]

    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = get(url)
        if response.get("Content-Type", "").split(";")[0] != "text/html" or response.status_code != 200:
            continue
        for href in buttons(response.content.decode()):
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if not href or parts.netloc or parts.scheme or not href.startswith("/") or href.startswith(SKIP):
                continue
            target = get(href)
            if target.status_code == 403:
                refused.append((url, href))
            elif href not in seen:
                queue.append(href)
    return seen, refused


# The `world` personas whose pages are crawled (tests/faults crawls them too).
PERSONAS = ["office_province", "office_hangzhou", "liaison_organ", "liaison_xihu", "group_leader", "group_member", "other_member"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_visible_button_opens(world, client, persona):
    client.force_login(getattr(world, persona))
    seen, refused = crawl(client)
    assert len(seen) > 3
    assert not refused, refused
