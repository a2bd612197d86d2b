"""A review queue as a page shows it (the office's, campaign.views.obligations.review_queue; a
supervision group's, on its workspace): what waits for the reader's review, oldest first, each
with how long it has waited and in whose name it is reviewed, filtered by requirement and by unit
(with its subtree), one page at a time.

The queue itself is campaign.workflow's (office_review_queue / group_review_queue: who may review
what, on which route); the owner of an item is workflow.reviewed_for, the name a review is
recorded under (004: the supervision group first, or the office the report is submitted to).
"""

from django.db.models.functions import Substr
from django.utils.http import urlencode

from campaign import workflow
from campaign.current import current_campaign, kept_name
from campaign.forms_work import QueueFilterForm
from campaign.models import Requirement
from campaign.status import waiting_age
from core import clock, paging, personal_cache
from units.models import PATH_SEGMENT, Unit
from units.scope import ancestor_paths

PER_PAGE = 50
# The units a filter offers: those with waiting material and the units above them the reader
# sees, down to this many levels below the reader's top unit (a province's cities and counties,
# a few hundred at most, not every village: a unit further down is reached through its county).
UNIT_LEVELS = 2


def _choices(user, queue):
    """The requirements with waiting material (an indexed probe per requirement: obligation
    (requirement, status)), and the units (see UNIT_LEVELS) as indented (pk, name) pairs.

    Finding the units reads every waiting row (65,000 reports waiting for a province office of
    50,000 units: 150 ms), so the choices are kept for the person a short while
    (core.personal_cache): a unit whose first report arrived meanwhile is offered within that time
    (its report is in the list at once); one whose last report was decided lists nothing."""
    requirement_ids = queue.order_by().values("requirement_id")
    requirements = list(
        Requirement.objects.filter(pk__in=requirement_ids)
        .order_by("directive__signed_on", "pk").values_list("pk", "title")
    )
    top = min((len(path) for path in Unit.objects.office_roots(user).values_list("path", flat=True)), default=PATH_SEGMENT)
    prefix = Substr("unit__path", 1, top + UNIT_LEVELS * PATH_SEGMENT)
    paths = list(queue.order_by().annotate(prefix=prefix).values_list("prefix", flat=True).distinct())
    units = list(
        Unit.objects.restrict(user).filter(path__in=ancestor_paths(paths)).order_by("path").values_list("pk", "name", "path")
    )
    depth = min((len(path) for _pk, _name, path in units), default=0)
    # Indented by depth below the topmost unit offered, so the subtree each one stands for reads.
    return requirements, [(pk, "\u3000" * ((len(path) - depth) // PATH_SEGMENT) + name) for pk, name, path in units]


def queue_page(request, queue, *, kept_as, page_param="page"):
    """{"queue": the rows of this page (each with .waited and .owner), "queue_page", "queue_form",
    "queue_query"} for `queue` (a workflow review queue of request.user in the current campaign);
    `kept_as` names the queue, under which its filter choices are kept for the person."""
    user = request.user
    kept = kept_name(f"queue-choices:{kept_as}", current_campaign(request))
    requirements, units = personal_cache.remember(user, kept, lambda: _choices(user, queue))
    form = QueueFilterForm(request.GET or None, requirements=requirements, units=units)
    filters = form.filters() if request.GET else {}
    if "requirement" in filters:
        queue = queue.filter(requirement_id=filters["requirement"])
    if "unit" in filters:
        unit = Unit.objects.restrict(user).only("path").get(pk=filters["unit"])
        queue = queue.filter(unit__path__startswith=unit.path)
    listed = queue.with_status().select_related("requirement__submit_to", "unit").order_by("submitted_at", "pk")
    page = paging.capped_page(listed, request.GET.get(page_param), PER_PAGE, narrow=True)
    now = clock.now()
    rows = list(page.object_list)
    for obligation in rows:
        obligation.waited = waiting_age(obligation.submitted_at, now)
        obligation.owner = workflow.reviewed_for(obligation, user)
    return {"queue": rows, "queue_page": page, "queue_form": form, "queue_query": urlencode(filters)}
