"""Who may do what to which rows (DESIGN rules 9 and 11): one entry point per model.

Every list, queue, detail page, download, export, admin page and API reads its rows with::

    Model.objects.restrict(user, action)      # "view" by default

and every check on one object is ``can(user, action, obj)``, which is exactly "restrict
contains obj" (NetBox's RestrictedQuerySet shape). Nothing else decides permissions.

The rules themselves belong to the apps that own the models: each app registers, in its
AppConfig.ready(), a mapping ``{action: rule}`` per model, where ``rule(user, scope)``
returns a Q object over that model's rows (see access.scope for the scope). The "view"
rule is applied under every other action too: nobody acts on what they cannot see. A model
with no rules is closed: superusers see it, nobody else does; an action with no rule is
refused to everybody, superusers included. Superusers hold every role, so a rule built from
scope helpers gives them every row, and a state condition in a rule (e.g. only pending
feedback can be signed off) still applies to them.
"""

from django.db import models
from django.db.models import Q

from access.scope import scope_for

_RULES = {}
_MODELS = {}


def register(model, rules):
    """Register `rules` ({action: rule(user, scope) -> Q}) for `model`; later calls add actions."""
    _RULES.setdefault(model._meta.label, {}).update(rules)
    _MODELS[model._meta.label] = model


def registered_labels():
    return sorted(_MODELS)


def model_for(label):
    return _MODELS[label]


def rules_for(model):
    return _RULES.get(model._meta.label, {})


def _active(user):
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def condition(model, user, action="view"):
    """The Q that `restrict` applies, or None when the user may see no row at all."""
    if not _active(user):
        return None
    rules = rules_for(model)
    if not rules:
        return Q() if user.is_superuser else None
    scope = scope_for(user)
    view = rules.get("view")
    if view is None:
        return Q() if user.is_superuser and action == "view" else None
    result = view(user, scope)
    if action != "view":
        rule = rules.get(action)
        if rule is None:
            return None
        result &= rule(user, scope)
    return result


def restrict(queryset, user, action="view"):
    """The rows of `queryset` that `user` may `action`."""
    found = condition(queryset.model, user, action)
    if found is None:
        return queryset.none()
    return queryset.filter(found) if found else queryset


class RestrictedQuerySet(models.QuerySet):
    """The queryset base of the project's models: ``Model.objects.restrict(user, action)``."""

    def restrict(self, user, action="view"):
        return restrict(self, user, action)


def can(user, action, obj):
    """May `user` do `action` to `obj`? Exactly: obj is among Model.objects.restrict(user, action)."""
    if obj is None or obj.pk is None:
        return False
    return restrict(type(obj)._default_manager.all(), user, action).filter(pk=obj.pk).exists()
