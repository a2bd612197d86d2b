"""Reminders before deadlines, escalations after them, and the in-app notification centre.

DESIGN rule 5: reminders go out before each deadline at the requirement's offsets
(default 7, 3 and 1 days) to the unit's liaisons; overdue obligations escalate to
the unit's supervision group and its office; each reminder is sent once, even if
the scheduler or a worker runs twice or crashes mid-send. Seed 000 gives the
scenario: the preliminary written summary is due before 10 January 2014.

The tables form an outbox: `Reminder` (one row per obligation × recipient × kind ×
offset × due moment, unique, written before anything is sent) → `Digest` (one per
recipient per sweep) → `Delivery` (one per digest and channel, claimed with a
lease by whoever sends it) → `Notification` (the in-app message).
"""

import dataclasses
import datetime as dt
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from access.policy import RestrictedQuerySet
from campaign.deadlines import SHANGHAI
from core import clock, personal_cache
from core.templatetags.core_tags import format_moment
from core.workdays import NonWorkdayRule, holiday_warning, shift_to_workday, working_days_between
from units.models import UnitMembership

# The fallbacks when neither the requirement's policy nor its office's defaults set a value.
BUILT_IN_DEFAULTS = {
    "before_offsets": [7, 3, 1],
    "send_time": dt.time(9, 0),
    "escalate_group_after_days": 1,
    "escalate_office_after_days": 3,
    "repeat_every_days": 3,
    "repeat_max": 3,
    "non_workday_rule": NonWorkdayRule.PREVIOUS,
}
# A reminder whose moment passed longer ago than this is no longer sent (a sweep that was
# down for weeks must not flood people with stale escalations).
MAX_LATENESS = dt.timedelta(days=30)


class PolicyFields(models.Model):
    """The adjustable parts of a reminder policy; empty means "inherit"."""

    before_offsets = models.JSONField(
        _("提前提醒天数"), null=True, blank=True, help_text=_("例如 [7, 3, 1]；留空则沿用上级设置。")
    )
    send_time = models.TimeField(_("发送时刻"), null=True, blank=True, help_text=_("北京时间，默认 09:00。"))
    escalate_group_after_days = models.PositiveSmallIntegerField(
        _("逾期几天提醒督导组"), null=True, blank=True, help_text=_("0 表示不提醒。")
    )
    escalate_office_after_days = models.PositiveSmallIntegerField(
        _("逾期几天提醒领导小组办公室"), null=True, blank=True, help_text=_("0 表示不提醒。")
    )
    repeat_every_days = models.PositiveSmallIntegerField(_("逾期后每隔几天重复提醒"), null=True, blank=True)
    repeat_max = models.PositiveSmallIntegerField(_("最多重复次数"), null=True, blank=True)
    non_workday_rule = models.CharField(
        _("提醒日遇节假日"), max_length=10, choices=NonWorkdayRule.choices, blank=True, default=""
    )

    FIELDS = list(BUILT_IN_DEFAULTS)

    class Meta:
        abstract = True

    def own_values(self):
        values = {}
        for name in self.FIELDS:
            value = getattr(self, name)
            if value is not None and value != "":
                values[name] = value
        return values


class OfficeReminderDefaults(PolicyFields):
    """An office's defaults for the requirements it sets; units below inherit the nearest office's."""

    office = models.OneToOneField(
        "units.Unit", verbose_name=_("领导小组办公室所在单位"), on_delete=models.CASCADE, related_name="reminder_defaults"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("办公室提醒默认设置")
        verbose_name_plural = _("办公室提醒默认设置")

    def __str__(self):
        return str(self.office)


class ReminderPolicy(PolicyFields):
    """One requirement's reminder policy; empty fields fall back to its office's defaults, then to settings."""

    requirement = models.OneToOneField(
        "campaign.Requirement", verbose_name=_("报送要求"), on_delete=models.CASCADE, related_name="reminder_policy"
    )
    enabled = models.BooleanField(_("启用提醒"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("提醒规则")
        verbose_name_plural = _("提醒规则")

    def __str__(self):
        return str(self.requirement)


@dataclasses.dataclass(frozen=True)
class Moment:
    """One reminder moment of one due date: sent when `at <= now < until`."""

    kind: str
    offset: int
    at: dt.datetime
    until: dt.datetime


@dataclasses.dataclass(frozen=True)
class EffectivePolicy:
    """The policy in force for one requirement after inheritance, and the schedule it implies."""

    before_offsets: tuple
    send_time: dt.time
    escalate_group_after_days: int
    escalate_office_after_days: int
    repeat_every_days: int
    repeat_max: int
    non_workday_rule: str
    enabled: bool = True
    sources: tuple = ()

    @classmethod
    def for_requirement(cls, requirement, office_defaults=None):
        """Resolve: the built-in defaults → the nearest office's defaults (at or above the issuing
        unit) → the requirement's own policy, where it sets a value. Nothing else overrides anything.

        `office_defaults` maps unit path → OfficeReminderDefaults (the sweep loads them once).
        """
        try:
            policy = requirement.reminder_policy
        except ReminderPolicy.DoesNotExist:
            policy = None
        return cls._resolve(requirement.directive.issuing_unit.path, office_defaults, policy)

    @classmethod
    def for_office(cls, office, office_defaults=None):
        """What an office's requirements get when they set nothing themselves."""
        return cls._resolve(office.path, office_defaults, None)

    @classmethod
    def _resolve(cls, path, office_defaults, policy):
        values = dict(BUILT_IN_DEFAULTS)
        sources = ["built-in"]
        if office_defaults is None:
            office_defaults = {d.office.path: d for d in OfficeReminderDefaults.objects.select_related("office")}
        for end in range(len(path), 0, -5):  # the nearest office at or above the unit
            found = office_defaults.get(path[:end])
            if found:
                values.update(found.own_values())
                sources.append(f"office:{found.office_id}")
                break
        enabled = True
        if policy is not None:
            values.update(policy.own_values())
            enabled = policy.enabled
            sources.append("policy")
        offsets = tuple(sorted({int(d) for d in values["before_offsets"] if int(d) >= 0}, reverse=True))
        return cls(
            before_offsets=offsets,
            send_time=values["send_time"],
            escalate_group_after_days=int(values["escalate_group_after_days"] or 0),
            escalate_office_after_days=int(values["escalate_office_after_days"] or 0),
            repeat_every_days=int(values["repeat_every_days"] or 0),
            repeat_max=int(values["repeat_max"] or 0),
            non_workday_rule=values["non_workday_rule"] or NonWorkdayRule.PREVIOUS,
            enabled=enabled,
            sources=tuple(sources),
        )

    @property
    def non_workday_label(self):
        return NonWorkdayRule(self.non_workday_rule).label

    def _at(self, day):
        return dt.datetime.combine(day, self.send_time, tzinfo=SHANGHAI)

    def moments(self, due_at):
        """Every reminder moment for an obligation due at `due_at` (rule 5).

        Before the deadline: at send_time on the day `offset` days before the due date,
        moved off holidays and weekends by non_workday_rule; only the latest moment
        already reached is sent, so a requirement set late does not send a burst.
        After it: the group escalation and the office escalation once each, then a
        repeat every `repeat_every_days` while overdue, at most `repeat_max` times.
        Offsets moved onto the same working day each keep their reminder. Escalations
        and repeats move to the next working day, never earlier (REMINDER_ESCALATE_ON_WORKDAYS).
        """
        if not self.enabled:
            return []
        due_day = due_at.astimezone(SHANGHAI).date()
        moments = []
        before = []
        for offset in self.before_offsets:
            at = self._at(shift_to_workday(due_day - dt.timedelta(days=offset), self.non_workday_rule))
            if at < due_at:
                before.append((offset, at))
        # Several offsets moved onto the same working day (a Spring Festival week, a Monday
        # deadline's weekend) each keep their reminder: sent together, in one digest.
        days = sorted({at for _offset, at in before})
        for offset, at in before:
            later = [day for day in days if day > at]
            moments.append(Moment(Reminder.Kind.BEFORE, offset, at, later[0] if later else due_at))
        for kind, days_after in ((Reminder.Kind.ESCALATE_GROUP, self.escalate_group_after_days),
                                 (Reminder.Kind.ESCALATE_OFFICE, self.escalate_office_after_days)):
            if days_after:
                at = max(self._after(due_day, days_after), due_at)
                moments.append(Moment(kind, days_after, at, at + MAX_LATENESS))
        if self.repeat_every_days and self.repeat_max:
            repeats = []
            for k in range(1, self.repeat_max + 1):
                at = self._after(due_day, k * self.repeat_every_days)
                if not repeats or at > repeats[-1][1]:  # two repeats moved onto one working day are one
                    repeats.append((k * self.repeat_every_days, at))
            for index, (days_after, at) in enumerate(repeats):
                if index + 1 < len(repeats):
                    until = repeats[index + 1][1]
                else:
                    until = self._after(due_day, days_after + self.repeat_every_days)
                moments.append(Moment(Reminder.Kind.REPEAT, days_after, at, min(until, at + MAX_LATENESS)))
        return moments

    def _after(self, due_day, days):
        """The send moment `days` after the due day; on the next working day when that is a day off
        (REMINDER_ESCALATE_ON_WORKDAYS): an escalation cannot move earlier, it would come before
        the obligation is overdue."""
        day = due_day + dt.timedelta(days=days)
        if settings.REMINDER_ESCALATE_ON_WORKDAYS:
            day = shift_to_workday(day, NonWorkdayRule.NEXT)
        return self._at(day)

    def horizon(self):
        """How far before and after a due moment this policy can have a reminder (for the sweep's time window)."""
        ahead = dt.timedelta(days=(max(self.before_offsets) if self.before_offsets else 0) + 40)
        after_days = max(self.escalate_group_after_days, self.escalate_office_after_days,
                         self.repeat_every_days * (self.repeat_max + 1))
        return ahead, dt.timedelta(days=after_days + 1) + MAX_LATENESS


class Sweep(models.Model):
    """One run of the reminder sweep: when it ran, for which moment, and what it produced."""

    started_at = models.DateTimeField(_("开始时间"), default=clock.now)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    as_of = models.DateTimeField(_("按此时刻计算"))
    created = models.PositiveIntegerField(_("新建提醒"), default=0)
    digests = models.PositiveIntegerField(_("汇总消息"), default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("提醒扫描")
        verbose_name_plural = _("提醒扫描")
        ordering = ["-started_at"]

    def __str__(self):
        return f"#{self.pk} @ {self.as_of:%Y-%m-%d %H:%M}"


class SweepHeartbeat(models.Model):
    """When the reminder sweep last ran to its end (one row, pk 1), for /readyz
    (notifications.readiness). Sweep rows cannot tell: an empty sweep leaves none. Real time, not
    core.clock: a pinned clock (CAMPAIGN_CLOCK) runs on from each process's own start, so the
    worker's moment and the web's would not compare."""

    finished_at = models.DateTimeField(_("最近一次扫描结束时间"))

    class Meta:
        verbose_name = _("提醒扫描心跳")
        verbose_name_plural = _("提醒扫描心跳")

    def __str__(self):
        return f"{self.finished_at:%Y-%m-%d %H:%M:%S}"


class Digest(models.Model):
    """Everything one recipient is reminded of in one sweep, sent as one message per channel."""

    # No index of its own on sweep: the unique key (sweep, recipient) serves those lookups.
    sweep = models.ForeignKey(Sweep, on_delete=models.CASCADE, related_name="digest_set", db_index=False)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_digests")
    created_at = models.DateTimeField(default=clock.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("提醒汇总")
        verbose_name_plural = _("提醒汇总")
        constraints = [models.UniqueConstraint(fields=["sweep", "recipient"], name="unique_digest_per_sweep")]

    def __str__(self):
        return f"{self.recipient} · {self.sweep_id}"

    @property
    def reminders(self):
        """This digest's items: the sweep's reminder rows for this recipient."""
        return Reminder.objects.filter(sweep_id=self.sweep_id, recipient_id=self.recipient_id)

    # The reminder rows' own columns: a page of a digest of 300,000 items is sorted on the rows
    # found by the (sweep, recipient) index, with no join before the LIMIT. A unit's reminders of one
    # due moment stay together (channels.merge_same_day relies on it).
    ITEM_ORDER = ("due_at", "kind", "unit_id", "id")

    def item_ids(self):
        """This digest's reminder ids in its order, read from the reminder rows alone: slice it."""
        return self.reminders.order_by(*self.ITEM_ORDER).values_list("pk", flat=True)

    def items(self, ids=None):
        """This digest's reminders with what their lines show; only those of `ids` (a slice of
        item_ids()) when given: the joins then run for those rows only."""
        rows = self.reminders if ids is None else Reminder.objects.filter(pk__in=list(ids))
        return rows.select_related("obligation", "unit", "requirement").order_by(*self.ITEM_ORDER)

    @property
    def events(self):
        """This digest's happenings: the flush's event rows for this recipient (Event)."""
        return Event.objects.filter(sweep_id=self.sweep_id, recipient_id=self.recipient_id).order_by("created_at", "id")

    def settle(self):
        """Carry the deliveries' outcome to the reminders: sent once any channel delivered, failed
        once every channel has given up."""
        deliveries = list(self.deliveries.values_list("status", "last_error", "sent_at"))
        sent = [sent_at for status, _error, sent_at in deliveries if status == Delivery.Status.SENT]
        if sent:
            self.reminders.filter(status__in=[Reminder.Status.QUEUED, Reminder.Status.FAILED]).update(
                status=Reminder.Status.SENT, sent_at=min(sent), last_error=""
            )
        elif deliveries and all(status in Delivery.FINAL for status, _e, _s in deliveries):
            errors = "; ".join(error for _status, error, _s in deliveries if error)
            self.reminders.filter(status=Reminder.Status.QUEUED).update(status=Reminder.Status.FAILED, last_error=errors)


class ReminderQuerySet(RestrictedQuerySet):
    def for_requirement(self, requirement):
        return self.filter(requirement=requirement)


class Reminder(models.Model):
    """The outbox row: one reminder of one obligation to one person, recorded before anything is sent.

    Unique on (obligation, recipient, kind, offset, due moment): the same reminder is never
    recorded twice, however many sweeps run; a returned obligation with a new due date
    starts a new cycle of reminders (the due moment is part of the key).
    """

    class Kind(models.TextChoices):
        BEFORE = "before", _("截止前提醒")
        ESCALATE_GROUP = "escalate_group", _("逾期提醒督导组")
        ESCALATE_OFFICE = "escalate_office", _("逾期提醒领导小组办公室")
        REPEAT = "repeat", _("逾期重复提醒")

    class Status(models.TextChoices):
        QUEUED = "queued", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    # Few indexes on the table that grows (one row per obligation × person × moment): the unique
    # key, (requirement, scheduled_for, id) and (sweep, recipient) cover every lookup; units are
    # deactivated, never deleted.
    #
    # No database-level foreign keys on this table: PostgreSQL checks each one with a query per
    # inserted row, and those checks (500,000 rows × 5 keys, at commit) were more than half of a
    # provincial sweep. The rows are written only by the sweep's INSERT … SELECT, which copies
    # every key from rows it reads in the same statement (the obligation, its requirement and
    # unit, the member's user) or creates in the same transaction (the sweep; the digest for
    # (sweep, recipient), which keeps its own foreign keys). Deletions go through the ORM, which
    # cascades (on_delete) to these rows whether or not the database enforces the key.
    obligation = models.ForeignKey(
        "campaign.Obligation", on_delete=models.CASCADE, related_name="reminders", db_index=False,
        db_constraint=False,
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders", db_constraint=False
    )
    requirement = models.ForeignKey(
        "campaign.Requirement", on_delete=models.CASCADE, related_name="reminders", db_index=False,
        db_constraint=False,
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.CASCADE, related_name="reminders", db_index=False, db_constraint=False
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    offset_days = models.SmallIntegerField(_("天数"), help_text=_("截止前提醒：提前天数；逾期提醒：逾期天数。"))
    due_at = models.DateTimeField(_("所依据的截止时间"))
    scheduled_for = models.DateTimeField(_("计划发送时间"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    sweep = models.ForeignKey(
        Sweep, on_delete=models.CASCADE, related_name="reminders", db_index=False, db_constraint=False
    )
    created_at = models.DateTimeField(_("记录时间"), default=clock.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    last_error = models.TextField(_("错误"), blank=True, default="")

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering = ["-scheduled_for", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "recipient", "kind", "offset_days", "due_at"], name="unique_reminder"
            )
        ]
        indexes = [
            # The reminder log's order (latest first, then by id), read page by page from the index.
            models.Index(fields=["requirement", "scheduled_for", "id"], name="reminder_req_sched_id_idx"),
            # A digest's items: no foreign key to update on 500,000 rows, one indexed lookup instead.
            models.Index(fields=["sweep", "recipient"], name="reminder_sweep_recipient_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.offset_days} · {self.obligation_id} → {self.recipient_id}"

    def remaining(self):
        """(calendar days, working days) left after this reminder's send day until its deadline:
        what the text says, whatever offset it was planned at (a reminder moved off a holiday is
        sent earlier, with more days left). Working days are those after the send day up to the
        last day one can still hand in: the due day itself, unless the deadline is at 00:00."""
        sent_day = self.scheduled_for.astimezone(SHANGHAI).date()
        due = self.due_at.astimezone(SHANGHAI)
        last_day = due.date() if due.time() != dt.time(0, 0) else due.date() - dt.timedelta(days=1)
        return (due.date() - sent_day).days, working_days_between(sent_day, last_day)

    def describe(self, merged_offsets=()):
        """The line a digest shows for this item, in the active language. `merged_offsets`: the planned offsets
        of other reminders of the same obligation moved onto this one's day, said in one line."""
        due = self.due_at.astimezone(SHANGHAI)
        due_text = format_moment(due)  # in the reader's language: the digest is rendered at delivery
        if self.kind == self.Kind.BEFORE:
            days, working = self.remaining()
            when = _("距截止还有 %(days)s 天（其中工作日 %(working)s 天，截止时间 %(due)s）") % {
                "days": days, "working": working, "due": due_text}
            offsets = sorted({self.offset_days, *merged_offsets}, reverse=True)
            if offsets != [days]:
                when += _("；因节假日调整，原定提前 %(offsets)s 天的提醒合并于今日发送") % {
                    "offsets": "、".join(str(offset) for offset in offsets)}
        else:  # the days really overdue on the send day (an escalation waits for a working day)
            overdue = (self.scheduled_for.astimezone(SHANGHAI).date() - due.date()).days
            when = _("已逾期 %(days)s 天（截止时间 %(due)s）") % {"days": overdue, "due": due_text}
        return _("【%(kind)s】%(unit)s：%(title)s，%(when)s") % {
            "kind": self.get_kind_display(), "unit": self.unit.name, "title": self.requirement.title, "when": when}

    def path(self):
        """The obligation's page (or its requirement's, while that page is missing), relative: the
        notification centre links within the site it is served from; e-mails add SITE_URL."""
        for obj in (self.obligation, self.requirement):
            try:
                return obj.get_absolute_url()
            except NoReverseMatch:
                continue
        return reverse("notifications:list")

    def link(self):
        """The absolute link an e-mail carries: SITE_URL and path()."""
        return settings.SITE_URL.rstrip("/") + self.path()


class Event(models.Model):
    """The outbox row of something that happened and one person must hear of (issue 13): a new
    obligation, material to review, a decision, feedback to sign or signed, a moved deadline, a
    close request, a meeting, a chase. Like Reminder: recorded in the transaction of the change,
    unique on (recipient, key) so that the same happening is never told twice, then gathered by
    the next flush into that person's digest (one message per channel; notifications.events).

    The text is not stored: `params` keeps the facts, and the words are rendered at delivery in
    the recipient's language (Event.describe)."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("新的报送任务")
        SUBMITTED = "submitted", _("材料待审核")
        RETURNED = "returned", _("材料被退回")
        APPROVED = "approved", _("材料已通过")
        REOPENED = "reopened", _("材料重新打开")
        FEEDBACK_PENDING = "feedback_pending", _("反馈意见待签发")
        FEEDBACK_SIGNED = "feedback_signed", _("反馈意见已签发")
        DUE_MOVED = "due_moved", _("截止时间调整")
        CLOSE_REQUESTED = "close_requested", _("整改事项申请销号")
        CLOSED = "closed", _("整改事项已销号")
        CLOSE_REJECTED = "close_rejected", _("销号申请被退回")
        MEETING = "meeting", _("会议安排")
        CHASED = "chased", _("催办")
        EXTENSION_REQUESTED = "ext_requested", _("延期申请")
        EXTENSION_DECIDED = "ext_decided", _("延期申请结果")
        EXEMPTED = "exempted", _("免报")
        LOOKBACK_SUBMITTED = "lookback_submitted", _("回头看自查报告待审核")
        LOOKBACK_RETURNED = "lookback_returned", _("回头看自查报告被退回")
        LOOKBACK_ACCEPTED = "lookback_accepted", _("回头看自查报告已通过")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    # What happened, the same for everyone told of it ("submitted:submission:42"): with the
    # recipient, the key of exactly once.
    key = models.CharField(max_length=120)
    params = models.JSONField(default=dict, blank=True)
    path = models.CharField(_("链接"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("记录时间"), default=clock.now)
    # The flush that put it into a digest; empty while it waits for one.
    sweep = models.ForeignKey(Sweep, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("事件通知")
        verbose_name_plural = _("事件通知")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="unique_event_per_recipient")]
        indexes = [
            models.Index(fields=["sweep", "recipient"], name="event_sweep_recipient_idx"),
            models.Index(fields=["created_at"], condition=Q(sweep__isnull=True), name="event_waiting_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient_id}"

    def describe(self):
        """The line people read, in the active language (the sender activates the recipient's)."""
        # Imported here: the texts live with the rest of the events' logic, which imports this module.
        from notifications.events import describe

        return describe(self)


class DeliveryQuerySet(RestrictedQuerySet):
    def claimable(self, now=None):
        """Due to be (re)tried now, or claimed by a sender whose lease has expired (it died)."""
        now = now or clock.now()
        return self.filter(
            Q(status__in=[Delivery.Status.PENDING, Delivery.Status.RETRY], next_attempt_at__lte=now)
            | Q(status=Delivery.Status.SENDING, lease_expires_at__lt=now)
        )

    def not_yet_enqueued(self, now=None):
        """Due rows no queue message was sent for since they became due: a retry whose time has
        come, a resent row, or a row whose message could not be published (the broker was down)."""
        now = now or clock.now()
        return self.filter(
            Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=F("next_attempt_at")),
            status__in=[Delivery.Status.PENDING, Delivery.Status.RETRY], next_attempt_at__lte=now,
        )

    def abandoned(self, now=None):
        """Claimed by a sender that stopped renewing its lease: the process died (kill -9, a hard
        time limit, the machine) and the row waits for another sender."""
        now = now or clock.now()
        return self.filter(status=Delivery.Status.SENDING, lease_expires_at__lt=now)

    def waiting_since(self, moment, now=None):
        """Due rows whose queue message was sent before `moment` and is still not taken. Either the
        message waits in a queue behind others or it was lost (a Redis restart or FLUSHALL): the
        dispatcher tells the two apart by the queue's length (notifications.dispatch)."""
        now = now or clock.now()
        return self.filter(
            status__in=[Delivery.Status.PENDING, Delivery.Status.RETRY], next_attempt_at__lte=now,
            enqueued_at__gte=F("next_attempt_at"), enqueued_at__lt=moment,
        )

    def for_requirement(self, requirement):
        """Every delivery carrying a reminder of `requirement`, each once (a digest's reminders are
        its sweep's rows for its recipient: Digest.reminders)."""
        return self.filter(Exists(Reminder.objects.filter(
            requirement=requirement, sweep_id=OuterRef("digest__sweep_id"), recipient_id=OuterRef("digest__recipient_id"),
        )))

    def failed(self):
        """Given up: every attempt within the retry window failed (REMINDER_RETRY_WINDOW_HOURS)."""
        return self.filter(status=Delivery.Status.FAILED)

    def resend(self, now=None):
        """Give failed deliveries a new retry window, starting now. One guarded UPDATE: of two
        people resending the same row at once, one changes it and the other finds it no longer
        failed, so each row is resent once. Returns the ids resent; the dispatcher sends them."""
        now = now or clock.now()
        ids = list(self.failed().values_list("pk", flat=True))
        resent = []
        for start in range(0, len(ids), 1000):
            chunk = ids[start:start + 1000]
            with transaction.atomic():
                rows = list(
                    Delivery.objects.select_for_update(skip_locked=True)
                    .filter(pk__in=chunk, status=Delivery.Status.FAILED).values_list("pk", flat=True)
                )
                Delivery.objects.filter(pk__in=rows, status=Delivery.Status.FAILED).update(
                    status=Delivery.Status.PENDING, attempts=0, next_attempt_at=now, enqueued_at=None,
                    lease_token="", lease_expires_at=None, resent_at=now, resend_count=F("resend_count") + 1,
                )
            resent.extend(rows)
        return resent


class Delivery(models.Model):
    """One digest on one channel. A sender must claim it (guarded UPDATE with a lease) before sending."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        RETRY = "retry", _("等待重试")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("失败")
        SKIPPED = "skipped", _("无法送达")

    FINAL = {Status.SENT, Status.FAILED, Status.SKIPPED}

    # No index of its own on digest: the unique key (digest, channel) serves those lookups.
    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="deliveries", db_index=False)
    channel = models.CharField(_("渠道"), max_length=100)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), default=clock.now)
    enqueued_at = models.DateTimeField(_("入队时间"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    lease_expires_at = models.DateTimeField(_("租约到期"), null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True, default="")
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True, default="")
    created_at = models.DateTimeField(default=clock.now)
    # A resend opens a new retry window from this moment (DeliveryQuerySet.resend).
    resent_at = models.DateTimeField(_("重新发送时间"), null=True, blank=True)
    resend_count = models.PositiveSmallIntegerField(_("重新发送次数"), default=0)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        constraints = [models.UniqueConstraint(fields=["digest", "channel"], name="unique_delivery_per_channel")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_status_next_idx")]

    def __str__(self):
        return f"{self.digest} · {self.channel} · {self.status}"

    @classmethod
    def claim(cls, pk, now=None):
        """Take the row for sending; returns the lease token, or None if someone else has it or it is done.

        A single guarded UPDATE: only a pending/retry row that is due, or a sending row whose
        lease expired (its sender died), can be taken, so two senders never both win. The
        lease is short (REMINDER_LEASE_SECONDS) and the sender renews it while it works
        (notifications.sending.LeaseKeeper), so a dead sender's row is free again within a lease.
        """
        now = now or clock.now()
        token = uuid.uuid4().hex
        taken = cls.objects.claimable(now).filter(pk=pk).update(
            status=cls.Status.SENDING,
            lease_token=token,
            claimed_at=now,
            lease_expires_at=now + dt.timedelta(seconds=settings.REMINDER_LEASE_SECONDS),
            attempts=F("attempts") + 1,
        )
        return token if taken else None

    @classmethod
    def renew(cls, pk, token, now=None):
        """Extend the lease of a row this sender still holds. False when another sender took it over
        (then this sender must not record anything on it)."""
        now = now or clock.now()
        return bool(
            cls.objects.filter(pk=pk, lease_token=token, status=cls.Status.SENDING).update(
                lease_expires_at=now + dt.timedelta(seconds=settings.REMINDER_LEASE_SECONDS)
            )
        )

    @staticmethod
    def backoff(attempts):
        """Exponential backoff after the n-th failed attempt: base, 2×base, 4×base …, at most
        REMINDER_RETRY_MAX_SECONDS (an hour by default), so that a sender keeps trying through
        a long outage and still notices its end within the hour."""
        base = settings.REMINDER_RETRY_BASE_SECONDS
        cap = settings.REMINDER_RETRY_MAX_SECONDS
        return dt.timedelta(seconds=min(base * 2 ** min(max(attempts - 1, 0), 32), cap))

    def retry_window_ends(self):
        """Retries stop once this moment is passed: the window opens when the delivery is made, or
        resent, and lasts REMINDER_RETRY_WINDOW_HOURS (three days by default)."""
        return (self.resent_at or self.created_at) + dt.timedelta(hours=settings.REMINDER_RETRY_WINDOW_HOURS)

    def message_id(self):
        """The e-mail's Message-ID, the same for every attempt and resend of this delivery: a mail
        client or server that sees it twice knows it is the same message."""
        domain = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"<reminder-delivery-{self.pk}.{self.digest_id}@{domain}>"

    def _finish(self, token, **fields):
        with transaction.atomic():
            done = Delivery.objects.filter(pk=self.pk, lease_token=token, status=self.Status.SENDING).update(**fields)
            if done:
                self.digest.settle()
        return bool(done)

    def mark_sent(self, token):
        return self._finish(token, status=self.Status.SENT, sent_at=clock.now(), lease_expires_at=None)

    def mark_skipped(self, token, reason):
        return self._finish(token, status=self.Status.SKIPPED, last_error=reason, lease_expires_at=None)

    def mark_failed(self, token, error):
        """Keep the error; retry later with backoff while the retry window lasts (and, if
        REMINDER_MAX_ATTEMPTS is set, within that many attempts). Returns the retry delay, or
        None once the delivery has failed for good."""
        max_attempts = settings.REMINDER_MAX_ATTEMPTS
        row = Delivery.objects.filter(pk=self.pk).values("attempts", "created_at", "resent_at").first()
        if row:
            self.attempts, self.created_at, self.resent_at = row["attempts"], row["created_at"], row["resent_at"]
        delay = self.backoff(self.attempts)
        retry_at = clock.now() + delay
        if retry_at > self.retry_window_ends() or (max_attempts and self.attempts >= max_attempts):
            self._finish(token, status=self.Status.FAILED, last_error=error, lease_expires_at=None)
            return None
        self._finish(token, status=self.Status.RETRY, last_error=error, next_attempt_at=retry_at,
                     lease_expires_at=None)
        return delay


class DueDateFlag(models.Model):
    """A requirement whose due date falls on a holiday or weekend (rule 5), shown to the office."""

    requirement = models.OneToOneField(
        "campaign.Requirement", on_delete=models.CASCADE, related_name="due_date_flag"
    )
    due_at = models.DateTimeField(_("截止时间"))
    message = models.TextField(_("提示"))
    created_at = models.DateTimeField(default=clock.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("截止日期提示")
        verbose_name_plural = _("截止日期提示")

    def __str__(self):
        return self.message

    @classmethod
    def record(cls, requirement):
        """Keep the flag in step with the requirement's due date; a new flag also reaches the issuing
        office's staff in the notification centre. Returns the message or None."""

        message = holiday_warning(requirement.due_at)
        if message is None:
            cls.objects.filter(requirement=requirement).delete()
            return None
        flag, created = cls.objects.get_or_create(
            requirement=requirement, defaults={"due_at": requirement.due_at, "message": message}
        )
        if not created and flag.due_at == requirement.due_at:
            return message
        if not created:
            flag.due_at, flag.message = requirement.due_at, message
            flag.save(update_fields=["due_at", "message"])
        staff = UnitMembership.objects.filter(
            unit_id=requirement.directive.issuing_unit_id, role=UnitMembership.Role.OFFICE, user__is_active=True
        ).values_list("user_id", flat=True)
        url = reverse("notifications:requirement_log", args=[requirement.pk])
        Notification.objects.bulk_create(
            Notification(user_id=user_id, title=_("截止日期落在节假日：%(title)s") % {"title": requirement.title},
                         body=message, url=url)
            for user_id in staff
        )
        return message


class NotificationQuerySet(RestrictedQuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def mark_read(self):
        """Mark these read (opening one is a GET that reads it): their readers' kept bell and
        badge counts are dropped too (core.personal_cache)."""
        unread = self.unread()
        readers = list(unread.order_by().values_list("user_id", flat=True).distinct())
        count = unread.update(read_at=clock.now())
        for user_id in readers:
            personal_cache.forget(user_id)
        return count


class Notification(models.Model):
    """A message in the in-app notification centre. A reminder digest creates at most one (unique delivery)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    # The first items only (notifications.summary.LISTED); item_count says how many the message had.
    items = models.JSONField(_("事项"), default=list, blank=True)
    item_count = models.PositiveIntegerField(_("事项总数"), default=0)
    # A digest's counts per requirement and level (notifications.summary.DigestSummary.as_json), if shown.
    summary = models.JSONField(_("汇总"), default=dict, blank=True)
    delivery = models.OneToOneField(
        Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="notification"
    )
    created_at = models.DateTimeField(_("时间"), default=clock.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_read_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("notifications:detail", args=[self.pk])

    @property
    def unlisted(self):
        """The message's items beyond those stored in `items`."""
        return max(self.item_count - len(self.items), 0)
