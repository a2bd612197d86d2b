"""Every form on every page, for every kind of user, filled with anything at all (hypothesis):
the answer is a page (200, a redirect, or 400 with a message), never a server error.

The forms are read from the pages themselves (tests/hardening/forms_on_pages.py), so a form added
later is covered without touching this test. Each example runs in a transaction rolled back after
it, so that one accepted example (a unit deactivated, a report submitted) does not hide the forms
of the next one.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hardening.forms_on_pages import forms_on
from tests.hardening.test_url_fuzz import fill_real, other_state_ids, patterns, real_ids

EXAMPLES_PER_FORM = 12
SKIP_ACTIONS = ("/accounts/logout/", "/i18n/setlang/")
ANSWERS = {200, 302, 400, 403, 404, 405}
MESSAGE_MARKS = ("invalid-feedback", "alert-danger", "alert alert", "error-page", "text-danger", "errorlist")

hostile_text = st.one_of(
    st.text(max_size=60),
    st.sampled_from([
        "", " ", "=1+1", "@SUM(1+1)", "\u202e\u0645\u0631\u062d\u0628\u0627", "a" * 5000, "<script>alert(1)</script>",
        "'; DROP TABLE units_unit; --", "0001-01-01", "9999-12-31", "10000年1月1日前", "0年1月1日", "9" * 30, "-1",
        "１２", "NaN", "1e309", "\x00", "\ud7ff", ",,,", "%00", "../../etc/passwd",
    ]),
)
dates = st.one_of(st.dates().map(lambda day: day.isoformat()), hostile_text)
numbers = st.one_of(st.integers().map(str), st.integers(min_value=-(10**40), max_value=10**40).map(str), hostile_text)


def value_strategy(field):
    if field.kind in ("select", "radio"):
        return st.one_of(st.sampled_from(field.options or [""]), hostile_text)
    if field.kind == "checkbox":
        return st.one_of(st.sampled_from(field.options or ["on"]), st.just(""), hostile_text)
    if field.kind == "date":
        return dates
    if field.kind == "number":
        return numbers
    if field.kind == "hidden":
        return st.one_of(st.just(field.value), hostile_text)
    if field.kind == "file":
        return st.builds(
            lambda name, content: SimpleUploadedFile(name, content),
            st.sampled_from(["总结.pdf", "a.docx", "x.exe", "units.xlsx", "units.csv", "a..pdf", "无扩展名"]),
            st.binary(max_size=300),
        )
    return hostile_text


def submission(form):
    names = [name for name in form.fields if name != "csrfmiddlewaretoken"]
    return st.fixed_dictionaries({name: value_strategy(form.fields[name]) for name in names})


def discovered_forms(client, id_sets):
    """Every distinct form on every page this user can open."""
    found = {}
    urls = dict.fromkeys(fill_real(route, converters, ids) for ids in id_sets for route, converters in patterns())
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        for form in forms_on("http://testserver" + url, response.content.decode()):
            path = form.action.replace("http://testserver", "")
            if path.split("?")[0].startswith(SKIP_ACTIONS):
                continue
            found.setdefault((path, form.method, tuple(sorted(form.fields))), form)
    return list(found.values())


def assert_answered(response, method):
    assert response.status_code in ANSWERS, response.status_code
    if method == "post" and response.status_code == 400:
        body = response.content.decode()
        assert any(mark in body for mark in MESSAGE_MARKS), body[:2000]


@pytest.mark.parametrize("persona", ["office_province", "office_hangzhou", "liaison_organ", "group_leader", "group_member"])
def test_every_form_takes_anything(world, client, persona):
    client.force_login(getattr(world, persona))
    ids = real_ids(world)
    forms = discovered_forms(client, [ids, other_state_ids(world, ids)])
    assert len(forms) >= 3, [form.action for form in forms]
    for form in forms:
        try:
            fuzz_form(client, form)
        except Exception as exc:
            raise AssertionError(f"{form.method.upper()} {form.action} ({persona})") from exc


def fuzz_form(client, form):
    path = form.action.replace("http://testserver", "")

    @settings(max_examples=EXAMPLES_PER_FORM, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data=submission(form))
    def fill_in(data):
        data = {name: value for name, value in data.items() if value != ""}
        with transaction.atomic():
            if form.method == "post":
                response = client.post(path, data)
            else:
                response = client.get(path, {k: v for k, v in data.items() if isinstance(v, str)})
            transaction.set_rollback(True)
        assert_answered(response, form.method)

    fill_in()
