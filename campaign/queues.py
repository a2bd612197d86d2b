"""A review queue as a page shows it (the office's, campaign.views.obligations.review_queue; a
supervision group's, on its workspace): what waits for the reader's review, oldest first, each
with how long it has waited and in whose name it is reviewed, filtered by requirement and by unit
(with its subtree), one page at a time.

The queue itself is campaign.workflow's (office_review_queue / group_review_queue: who may review
what, on which route); the owner of an item is workflow.reviewed_for, the name a review is
recorded under (004: the supervision group first, or the office the report is submitted to).
"""

from django.core.paginator import Paginator
from django.utils.http import urlencode

from campaign import workflow
from campaign.forms_work import QueueFilterForm
from campaign.status import waiting_age
from core import clock
from units.models import PATH_SEGMENT, Unit
from units.scope import ancestor_paths

PER_PAGE = 50
# The units a filter offers: those with waiting material and the units above them the reader
# sees; beyond this many units with waiting material the list keeps the first ones by path.
UNIT_CHOICES = 2000


def _choices(user, queue):
    requirements = list(
        queue.order_by("requirement__directive__signed_on", "requirement_id")
        .values_list("requirement_id", "requirement__title").distinct()
    )
    paths = list(queue.order_by("unit__path").values_list("unit__path", flat=True).distinct()[:UNIT_CHOICES])
    units = list(
        Unit.objects.restrict(user).filter(path__in=ancestor_paths(paths)).order_by("path").values_list("pk", "name", "path")
    )
    depth = min((len(path) for _pk, _name, path in units), default=0)
    # Indented by depth below the topmost unit offered, so the subtree each one stands for reads.
    return requirements, [(pk, "\u3000" * ((len(path) - depth) // PATH_SEGMENT) + name) for pk, name, path in units]


def queue_page(request, queue, *, page_param="page"):
    """{"queue": the rows of this page (each with .waited and .owner), "queue_page", "queue_form",
    "queue_query"} for `queue` (a workflow review queue of request.user in the current campaign)."""
    user = request.user
    requirements, units = _choices(user, queue)
    form = QueueFilterForm(request.GET or None, requirements=requirements, units=units)
    filters = form.filters() if request.GET else {}
    if "requirement" in filters:
        queue = queue.filter(requirement_id=filters["requirement"])
    if "unit" in filters:
        unit = Unit.objects.restrict(user).only("path").get(pk=filters["unit"])
        queue = queue.filter(unit__path__startswith=unit.path)
    listed = queue.with_status().select_related("requirement__submit_to", "unit").order_by("submitted_at", "pk")
    page = Paginator(listed, PER_PAGE).get_page(request.GET.get(page_param))
    now = clock.now()
    rows = list(page.object_list)
    for obligation in rows:
        obligation.waited = waiting_age(obligation.submitted_at, now)
        obligation.owner = workflow.reviewed_for(obligation, user)
    return {"queue": rows, "queue_page": page, "queue_form": form, "queue_query": urlencode(filters)}
