"""A long list on a page that shows several (a unit's dossier, a work queue): either its latest
rows with a link to the rest, or, when the list is the one asked for, one page of it.

    window(queryset, expanded=False, page=None, size=10)  → Window(rows, page, more)
    capped_count(queryset, cap=COUNT_CAP)                   → min(rows, cap + 1): "more than cap" is cap + 1
    badge_number(count, cap=BADGE_CAP)                      → the count, or "999+" (a badge, a to-do total)
    capped_page(queryset, number, per_page, cap=COUNT_CAP)  → a Paginator page, counting at most `cap` rows

Never more than `size` rows (or one page of `per_page` rows) reach the template, whatever the
list's length, and the query count does not grow with it: the preview reads `size + 1` rows to
know whether there are more; the page is Django's Paginator (one COUNT and one slice).
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.functional import cached_property

PER_PAGE = 50
# A long list counts at most this many rows (a bounded subquery, not a COUNT over the whole
# table) and pages through them: past it, the page says "more than" and the filters narrow it.
COUNT_CAP = 5000
# A count shown as a number to read at a glance (a badge, a to-do total) stops here: "999+" says
# all a reader needs, and the count's cost stays bounded (the province office's review queue at
# 50,000 units is 65,000 reports: counting them on every page took 165 ms).
BADGE_CAP = 999


def badge_number(count, cap=None):
    """`count` as a reader sees it: the number, or "999+" past the cap."""
    cap = BADGE_CAP if cap is None else cap
    return f"{cap}+" if count > cap else count


def within(field, date_from=None, date_to=None):
    """The condition "`field` between the dates a list is filtered by" (either end may be open)."""
    condition = Q()
    if date_from:
        condition &= Q(**{f"{field}__gte": date_from})
    if date_to:
        condition &= Q(**{f"{field}__lte": date_to})
    return condition


@dataclass
class Window:
    rows: list
    page: object = None  # a Paginator page when expanded
    more: bool = False  # a preview with rows left out


def window(queryset, *, expanded=False, page=None, size=10, per_page=PER_PAGE):
    if expanded:
        shown = Paginator(queryset, per_page).get_page(page)
        return Window(rows=list(shown.object_list), page=shown)
    rows = list(queryset[: size + 1])
    return Window(rows=rows[:size], more=len(rows) > size)


def capped_count(queryset, cap=COUNT_CAP):
    """How many rows `queryset` has, counted no further than `cap + 1`: one
    `SELECT COUNT(*) FROM (… LIMIT cap + 1)`, whose cost is bounded by the cap whatever the
    table's size. A result above `cap` means "more than `cap`" (the exact number is not read)."""
    counted = queryset.order_by()
    if counted.query.group_by is None and not counted.query.distinct and not counted._fields:
        # The keys alone: no annotated status nor joined columns computed for the rows counted.
        counted = counted.values("pk")
    return counted[: cap + 1].count()


class CappedPaginator(Paginator):
    """Django's Paginator over at most the first `cap` rows of a list (capped_count): the pages
    and their links as usual, the last page reachable, no OFFSET past the cap and no COUNT over
    the whole table. `more` tells the page (and the pager: "N / M+") that rows lie beyond."""

    def __init__(self, object_list, per_page, cap=None, known_count=None, narrow=False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap, self.known_count, self.narrow = cap or COUNT_CAP, known_count, narrow

    def page(self, number):
        """With `narrow`, the page's keys are found first (the sort carries the keys alone, not
        every column of every joined row: a page deep in a sort over a join stays in memory), then
        its rows are read by key: one query more, a far smaller sort."""
        if not self.narrow:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:bottom + self.per_page])
        rows = self.object_list.order_by().filter(pk__in=keys).in_bulk() if keys else {}
        return self._get_page([rows[key] for key in keys if key in rows], number, self)

    @cached_property
    def counted(self):
        return self.known_count if self.known_count is not None else capped_count(self.object_list, self.cap)

    @cached_property
    def count(self):
        return min(self.counted, self.cap)

    @property
    def more(self):
        return self.counted > self.cap


def capped_page(queryset, number, per_page=PER_PAGE, cap=None, known_count=None, narrow=False):
    """The page `number` (any text: a wrong one gives the first or last page) of `queryset`, through
    CappedPaginator; `known_count`, when the page already knows the list's length (a cached total),
    spares the count; `narrow`: see CappedPaginator.page."""
    return CappedPaginator(queryset, per_page, cap=cap, known_count=known_count, narrow=narrow).get_page(number)
