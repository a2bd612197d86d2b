"""The audit trail is read under the rules of what it describes (DESIGN rule 10: 留痕).

An audit row may be viewed by whoever may view its subject; nobody may change or delete
one. The rule is built from every model registered with access.policy when it is asked,
so an app that registers a model later is covered too.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from access import policy
from audit.models import AuditEntry


def _subject_visible(user, scope):
    if scope.everything:
        return Q()
    condition = Q(pk__in=[])
    for label in policy.registered_labels():
        if label == AuditEntry._meta.label:
            continue
        model = policy.model_for(label)
        visible = policy.restrict(model._default_manager.all(), user).values("pk")
        condition |= Q(content_type=ContentType.objects.get_for_model(model, for_concrete_model=False), object_id__in=visible)
    return condition


def register_audit_rules():
    policy.register(AuditEntry, {"view": _subject_visible})
