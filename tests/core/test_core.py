"""The bottom layer: the clock, the form base and the date and person filters."""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from core import clock
from core.forms import DateInput, StyledForm
from core.people import person_name
from core.templatetags.core_tags import format_day, format_moment


class MeetingDateForm(StyledForm, forms.Form):
    planned_on = forms.DateField(widget=forms.DateInput())
    title = forms.CharField(max_length=5)


def test_frozen_clock_is_what_every_rule_reads():
    moment = dt.datetime(2014, 1, 3, 9, 0, tzinfo=dt.UTC)
    with clock.frozen_at(moment):
        assert clock.now() == moment
        assert clock.today() == dt.date(2014, 1, 3)
    assert clock.now() > moment


def test_dates_render_iso_for_the_date_picker_in_chinese():
    """A localised 2026/12/10 is unreadable for <input type=date>: a later save would wipe the date."""
    with translation.override("zh-hans"):
        html = str(MeetingDateForm(initial={"planned_on": dt.date(2026, 12, 10)})["planned_on"])
    assert 'type="date"' in html and 'value="2026-12-10"' in html
    assert isinstance(MeetingDateForm().fields["planned_on"].widget, DateInput)


def test_invalid_fields_are_marked_and_valid_ones_styled():
    form = MeetingDateForm(data={"planned_on": "2026-12-10", "title": "far too long"})
    assert not form.is_valid()
    assert "is-invalid" in form.fields["title"].widget.attrs["class"]
    assert form.fields["planned_on"].widget.attrs["class"] == "form-control"
    assert form.cleaned_data["planned_on"] == dt.date(2026, 12, 10)


def test_dates_and_moments_the_chinese_way_in_local_time():
    utc = dt.datetime(2014, 1, 10, 15, 59, 59, tzinfo=dt.UTC)  # 23:59:59 in Shanghai
    with translation.override("zh-hans"), timezone.override("Asia/Shanghai"):
        assert format_day(dt.date(2014, 1, 10)) == "2014年1月10日"
        assert format_moment(utc) == "2014年1月10日 23:59"
    with translation.override("en"), timezone.override("Asia/Shanghai"):
        assert format_moment(utc) == "10 Jan 2014 23:59"


def test_people_by_full_name(db):
    user = get_user_model()(username="liaison_fgw", full_name="王晓明")
    assert person_name(user) == "王晓明"
    assert person_name(get_user_model()(username="office_zj", full_name="  ")) == "office_zj"
    assert person_name(None) == ""
