"""Every date a form shows is one its <input type="date"> can read back: the value attribute is ISO
(2014-12-10), in Chinese and in English, never a localised 2014/12/10 or 2014年12月10日 that the
browser would show as an empty field and a later save would wipe (the democratic life meeting's
planned date once went that way). And posting a form back as shown keeps its dates.

The forms are read from the pages themselves (tests/hardening/forms_on_pages.py, as in
test_every_form), with every kind of record in the world carrying its dates, so a form added
later is covered without touching this test.
"""

import datetime as dt
import re

import pytest
from django.db import transaction

from tests.hardening.forms_on_pages import forms_on
from tests.hardening.test_every_form import SKIP_ACTIONS
from tests.hardening.test_url_fuzz import fill_real, patterns, real_ids

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?")
LOCALISED_DAY = re.compile(r"\d{4}\s*(年|/|\.)\s*\d{1,2}\s*(月|/|\.)\s*\d{1,2}|[A-Z][a-z]{2}\.? \d{1,2}, \d{4}")
DATE_KINDS = {"date": ISO_DAY, "datetime-local": ISO_MOMENT}


def dated_world(world):
    """The world's ids, with dates on everything a form may show: batches, a meeting, phase
    progress, an assignment, a rectification plan and item."""
    from campaign.actions import enter_phase
    from campaign.models import Meeting, Phase
    from rectification.models import RectificationItem, RectificationPlan

    ids = real_ids(world)
    world.batch1.starts_on, world.batch1.ends_on = dt.date(2013, 6, 18), dt.date(2014, 1, 31)
    world.batch1.save()
    Meeting.objects.filter(pk=ids["meeting_id"]).update(phase=Phase.objects.get(code="examination"),
                                                        planned_on=dt.date(2014, 12, 10))
    progress = enter_phase(world.organ, Phase.objects.get(code="study"), dt.date(2013, 7, 1), actor=world.liaison_organ)
    RectificationPlan.objects.filter(pk=ids["plan_id"]).update(published_on=dt.date(2013, 12, 2))
    RectificationItem.objects.filter(pk=ids["item_id"]).update(due_on=dt.date(2014, 3, 31))
    return {**ids, "campaign_id": world.campaign.pk, "batch_id": world.batch1.pk, "phase_id": progress.phase_id,
            "progress_id": progress.pk, "assignment_id": world.assignment.pk}


def shown_forms(client, ids):
    """(page path, form) of every form on every page the client can open."""
    found = {}
    for route, converters in patterns():
        url = fill_real(route, converters, ids)
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        for form in forms_on("http://testserver" + url, response.content.decode()):
            action = form.action.replace("http://testserver", "")
            if not action.startswith(SKIP_ACTIONS):
                found.setdefault((action, tuple(sorted(form.fields))), (url, form))
    return list(found.values())


def dates_of(form):
    return {name: field.value for name, field in form.fields.items() if field.kind in DATE_KINDS and field.value}


def unreadable_dates(form):
    """The fields of `form` whose date its input cannot read: a date input with a non-ISO value,
    or any other input showing a localised date."""
    wrong = []
    for name, field in form.fields.items():
        pattern = DATE_KINDS.get(field.kind)
        if pattern is not None and field.value and not pattern.fullmatch(field.value):
            wrong.append((name, field.value))
        elif pattern is None and field.kind not in ("textarea", "hidden") and LOCALISED_DAY.fullmatch((field.value or "").strip()):
            wrong.append((name, field.value))
    return wrong


@pytest.mark.parametrize("persona", ["office_province", "liaison_organ"])
def test_every_date_input_shows_iso_and_a_post_back_keeps_it(world, client, persona):
    ids = dated_world(world)
    client.force_login(getattr(world, persona))
    wrong, dated = [], {}
    for language in ("en", "zh-hans"):  # the round trip below runs in the default language, last
        client.cookies["django_language"] = language
        for url, form in shown_forms(client, ids):
            wrong += [(language, form.action, *problem) for problem in unreadable_dates(form)]
            if dates_of(form) and form.method == "post":
                dated[form.action] = (url, form)
    assert not wrong, wrong
    for day in (value for _url, form in dated.values() for value in dates_of(form).values()):
        dt.date.fromisoformat(day[:10])

    kept = []
    for url, form in dated.values():
        action = form.action.replace("http://testserver", "")
        with transaction.atomic():
            response = client.post(action, form.as_shown())
            page = client.get(url) if response.status_code in (301, 302) else response
            again = [shown for shown in forms_on("http://testserver" + url, page.content.decode())
                     if shown.action == form.action]
            transaction.set_rollback(True)
        assert response.status_code in (200, 302, 400), (action, response.status_code)
        if again:
            assert dates_of(again[0]) == dates_of(form), (action, dates_of(form), dates_of(again[0]))
            kept.append(action)
    if persona == "liaison_organ":  # the meeting's preparation, the bug's page, is among them
        assert f"/directives/meetings/{ids['meeting_id']}/prepare/" in kept, kept
    assert len(kept) >= 2, (kept, list(dated))
