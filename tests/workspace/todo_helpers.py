"""Reading the to-do page (notifications.todo) and the badge the way a person sees them."""

import datetime as dt
import re

from django.urls import reverse

from core import clock
from rectification.models import RectificationItem, RectificationPlan
from supervision.models import Feedback

_ITEM = re.compile(
    r'data-todo-kind="(?P<kind>\w+)">\s*<div[^>]*>\s*<a class="[^"]*" href="(?P<url>[^"]+)">(?P<title>[^<]*)</a>'
    r'(?P<badges>(?:\s*<span class="badge[^"]*"[^>]*>[^<]*</span>)*)'
)


def todo_page(client, user):
    client.force_login(user)
    response = client.get(reverse("notifications:todo"))
    assert response.status_code == 200
    return response.content.decode()


def listed(html):
    """{kind: [url, ...]} in page order."""
    found = {}
    for match in _ITEM.finditer(html):
        found.setdefault(match["kind"], []).append(match["url"])
    return found


def marked(html, flag):
    """The urls of the items carrying the badge `data-<flag>`."""
    return [m["url"] for m in _ITEM.finditer(html) if f"data-{flag}=" in m["badges"]]


def page_total(html):
    return int(re.search(r'id="todo-total" data-total="(\d+)"', html)[1])


def badge(html):
    """The to-do count in the top bar (0 when the badge shows none)."""
    found = re.search(r'data-todo="(\d+)"', html)
    return int(found[1]) if found else 0


def signed_off_feedback(world, unit, subject, group=None, status=Feedback.Status.SIGNED_OFF):
    group = group or world.group
    signed = status == Feedback.Status.SIGNED_OFF
    return Feedback.objects.create(
        group=group, unit=unit, subject=subject, text="意见", status=status, drafted_by=world.group_member,
        signed_off_by=world.group_leader if signed else None,
        signed_off_at=clock.now() if signed else None,
    )


def plan_with_items(world, unit, statuses):
    plan = RectificationPlan.objects.create(campaign=world.campaign, unit=unit, title=f"{unit.name}整改方案",
                                            responsible_person="张三")
    items = []
    for n, status in enumerate(statuses):
        items.append(RectificationItem.objects.create(
            plan=plan, problem=f"{unit.name}问题{n}", measures="措施", owner="李四", due_on=dt.date(2014, 1, 1 + n),
            status=status, evidence="佐证" if status == RectificationItem.Status.CLOSED else "",
        ))
    return items
