"""The notification centre (every user), and the reminder log of a requirement with the resending
of what failed (its office)."""

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Func, IntegerField, JSONField
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import i18n
from django.views.decorators.http import require_POST

from access.policy import can
from audit.services import snapshot
from campaign.current import current_campaign
from campaign.models import Requirement
from core import clock, paging
from core.redirects import redirect_back
from notifications import actions, outcomes, todo
from notifications.channels import merge_same_day
from notifications.forms import OfficeDefaultsForm, PreferencesForm, ReminderPolicyForm, ResendForm
from notifications.models import (
    Delivery,
    Digest,
    DueDateFlag,
    EffectivePolicy,
    Notification,
    OfficeReminderDefaults,
    Reminder,
    ReminderPolicy,
)
from notifications.summary import DigestSummary
from units.models import Unit


@login_required
def todo_list(request):
    """Everything waiting for the person, by kind, each with where it is done (issue 13)."""
    now = clock.now()
    sections = todo.sections(request.user, now, current_campaign(request))
    todo.remember_counts(request, sections)
    return render(request, "notifications/todo.html", {
        "sections": [section for section in sections if section.count],
        "has_role": bool(sections),
        "total": sum(section.count for section in sections),
        "roles": todo.ROLE_LABELS,
    })


LOG_PER_PAGE = 50
# The notification centre: a page of notifications, each with its first few items.
NOTIFICATIONS_PER_PAGE = 30
ITEMS_PREVIEWED = 5


class ItemCount(Func):
    """How many items a notification lists, counted by the database (0 for anything not a list)."""

    function = "JSON_ARRAY_LENGTH"
    output_field = IntegerField()
    # The column twice (no parameters in it): PostgreSQL raises on the length of a non-array.
    POSTGRESQL = "COALESCE(JSONB_ARRAY_LENGTH(CASE WHEN JSONB_TYPEOF(%(expressions)s) = 'array' THEN %(expressions)s END), 0)"

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template=self.POSTGRESQL, **extra_context)


class FirstItems(Func):
    """The first ITEMS_PREVIEWED items of a notification's list, as a list read by the database."""

    output_field = JSONField()
    SQLITE = (f"(SELECT json_group_array(json(value)) FROM json_each(%(expressions)s) "
              f"WHERE json_type(%(expressions)s) = 'array' AND key < {ITEMS_PREVIEWED})")
    POSTGRESQL = f"JSONB_PATH_QUERY_ARRAY(%(expressions)s, '$[0 to {ITEMS_PREVIEWED - 1}]', '{{}}', true)"

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template=self.SQLITE, **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template=self.POSTGRESQL, **extra_context)


def previewed(notifications):
    """The notifications without their item lists (a province office's daily digest names
    thousands of late units: reading 30 of those lists was most of the page's time), with
    `listed_count` (the items stored; `item_count` says how many the message had, 0 on rows
    older than that field) and `preview`, the first ITEMS_PREVIEWED items, read by the database."""
    return notifications.defer("items", "body").annotate(listed_count=ItemCount("items"), preview=FirstItems("items"))


@login_required
def notification_list(request):
    notifications = Notification.objects.restrict(request.user)
    if request.GET.get("unread"):
        notifications = notifications.unread()
    # narrow: the page's keys first, so that only its own rows' lists are read for the preview.
    page = paging.capped_page(previewed(notifications), request.GET.get("page"), NOTIFICATIONS_PER_PAGE, narrow=True)
    for notification in page.object_list:
        notification.preview = [item for item in notification.preview or () if isinstance(item, dict)]
    return render(request, "notifications/list.html", {
        "page": page, "only_unread": bool(request.GET.get("unread")), "query": query_without_page(request),
        "items_previewed": ITEMS_PREVIEWED,
    })


DETAIL_PER_PAGE = 50


@login_required
def notification_detail(request, notification_id):
    """One notification. A digest's shows its summary (kept with it: notifications.summary) and,
    while its rows are kept (notifications.actions.purge_sent_reminders), its items page by page,
    read from the database; otherwise the stored first items and how many more there were."""
    notification = get_object_or_404(
        Notification.objects.restrict(request.user).select_related("delivery__digest").defer("body", "items"),
        pk=notification_id,
    )
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).mark_read()
    context = {"notification": notification, "query": query_without_page(request)}
    digest = notification.delivery.digest if notification.delivery_id else None
    if digest is not None:
        context.update(digest_page(digest, request.GET.get("page")))
    if notification.summary:
        context["summary"] = DigestSummary.from_json(notification.summary)
    return render(request, "notifications/detail.html", context)


def digest_page(digest, page):
    """One page of a digest's items (its reminders, else its news: a sweep makes one kind or the
    other) in a bounded number of queries, whatever their number; nothing when its rows were purged."""
    rows = paging.window(digest.item_ids(), expanded=True, page=page, per_page=DETAIL_PER_PAGE)
    if rows.page.paginator.count:
        items = [{"text": reminder.describe(merged), "url": reminder.path()}
                 for reminder, merged in merge_same_day(digest.items(rows.rows))]
    else:
        rows = paging.window(digest.events, expanded=True, page=page, per_page=DETAIL_PER_PAGE)
        items = [{"text": event.describe(), "url": event.path} for event in rows.rows]
    return {"page": rows.page, "digest_items": items} if items else {}


@login_required
@require_POST
def notification_mark_read(request, notification_id):
    notification = get_object_or_404(Notification.objects.restrict(request.user), pk=notification_id)
    Notification.objects.filter(pk=notification.pk).mark_read()
    return redirect_back(request, "notifications:list")


@login_required
@require_POST
def notification_mark_all_read(request):
    count = Notification.objects.restrict(request.user).mark_read()
    messages.success(request, _("已将 %(count)s 条通知标为已读。") % {"count": count})
    return redirect_back(request, "notifications:list")


def query_without_page(request):
    """The page's query string without its page number, for the pager's links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _office_requirement(user, requirement_id):
    """The requirement, if the user may see it (else 404) and is its office (else 403)."""
    requirement = get_object_or_404(
        Requirement.objects.select_related("directive__issuing_unit", "submit_to"), pk=requirement_id
    )
    if not can(user, "view", requirement):
        raise Http404
    if not can(user, "edit", requirement):
        raise PermissionDenied(_("只有发文单位的领导小组办公室可以查看提醒记录。"))
    return requirement


@login_required
def requirement_log(request, requirement_id):
    """Who was reminded of this requirement, when, by which channel, and what failed (issue point 7):
    the reminders, or with ?delivery=failed|retry|skipped the deliveries in that state (issue 11)."""
    requirement = _office_requirement(request.user, requirement_id)
    delivery_totals = outcomes.totals(requirement)
    delivery_status = request.GET.get("delivery", "")
    channel = request.GET.get("channel", "")
    if channel not in {row.channel for row in delivery_totals.channels}:
        channel = ""
    if delivery_status in outcomes.LISTED:
        page = paging.capped_page(outcomes.listed(requirement, delivery_status, channel), request.GET.get("page"), LOG_PER_PAGE)
        page.object_list = outcomes.with_details(page.object_list, requirement)
        status = kind = ""
    else:
        delivery_status = ""
        # Latest first, in the order of the index (requirement, scheduled_for): a sort by unit or
        # person would read and sort every reminder of the requirement (tens of thousands) per page.
        reminders = (
            Reminder.objects.for_requirement(requirement)
            .select_related("recipient", "unit")
            .order_by("-scheduled_for", "-id")
        )
        status, kind = request.GET.get("status", ""), request.GET.get("kind", "")
        if status in Reminder.Status.values:
            reminders = reminders.filter(status=status)
        if kind in Reminder.Kind.values:
            reminders = reminders.filter(kind=kind)
    totals = dict.fromkeys(Reminder.Status.values, 0)
    totals.update(Reminder.objects.for_requirement(requirement).order_by().values_list("status").annotate(n=Count("id")))
    if not delivery_status:
        # Unfiltered, the list's length is the sum of the totals the page shows anyway.
        known = None if status or kind else sum(totals.values())
        page = paging.capped_page(reminders, request.GET.get("page"), LOG_PER_PAGE, known_count=known)
        page.object_list = attach_deliveries(page.object_list)
    return render(request, "notifications/requirement_log.html", {
        "requirement": requirement,
        "page": page,
        "flag": DueDateFlag.objects.filter(requirement=requirement).first(),
        "policy": EffectivePolicy.for_requirement(requirement),
        "form": ReminderPolicyForm(instance=_policy_of(requirement)),
        "statuses": Reminder.Status.choices,
        "kinds": Reminder.Kind.choices,
        "status": status,
        "kind": kind,
        "totals": totals,
        "delivery_totals": delivery_totals,
        "delivery_tabs": [(value, label, delivery_totals.count(value)) for value, label in outcomes.LISTED.items()],
        "delivery_status": delivery_status,
        "channel": channel,
        # The rule, not the page, says who may resend; for the office of this log it is every
        # failed delivery listed (Delivery's "resend" rule), so the rows need no query each.
        "resendable": Delivery.objects.for_requirement(requirement).restrict(request.user, "resend").count(),
        "query": query_without_page(request),
    })


def attach_deliveries(reminders):
    """Give each reminder on the page its digest's deliveries (`reminder.deliveries`), in two
    queries, each with its channel and last error in words (notifications.outcomes)."""
    reminders = list(reminders)
    digests = Digest.objects.filter(
        sweep_id__in={r.sweep_id for r in reminders}, recipient_id__in={r.recipient_id for r in reminders}
    ).prefetch_related("deliveries")
    by_key = {
        (d.sweep_id, d.recipient_id): [outcomes.explain_delivery(delivery) for delivery in d.deliveries.all()]
        for d in digests
    }
    for reminder in reminders:
        reminder.deliveries = by_key.get((reminder.sweep_id, reminder.recipient_id), [])
    return reminders


# A delivery id as a page may name it (a bigint); anything else names no delivery.
DELIVERY_ID = re.compile(r"[0-9]{1,18}")
RESEND_LISTED = 20


@login_required
def requirement_resend(request, requirement_id):
    """Send again a requirement's reminders that failed for good: all of them, or one delivery
    (?delivery=ID), after a confirmation that asks why (issue 11). Who may is Delivery's
    "resend" rule: the issuing office and superusers."""
    requirement = _office_requirement(request.user, requirement_id)
    resendable = Delivery.objects.for_requirement(requirement).restrict(request.user, "resend")
    delivery_id = request.POST.get("delivery") or request.GET.get("delivery") or ""
    if delivery_id:
        if not DELIVERY_ID.fullmatch(delivery_id):
            raise Http404
        get_object_or_404(Delivery.objects.for_requirement(requirement).restrict(request.user), pk=int(delivery_id))
        resendable = resendable.filter(pk=int(delivery_id))
    form = ResendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        resent = actions.resend_deliveries(resendable, actor=request.user, reason=form.cleaned_data["reason"],
                                           requirement=requirement)
        if resent.count:
            messages.success(request, ngettext(
                "已重新发送 %(count)s 条提醒，几秒钟内发出。", "已重新发送 %(count)s 条提醒，几秒钟内发出。", resent.count,
            ) % {"count": resent.count})
        else:
            messages.info(request, _("没有需要重新发送的提醒：可能已有人重新发送过。"))
        return redirect("notifications:requirement_log", requirement_id=requirement.pk)
    count = resendable.count()
    listed = outcomes.listed(requirement, Delivery.Status.FAILED).filter(pk__in=resendable.values("pk"))
    return render(request, "notifications/resend.html", {
        "requirement": requirement,
        "form": form,
        "count": count,
        "deliveries": outcomes.with_details(listed[:RESEND_LISTED], requirement),
        "delivery_id": delivery_id,
        "window_hours": settings.REMINDER_RETRY_WINDOW_HOURS,
    }, status=400 if form.is_bound else 200)


def _policy_of(requirement):
    return ReminderPolicy.objects.filter(requirement=requirement).first() or ReminderPolicy(requirement=requirement)


@login_required
@require_POST
def requirement_policy(request, requirement_id):
    requirement = _office_requirement(request.user, requirement_id)
    policy = _policy_of(requirement)
    before = snapshot(policy, actions.POLICY_FIELDS) if policy.pk else {}
    form = ReminderPolicyForm(request.POST, instance=policy)
    if form.is_valid():
        actions.save_policy(form.instance, before, actor=request.user)
        messages.success(request, _("提醒规则已保存。"))
    else:
        messages.error(request, _("提醒规则未保存：%(errors)s") % {"errors": form.error_text()})
    return redirect("notifications:requirement_log", requirement_id=requirement.pk)


@login_required
def office_defaults(request, unit_id):
    """An office's reminder defaults: what its requirements (and the offices below it that set
    nothing) use unless a requirement sets its own (DESIGN rule 5)."""
    office = get_object_or_404(Unit.objects.restrict(request.user, "manage"), pk=unit_id)
    defaults = OfficeReminderDefaults.objects.filter(office=office).first() or OfficeReminderDefaults(office=office)
    before = snapshot(defaults, actions.POLICY_FIELDS) if defaults.pk else {}
    form = OfficeDefaultsForm(request.POST or None, instance=defaults)
    if request.method == "POST":
        if form.is_valid():
            actions.save_policy(form.instance, before, actor=request.user)
            messages.success(request, _("提醒默认设置已保存。"))
            return redirect("notifications:office_defaults", unit_id=office.pk)
        messages.error(request, _("提醒默认设置未保存：%(errors)s") % {"errors": form.error_text()})
    inherited = EffectivePolicy.for_office(office)
    return render(request, "notifications/office_defaults.html", {"office": office, "form": form, "inherited": inherited},
                  status=400 if form.is_bound else 200)


@login_required
def preferences(request):
    """通知与语言: the person's language and channels (issue 13)."""
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        actions.set_preferences(request.user, actor=request.user, language=form.cleaned_data["language"],
                                quiet_channels=form.quiet_channels())
        messages.success(request, _("设置已保存。"))
        response = redirect("notifications:preferences")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, form.cleaned_data["language"],
                            max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax")
        return response
    return render(request, "notifications/preferences.html", {"form": form})


@require_POST
def set_language(request):
    """The language switch: Django's own view (the cookie, the way back) and, for a signed-in
    person, their preference too, so that their messages follow (rendered at delivery)."""
    chosen = request.POST.get("language", "")
    if request.user.is_authenticated and chosen in dict(settings.LANGUAGES):
        actions.set_preferences(request.user, actor=request.user, language=chosen)
    return i18n.set_language(request)
