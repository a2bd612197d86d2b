"""The demo in motion: what had happened by 8 January 2014, 10:00, the moment `make run` pins the
clock to (CAMPAIGN_CLOCK), played through the product's own actions at the moments it happened.

000 (浙群组发〔2013〕48号, signed 24 December 2013) asks the first-batch units for a preliminary
written summary before 10 January 2014, read first by the provincial supervision groups. Two days
before that deadline the units are spread over every state: some summaries approved, some waiting
for their group, some returned with a reason (one resubmitted, one still being fixed), one unit
that missed the new date its group gave it, and the rest not yet started. The reminder sweeps of
3, 7 and 8 January have run (7 and 3 days before, and the escalation of the late unit to its
group). 省发展改革委 works through its rectification plan (000: 边总结边整改) with an item in
every state, and its group has drafted feedback waiting for the leader's sign-off. Second-batch
units hold their materials (003) and 北山街道 is preparing a democratic life meeting that its
gate does not yet allow (rule 7). On the morning of the 8th the province's office chases the late
unit, and everything that happened has reached the people concerned (issue 13).

Each step runs inside `core.clock.frozen_at(moment)`, so timestamps, audit rows, lateness and
reminder texts are those of the day. The whole story is played once: `load_demo` runs it when
the summary has no submission yet, so running the loader again changes nothing.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils import timezone

from campaign import chases, workflow
from campaign.meetings import plan_meeting
from campaign.models import Meeting, Obligation, Participation, Phase, Requirement, Submission, UnitPhaseProgress
from campaign.phases import enter_phase, finish_phase
from core import clock
from demo import samples
from demo.campaign_data import CAMPAIGN
from notifications import events
from notifications.sending import send_due
from notifications.sweep import run_sweep
from rectification.actions import add_item, create_plan, move_item
from rectification.models import RectificationItem, RectificationPlan
from supervision import workflow as feedback_workflow
from supervision.actions import record_for_unit
from supervision.models import Feedback, GroupAssignment
from units.models import Unit, UnitMembership

SUMMARY_TITLE = "初步书面总结"
PINNED_MOMENT = "2014-01-08T10:00+08:00"


def at(month, day, hour=10, minute=0, year=None):
    year = year or (2013 if month == 12 else 2014)
    return dt.datetime(year, month, day, hour, minute, tzinfo=timezone.get_fixed_timezone(8 * 60))


def organ(ordinal):
    """A provincial unit's code by its ordinal in demo.unit_tree.ZHEJIANG_PROVINCIAL_UNITS."""
    return f"330000-{ordinal:02d}"


@dataclass(frozen=True)
class SummaryStory:
    """One unit's preliminary summary (000) up to 8 January 2014."""

    code: str
    submitted: dt.datetime
    approved: dt.datetime | None = None
    returned: dt.datetime | None = None
    reason: str = ""
    new_due: dt.datetime | None = None
    resubmitted: dt.datetime | None = None


RETURN_REASONS = {
    "cases": "总结偏重工作过程，缺少解决“四风”突出问题的典型事例和具体数据，请补充后重新报送。",
    "rectification": "对整改落实、建章立制情况的总结过于笼统，请逐项说明专项整治的进展和已建立的制度。",
    "opinion": "未按通知要求对开展第二批教育实践活动提出意见和建议，请补充。",
    "late": "总结未经领导班子集体研究，请按要求研究后于1月6日下班前重新报送。",
}

SUMMARY_STORIES = [
    # Approved by their groups (submitted 30 December to 6 January).
    *(SummaryStory(organ(n), at(12, 30, 15), approved=at(1, 3, 11)) for n in (1, 2, 3)),
    *(SummaryStory(organ(n), at(1, 2, 16), approved=at(1, 6, 10)) for n in (6, 9, 14, 21, 31)),
    SummaryStory(organ(10), at(1, 3, 9, 30), approved=at(1, 7, 15)),
    # Waiting for their group's review (省委第一督导组 reviews 12 and 20).
    *(SummaryStory(organ(n), at(1, 7, 16)) for n in (12, 20, 7)),
    *(SummaryStory(organ(n), at(1, 8, 8, 40)) for n in (11, 16, 22)),
    # Returned with a reason, and resubmitted.
    SummaryStory(organ(24), at(1, 3, 14), returned=at(1, 6, 16), reason=RETURN_REASONS["cases"], resubmitted=at(1, 8, 9)),
    SummaryStory(organ(13), at(1, 3, 14), returned=at(1, 6, 11), reason=RETURN_REASONS["opinion"], resubmitted=at(1, 7, 17)),
    # Returned, still being fixed: 省发展改革委 (the liaison_fgw login) and 省交通运输厅.
    SummaryStory(organ(5), at(1, 6, 17), returned=at(1, 7, 15), reason=RETURN_REASONS["rectification"]),
    SummaryStory(organ(17), at(1, 6, 9), returned=at(1, 7, 10), reason=RETURN_REASONS["cases"]),
    # Late: returned with a new date, 6 January at 18:00, which passed without a new version.
    SummaryStory(organ(30), at(1, 3, 9), returned=at(1, 3, 16), reason=RETURN_REASONS["late"], new_due=at(1, 6, 18)),
]

# Reminder sweeps as beat would have run them: 7 and 3 days before 10 January, and the morning of the 8th.
SWEEPS = (at(1, 3, 9), at(1, 7, 9), at(1, 8, 9))

FGW_PLAN_ITEMS = [
    # (problem, four winds, measures, due on, final state)
    ("审批事项多、环节多，企业和群众办事“门难进、脸难看、事难办”。", "bureaucratism",
     "再取消和下放审批事项40项，审批时限压缩一半，公布办事流程和承诺时限。", dt.date(2014, 3, 31), "closed"),
    ("会议多、文件多，以会议贯彻会议、以文件落实文件。", "formalism",
     "全年会议和发文数量比上年减少三分之一，合并同类会议，推行视频会议。", dt.date(2014, 6, 30), "close_requested"),
    ("下基层调研走马观花，解决实际问题少。", "formalism",
     "班子成员每人联系1个县和2家企业，每季度至少蹲点调研1次，形成调研报告。", dt.date(2014, 6, 30), "in_progress"),
    ("办公用房超标，公务用车管理不规范。", "extravagance",
     "按标准腾退超标办公用房，公务用车统一管理、统一标识。", dt.date(2014, 9, 30), "open"),
]


def play(unit_by_code):
    """Play the story once; returns the number of steps played (0 when it had been played)."""
    summary = Requirement.objects.get(title=SUMMARY_TITLE, directive__number="浙群组发〔2013〕48号")
    if Submission.objects.filter(obligation__requirement=summary).exists():
        return 0
    steps = _deliver_news(at(12, 25, 9, year=2013))  # the new tasks of 48号 and before reach the units
    steps += _play_summaries(summary, unit_by_code)
    steps += _play_rectification(unit_by_code["330000-05"], summary)
    steps += _play_feedback(unit_by_code["330000-05"])
    steps += _play_phases(unit_by_code)
    steps += _play_meetings(unit_by_code)
    steps += _play_sweeps()
    steps += _play_chase(unit_by_code[organ(30)])
    steps += _play_group_chase(unit_by_code[organ(5)])
    steps += _deliver_news(at(1, 8, 9, 30))
    return steps


def liaison_of(unit):
    membership = (
        UnitMembership.objects.filter(unit=unit, role=UnitMembership.Role.LIAISON)
        .select_related("user").order_by("pk").first()
    )
    return membership.user


def reviewers_of(unit, moment):
    """The leader and a member of the supervision group assigned to `unit` at `moment`."""
    assignment = (
        GroupAssignment.objects.current(moment.date()).filter(unit=unit, group__kind="resident")
        .select_related("group").order_by("pk").first()
    )
    members = list(assignment.group.members.select_related("user").order_by("-is_leader", "pk"))
    leader = members[0].user
    member = members[-1].user
    return leader, member


def _move(obligation, action, user, moment, **inputs):
    with clock.frozen_at(moment):
        return workflow.transition(Obligation.objects.get(pk=obligation.pk), action, user, **inputs)


def _play_summaries(summary, unit_by_code):
    steps = 0
    events = []
    for story in SUMMARY_STORIES:
        events.append((story.submitted, "submit", story))
        if story.approved:
            events.append((story.approved, "approve", story))
        if story.returned:
            events.append((story.returned, "return", story))
        if story.resubmitted:
            events.append((story.resubmitted, "resubmit", story))
    for moment, action, story in sorted(events, key=lambda event: event[0]):
        unit = unit_by_code[story.code]
        obligation = Obligation.objects.get(requirement=summary, unit=unit)
        leader, member = reviewers_of(unit, moment)
        if action == "submit":
            _move(obligation, "submit", liaison_of(unit), moment, text=_summary_text(unit, first=True))
        elif action == "resubmit":
            _move(obligation, "submit", liaison_of(unit), moment, text=_summary_text(unit, first=False))
        elif action == "approve":
            _move(obligation, "approve", leader, moment)
        else:
            _move(obligation, "return", member, moment, reason=story.reason, new_due_at=story.new_due)
        steps += 1
    return steps


def _summary_text(unit, *, first):
    if first:
        return (
            f"{unit.name}第一批教育实践活动初步书面总结：按照“照镜子、正衣冠、洗洗澡、治治病”的总要求，"
            "总结学习教育、听取意见，查摆问题、开展批评，整改落实、建章立制三个环节的主要做法和成效，"
            "客观指出存在的问题和不足，并对开展第二批教育实践活动提出意见和建议。"
        )
    return f"{unit.name}初步书面总结（修改稿）：已按督导组意见补充典型事例、专项整治进展和对第二批活动的建议。"


def _play_rectification(unit, summary):
    """省发展改革委's rectification plan (000: 边总结边整改), one item in each state."""
    if RectificationPlan.objects.filter(unit=unit, campaign=summary.directive.campaign).exists():
        return 0
    liaison = liaison_of(unit)
    leader, _member = reviewers_of(unit, at(1, 8))
    with clock.frozen_at(at(11, 20, year=2013)):
        plan = create_plan(
            RectificationPlan(title="省发展改革委领导班子整改方案", responsible_person="主任",
                              published_on=dt.date(2013, 11, 20)),
            unit=unit, campaign=summary.directive.campaign, kind=RectificationPlan.Kind.PLAN, actor=liaison,
        )
        items = [
            add_item(RectificationItem(problem=problem, four_winds=winds, measures=measures, owner="分管副主任",
                                       due_on=due_on), plan=plan, actor=liaison)
            for problem, winds, measures, due_on, _state in FGW_PLAN_ITEMS
        ]
    for item, (_p, _w, _m, _d, state) in zip(items, FGW_PLAN_ITEMS, strict=True):
        if state == "open":
            continue
        with clock.frozen_at(at(12, 10, 15, year=2013)):
            move_item(item, "progress", liaison, text="已制定工作方案，明确责任处室和时间节点，正在推进。")
        if state in {"close_requested", "closed"}:
            with clock.frozen_at(at(1, 2, 15)):
                photo = SimpleUploadedFile("办事大厅公开栏照片.png", samples.png())  # so that its preview works
                move_item(RectificationItem.objects.get(pk=item.pk), "request_close", liaison,
                          text="整改措施已全部落实。", evidence="取消和下放事项目录、办事流程公开网页截图、会议文件统计表。",
                          files=[photo] if state == "close_requested" else [])
        if state == "closed":
            with clock.frozen_at(at(1, 6, 11)):
                move_item(RectificationItem.objects.get(pk=item.pk), "approve_close", leader)
    return len(items)


def _play_feedback(unit):
    """The group's feedback on the summary, drafted by a member and waiting for the leader (001)."""
    assignment = GroupAssignment.objects.current(dt.date(2014, 1, 8)).filter(unit=unit).select_related("group").first()
    if Feedback.objects.filter(unit=unit, group=assignment.group).exists():
        return 0
    _leader, member = reviewers_of(unit, at(1, 8))
    with clock.frozen_at(at(1, 7, 17)):
        feedback = record_for_unit(
            Feedback(subject="关于第一批教育实践活动初步总结的反馈意见",
                     text="总结对整改落实、建章立制的成效反映不够具体，专项整治的进展缺少数据支撑；"
                          "建议对照群众反映强烈的问题逐项说明整改结果，并提出对第二批活动的意见建议。"),
            unit=unit, group=assignment.group, actor=member, actor_field="drafted_by",
        )
        feedback_workflow.transition(feedback, "request_sign_off", member)
    return 1


def _phase_movers(units):
    """Who records each unit's phases: its first liaison, else the provincial office's staff."""
    office = (UnitMembership.objects.filter(unit__code="330000", role=UnitMembership.Role.OFFICE)
              .select_related("user").order_by("pk").first().user)
    liaisons = {}
    for membership in (UnitMembership.objects.filter(unit__in=units, role=UnitMembership.Role.LIAISON)
                       .select_related("user").order_by("-pk")):
        liaisons[membership.unit_id] = membership.user
    return {unit.pk: liaisons.get(unit.pk, office) for unit in units}


# (phase, day entered, day finished) of the Zhejiang first-batch units (003's three phases run
# 压茬: each starts before the one before it ends), through the campaign's own actions.
FIRST_BATCH_PHASES = [
    ("study", dt.date(2013, 7, 1), dt.date(2013, 8, 31)),
    ("examination", dt.date(2013, 8, 20), dt.date(2013, 10, 31)),
    ("rectification", dt.date(2013, 10, 8), dt.date(2013, 12, 27)),
    ("summary", dt.date(2013, 12, 28), None),
]


def _play_phases(unit_by_code):
    """Where the Zhejiang units stand in their phases on 8 January 2014 (003: 梯次展开、压茬进行):
    the first batch went through study, examination and rectification in 2013; those that have
    sent their preliminary summary (000) finished rectification and are summing up, the others are
    still rectifying. Of the second batch, which began on 1 January, the cities' leading bodies
    went first (市、县领导机关先行一步) and entered the study phase on the 6th, Hangzhou's counties on
    the 7th; the townships and villages have not started."""
    if UnitPhaseProgress.objects.exists():
        return 0
    phases = {phase.code: phase for phase in Phase.objects.filter(campaign__name=CAMPAIGN["name"])}
    taking_part = Participation.objects.filter(campaign__name=CAMPAIGN["name"], unit__path__startswith=unit_by_code["330000"].path)
    first = list(Unit.objects.filter(participations__in=taking_part.filter(batch__ordinal=1)).order_by("path"))
    summing_up = {story.code for story in SUMMARY_STORIES}
    second = list(Unit.objects.filter(participations__in=taking_part.filter(batch__ordinal=2))
                  .filter(Q(level="city") | Q(level="county", path__startswith=unit_by_code["330100"].path)).order_by("path"))
    movers = _phase_movers([*first, *second])
    for code, entered, finished in FIRST_BATCH_PHASES:
        with clock.frozen_at(at(entered.month, entered.day, 9, year=entered.year)):
            for unit in first if code != "summary" else [u for u in first if u.code in summing_up]:
                enter_phase(unit, phases[code], entered, actor=movers[unit.pk])
        if finished is None:
            continue
        with clock.frozen_at(at(finished.month, finished.day, 17, year=finished.year)):
            for unit in first if code != "rectification" else [u for u in first if u.code in summing_up]:
                finish_phase(UnitPhaseProgress.objects.get(unit=unit, phase=phases[code]), finished, actor=movers[unit.pk])
    for day, level in ((dt.date(2014, 1, 6), "city"), (dt.date(2014, 1, 7), "county")):
        with clock.frozen_at(at(day.month, day.day, 9)):
            for unit in (u for u in second if u.level == level):
                enter_phase(unit, phases["study"], day, actor=movers[unit.pk])
    return 1


def _play_meetings(unit_by_code):
    """北山街道 prepares its democratic life meeting (003); its gate is not met yet (rule 7)."""
    beishan = unit_by_code["330106001"]
    if Meeting.objects.filter(unit=beishan, kind=Meeting.Kind.DEMOCRATIC_LIFE).exists():
        return 0
    with clock.frozen_at(at(1, 7, 14)):
        plan_meeting(
            Meeting(kind=Meeting.Kind.DEMOCRATIC_LIFE, planned_on=dt.date(2014, 6, 20),
                    phase=Phase.objects.get(campaign__name=CAMPAIGN["name"], code="examination"),
                    notes="班子成员之间谈心谈话正在进行；对照检查材料待督导组审核。"),
            unit=beishan, actor=liaison_of(beishan),
        )
    return 1


def _play_sweeps():
    """The reminder sweeps beat would have run, each sent in full at its moment (every channel;
    the demo's e-mail goes where EMAIL_BACKEND says, the console or var/mail for make run)."""
    for moment in SWEEPS:
        with clock.frozen_at(moment):
            run_sweep(moment, dispatch=False)
            send_due()
    return len(SWEEPS)



CHASE_NOTE = "你单位初步书面总结已超过督导组给定的1月6日期限，请于今天下班前报送修改稿。"


def _play_chase(unit):
    """The province's office chases the one late unit on the morning of the 8th (issue 13: 催办);
    its liaison has not opened it yet (未签收)."""
    obligation = Obligation.objects.get(unit=unit, requirement__title=SUMMARY_TITLE)
    office = (UnitMembership.objects.filter(unit__code="330000", role=UnitMembership.Role.OFFICE)
              .select_related("user").order_by("pk").first().user)
    with clock.frozen_at(at(1, 8, 9, 20)):
        chases.chase(Obligation.objects.filter(pk=obligation.pk), actor=office, note=CHASE_NOTE)
    return 1


GROUP_CHASE_NOTE = "请按督导组意见修改初步书面总结，于1月9日前重新报送。"


def _play_group_chase(unit):
    """A member of 省委第一督导组 chases 省发展改革委's returned summary, due in two days (a group
    chases the units it supervises too); the liaison_fgw login finds it on its to-do page."""
    obligation = Obligation.objects.get(unit=unit, requirement__title=SUMMARY_TITLE)
    _leader, member = reviewers_of(unit, at(1, 8))
    with clock.frozen_at(at(1, 8, 9, 10)):
        chases.chase(Obligation.objects.filter(pk=obligation.pk), actor=member, note=GROUP_CHASE_NOTE)
    return 1


def _deliver_news(moment):
    """What happened reaches everyone concerned (issue 13), as the beat's flush would have at
    `moment`: first the new tasks, then what the story played (submissions, decisions, the
    feedback to sign, the meeting, the chase), gathered and sent by 9:30 on the 8th."""
    with clock.frozen_at(moment):
        events.flush(dispatch=False)
        send_due()
    return 1
