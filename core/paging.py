"""A long list on a page that shows several (a unit's dossier, a work queue): either its latest
rows with a link to the rest, or, when the list is the one asked for, one page of it.

    window(queryset, expanded=False, page=None, size=10)  → Window(rows, page, more)

Never more than `size` rows (or one page of `per_page` rows) reach the template, whatever the
list's length, and the query count does not grow with it: the preview reads `size + 1` rows to
know whether there are more; the page is Django's Paginator (one COUNT and one slice).
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Q

PER_PAGE = 50


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
