"""Making, using and revoking tokens: one function each, called by the pages, the admin and
commands alike; each keeps the trail (DESIGN rule 10). Whether the actor may is access.policy's
(api.rules; for a service token, an office over its unit), checked here where the rule is the
action's own and by the caller otherwise."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from access.policy import can
from api.models import ApiToken, digest, new_token_text
from audit.services import change, created, record_change
from core import clock
from units.models import UnitMembership

# A token's last use is written at most this often: a busy client must not turn every read
# into a write of its token row.
LAST_USE_PRECISION = dt.timedelta(minutes=1)

TOKEN_FIELDS = ["name", "purpose", "prefix", "service_unit", "user"]


def _issue(token, *, actor, reason):
    prefix, text = new_token_text()
    token.prefix, token.secret_hash = prefix, digest(text)
    token.created_by = actor if getattr(actor, "is_authenticated", False) else None
    token.created_at = clock.now()
    token.full_clean(exclude=["user", "secret_hash"])
    token.save()
    record_change(token, "create", actor=actor, reason=reason, changes=created(token, TOKEN_FIELDS))
    return token, text


@transaction.atomic
def create_token(user, name, *, purpose=ApiToken.Purpose.API, actor=None):
    """A new token of `user`'s own; returns (token, text). The text is shown once and never kept."""
    return _issue(ApiToken(user=user, name=name.strip(), purpose=purpose), actor=actor or user, reason="")


@transaction.atomic
def create_service_token(unit, name, *, actor, reason=""):
    """A token for a system acting as an office of `unit` (its whole subtree): a service account
    of its own (it cannot sign in: no password) holding that office role, and its token.
    Only an office over `unit` may."""
    if not can(actor, "manage", unit):
        raise PermissionDenied(_("只有本单位或上级领导小组办公室可以为该单位创建服务令牌。"))
    name = name.strip()
    account = get_user_model()(username=f"service-{new_token_text()[0]}", full_name=_("服务账号：%(name)s") % {"name": name})
    account.set_unusable_password()
    account.save()
    UnitMembership.objects.create(user=account, unit=unit, role=UnitMembership.Role.OFFICE)
    record_change(account, "create", actor=actor, reason=reason,
                  changes={"username": change(None, account.username), "full_name": change(None, account.full_name),
                           "role": change(None, _("%(unit)s领导小组办公室（服务账号）") % {"unit": unit.name})})
    return _issue(ApiToken(user=account, name=name, service_unit=unit), actor=actor, reason=reason)


@transaction.atomic
def revoke_token(token, *, actor, reason=""):
    """The token stops working at once; a service token's account is deactivated with it."""
    if not can(actor, "revoke", token):
        raise PermissionDenied(_("您无权撤销此令牌。"))
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=clock.now())
    if not updated:
        return token
    token.refresh_from_db()
    record_change(token, "revoke", actor=actor, reason=reason, changes={"revoked_at": change(None, token.revoked_at)})
    if token.service_unit_id is not None and token.user.is_active:
        token.user.is_active = False
        token.user.save(update_fields=["is_active"])
        record_change(token.user, "deactivate", actor=actor, reason=reason, changes={"is_active": change(True, False)})
    return token


def note_use(token, now=None):
    """Remember when `token` was last used, to the minute (one guarded update, no read)."""
    now = now or clock.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
