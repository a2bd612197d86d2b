"""One definition of open, overdue, due soon and late (campaign.status): every page agrees.

The case that used to disagree: a version submitted late, returned with a new due date,
then resubmitted on time. "Late" is judged against the due moment in force when each
version was submitted, so the first version stays late (rule 4) and every place says so.
"""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from campaign import dashboard, workflow
from campaign.deadlines import SHANGHAI
from campaign.models import Obligation
from campaign.status import ObligationStatus, countdown
from core import clock
from tests.exports import export

PDF = b"%PDF-1.4\n%%EOF\n"


def at(day, hour=10):
    return dt.datetime(2014, 1, day, hour, tzinfo=SHANGHAI)


def pdf():
    return SimpleUploadedFile("总结.pdf", PDF, content_type="application/pdf")


def returned_then_late(world):
    """The organ reports late on 12 January, the group returns it with a new due date of
    20 January, the organ resubmits on 15 January and the group approves. The second organ
    reports on time on 9 January."""
    organ, organ2 = world.obligation_organ, world.obligation_organ2
    with clock.frozen_at(at(12)):
        workflow.transition(organ, "submit", world.liaison_organ, files=[pdf()])
        workflow.transition(organ, "return", world.group_member, reason="请补充整改情况",
                            new_due_at=dt.datetime(2014, 1, 20, 23, 59, 59, tzinfo=SHANGHAI))
    with clock.frozen_at(at(15)):
        workflow.transition(organ, "submit", world.liaison_organ, files=[pdf()])
        workflow.transition(organ, "approve", world.group_member)
    with clock.frozen_at(at(9)):
        workflow.transition(organ2, "submit", world.liaison_organ2, files=[pdf()])
    return Obligation.objects.get(pk=organ.pk), Obligation.objects.get(pk=organ2.pk)


def test_returned_then_late_is_late_on_every_page(world, client):
    late, on_time = returned_then_late(world)
    assert late.submitted_late and not on_time.submitted_late
    assert [s.due_at.date() for s in late.submissions.order_by("version")] == [dt.date(2014, 1, 10), dt.date(2014, 1, 20)]

    client.force_login(world.office_province)
    with clock.frozen_at(at(16)):
        # The obligation page.
        page = client.get(reverse("campaign:obligation", args=[late.pk])).content.decode()
        assert "逾期报送" in page
        assert "逾期报送" not in client.get(reverse("campaign:obligation", args=[on_time.pk])).content.decode()
        # The requirement page: the late one's row carries the badge, the on-time one's does not.
        rows = client.get(reverse("campaign:requirement", args=[world.requirement.pk])).content.decode()
        assert rows.count("逾期报送") == 1
        # The dashboard's counts.
        counts = dashboard.subtree_figures(world.province, world.campaign, use_cache=False).by_requirement[world.requirement.pk]
        assert (counts.late, counts.on_time) == (1, 1)
        # The export.
        response = export(client, reverse("campaign:dashboard_export"))
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        header, *body = list(sheet.iter_rows(values_only=True))
        late_column = header.index("逾期报送")
        by_code = {row[0]: row[late_column] for row in body}
        assert by_code[world.organ.code] == "是" and by_code[world.organ2.code] is None


def test_overdue_and_due_soon_follow_the_clock(world):
    obligation = world.obligation_organ  # due 10 January 2014, 23:59:59 Shanghai
    for moment, light, days_late in [
        (at(1), "on_track", None),
        (at(8), "due_soon", None),
        (at(10, 23), "due_soon", None),
        (at(11), "overdue", 0),
        (at(13), "overdue", 2),
    ]:
        with clock.frozen_at(moment):
            annotated = Obligation.objects.with_status().get(pk=obligation.pk)
        assert (annotated.light, annotated.days_late) == (light, days_late), moment
        assert annotated.is_overdue == (light == "overdue")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    status=st.sampled_from(ObligationStatus.values),
    hours=st.integers(min_value=-24 * 40, max_value=24 * 40),
)
def test_annotations_and_countdown_agree(world, status, hours):
    """Whatever the state and the moment: the light, the overdue flag, the days late and the
    countdown words are the same rule."""
    obligation = world.obligation_organ
    Obligation.objects.filter(pk=obligation.pk).update(status=status)
    now = obligation.due_at + dt.timedelta(hours=hours)
    annotated = Obligation.objects.with_status(now).get(pk=obligation.pk)
    is_open = status in (ObligationStatus.PENDING, ObligationStatus.RETURNED)
    assert annotated.is_open == is_open
    assert annotated.is_overdue == (is_open and now > obligation.due_at)
    if annotated.is_overdue:
        assert annotated.light == "overdue"
        assert annotated.days_late == (now - obligation.due_at).days
        assert countdown(obligation.due_at, now).startswith("已逾期")
    else:
        assert annotated.days_late is None
        assert annotated.light in ({"on_track", "due_soon"} if is_open else {"done"})
