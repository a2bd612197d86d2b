"""The study and opinion forms, given anything at all, either accept clean values or say why not:
never an exception (hypothesis), and what they accept fits the columns and 002's rules."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign.forms_study import StudyOverviewForm
from core import clock
from units.forms_opinions import AnswerForm, OpinionFilterForm, OpinionForm
from units.forms_study import StudyRecordForm
from units.models import Opinion

pytestmark = pytest.mark.django_db

anything = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["", " ", "=1+1", "\x00", "\u202e", "9" * 40, "-1", "0", "0.5", "31", "31.5", "1e309", "NaN",
                     "2014-03-01", "2999-01-01", "0001-01-01", "concentrated", "lecture", "face", "formalism", "yes", "a" * 5000]),
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(st.fixed_dictionaries({name: anything for name in ("kind", "held_on", "days", "topic", "speaker", "participants")}))
def test_study_record_form(data):
    form = StudyRecordForm(data)
    if form.is_valid():
        record = form.instance
        assert Decimal("0.5") <= record.days <= 31 and record.held_on <= clock.today()
        assert len(record.topic) <= 200 and (record.kind != "lecture" or record.speaker.strip())
    else:
        assert all(str(error) for errors in form.errors.values() for error in errors)


@SETTINGS
@given(st.fixed_dictionaries({name: anything for name in ("text", "source", "channel", "four_winds", "collected_on")}))
def test_opinion_form(data):
    form = OpinionForm(data)
    if form.is_valid():
        assert form.cleaned_data["text"].strip() and form.cleaned_data["collected_on"] <= clock.today()
        assert form.cleaned_data["collected_on"] >= dt.date(1949, 1, 1) and len(form.cleaned_data["source"]) <= 200
    else:
        assert form.errors


@SETTINGS
@given(anything, st.fixed_dictionaries({name: anything for name in ("channel", "four_winds", "claimed", "answered", "q", "behind")}))
def test_answer_and_filter_forms(answer, query):
    form = AnswerForm({"answer": answer})
    assert form.is_valid() == bool(answer.strip() and len(answer.strip()) <= 4000 and "\x00" not in answer)
    assert list(OpinionFilterForm(query).apply(Opinion.objects.all())) == list(OpinionFilterForm(query).apply(Opinion.objects.all()))
    StudyOverviewForm(query).behind_only  # noqa: B018 - reading it must not raise
