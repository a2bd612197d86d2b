"""Pages that several apps fill in: the home page ("home") and a unit's workspace ("unit_workspace").

core knows no app, so it cannot ask them for their parts; each app registers its panel for a
page in its AppConfig.ready() instead:

    panels.register("home", "office", template="campaign/home/office.html", context=office_panel, order=10)

`context(request, **page_values)` returns the panel's template context, or None when the panel
has nothing for this person (no role, no work): the page then leaves it out.
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


@dataclass(frozen=True)
class Filled:
    name: str
    template: str
    context: dict


def register(page, name, *, template, context, order=100):
    panels = [panel for panel in _PANELS.get(page, []) if panel.name != name]
    panels.append(Panel(page, name, template, context, order))
    _PANELS[page] = sorted(panels, key=lambda panel: (panel.order, panel.name))


def fill(page, request, **values):
    """The panels of `page` with something for this request, in order."""
    found = []
    for panel in _PANELS.get(page, []):
        context = panel.context(request, **values)
        if context is not None:
            found.append(Filled(panel.name, panel.template, context))
    return found
