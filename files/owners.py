"""The models whose rows may carry attachments, registered by their apps in AppConfig.ready():
``owners.register(Model)``. An attachment is seen by exactly those who may see its owner
(``Model.objects.restrict(user, "view")``): no rule of its own, so the two can never disagree."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from access.policy import restrict
from audit import vocabulary

_OWNERS = {}  # model label -> model

ACTIONS = {"attach": _("上传附件")}
DETAILS = {"attachments": _("附件")}


def register(model):
    """Let `model`'s rows carry attachments; its audit trail learns the words for them."""
    _OWNERS[model._meta.label] = model
    vocabulary.register(model, actions=ACTIONS, details=DETAILS)


def models():
    return list(_OWNERS.values())


def _view(user, scope):
    if scope.everything:
        return Q()
    condition = Q(pk__in=[])
    for model in models():
        condition |= Q(
            owner_type=ContentType.objects.get_for_model(model),
            owner_id__in=restrict(model._default_manager.all(), user, "view").values("pk"),
        )
    return condition


ATTACHMENT = {"view": _view, "download": lambda user, scope: Q()}
