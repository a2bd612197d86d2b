"""Pages that several apps fill in: the home page ("home") and a unit's workspace ("unit_workspace").

core knows no app, so it cannot ask them for their parts; each app registers its panel for a
page in its AppConfig.ready() instead:

    panels.register("home", "office", template="campaign/home/office.html", context=office_panel, order=10)

`context(request, **page_values)` returns the panel's template context, or None when the panel
has nothing for this person (no role, no work): the page then leaves it out. A panel may carry a
`label` (words a page can offer, e.g. as a filter choice: the supervision group's dossier of a
unit, "unit_dossier", lists every registered kind of record by its label, including those of apps
it may not import).
"""

from dataclasses import dataclass

_PANELS = {}


@dataclass(frozen=True)
class Panel:
    page: str
    name: str
    template: str
    context: object
    order: int = 100
    label: str = ""


@dataclass(frozen=True)
class Filled:
    name: str
    template: str
    context: dict


def register(page, name, *, template, context, order=100, label=""):
    panels = [panel for panel in _PANELS.get(page, []) if panel.name != name]
    panels.append(Panel(page, name, template, context, order, label))
    _PANELS[page] = sorted(panels, key=lambda panel: (panel.order, panel.name))


def registered(page):
    """The panels registered for `page`, in order (their names and labels)."""
    return list(_PANELS.get(page, []))


def fill(page, request, only=None, **values):
    """The panels of `page` with something for this request, in order; `only`: the names of the
    panels wanted (None: all of them)."""
    found = []
    for panel in _PANELS.get(page, []):
        if only is not None and panel.name not in only:
            continue
        context = panel.context(request, **values)
        if context is not None:
            found.append(Filled(panel.name, panel.template, context))
    return found
