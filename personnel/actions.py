"""The changes with a rule behind them for accounts made by offices: create (one, or a whole
file), edit, deactivate and reactivate, give and take roles, issue a new initial password. One
function each, called by the pages and commands alike; each keeps the trail (DESIGN rule 10)
with the actor and the reason. Whether the actor may do it is access.policy's (personnel.rules),
checked by the caller before calling.
"""

from django.db import transaction

from accounts import actions as account_actions
from audit.services import change, created, record_change, record_changes
from personnel.roles import GROUP_ROLES, Role
from supervision import actions as supervision_actions
from units.models import UnitMembership

ACCOUNT_FIELDS = ["username", "full_name", "title", "mobile", "email", "is_active"]


def _give(user, grant, *, actor):
    if grant.role in GROUP_ROLES:
        supervision_actions.set_member(grant.group, user, is_leader=grant.role == Role.GROUP_LEADER, actor=actor)
    else:
        UnitMembership.objects.get_or_create(user=user, unit=grant.unit, role=grant.role)


def _new_account(user, grant, *, actor):
    password = account_actions.issue_initial_password(user, save=False)
    user.save()
    _give(user, grant, actor=actor)
    return password, {**created(user, ACCOUNT_FIELDS), "role": change(None, str(grant))}


@transaction.atomic
def create_account(user, grant, *, actor, reason):
    """Save the new (unsaved) `user` with `grant`, and a generated initial password they must
    replace at first login. Returns that password, to be shown once to the actor."""
    password, changes = _new_account(user, grant, actor=actor)
    record_change(user, "create", actor=actor, reason=reason, changes=changes)
    return password


@transaction.atomic
def import_accounts(rows, *, actor, reason):
    """Create the account of every (user, grant) of a checked file, all or nothing. Returns
    [(user, grant, initial password)] in the file's order."""
    made, per_object = [], {}
    for user, grant in rows:
        password, changes = _new_account(user, grant, actor=actor)
        made.append((user, grant, password))
        per_object[user.pk] = {"changes": changes}
    record_changes([user for user, _grant, _password in made], "import", actor=actor, reason=reason, per_object=per_object)
    return made


@transaction.atomic
def edit_account(user, before, *, actor, reason):
    """Save a person's name, title, mobile or e-mail; `before` is snapshot(ACCOUNT_FIELDS)."""
    user.save()
    record_change(user, "edit", actor=actor, before=before, reason=reason)
    return user


@transaction.atomic
def deactivate_account(user, *, actor, reason):
    """The account can no longer sign in (its sessions end at their next request) and drops out
    of every role's scope and every reminder; its rows and its trail stay."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    record_change(user, "deactivate", actor=actor, reason=reason, changes={"is_active": change(True, False)})
    return user


@transaction.atomic
def reactivate_account(user, *, actor, reason):
    user.is_active = True
    user.save(update_fields=["is_active"])
    record_change(user, "reactivate", actor=actor, reason=reason, changes={"is_active": change(False, True)})
    return user


@transaction.atomic
def grant_role(user, grant, *, actor, reason):
    _give(user, grant, actor=actor)
    record_change(user, "role_added", actor=actor, reason=reason, changes={"role": change(None, str(grant))})


@transaction.atomic
def revoke_role(user, held, *, actor, reason):
    """Take one role (personnel.roles.Held) from `user`."""
    if held.kind == "group":
        supervision_actions.remove_member(held.row.group, held.row, actor=actor)
    else:
        held.row.delete()
    record_change(user, "role_removed", actor=actor, reason=reason, changes={"role": change(str(held.grant), None)})


@transaction.atomic
def reset_password(user, *, actor, reason):
    """A new initial password, for someone who lost theirs and has no e-mail to reset it by;
    returns it, to be shown once to the actor. The trail records that it happened, never it."""
    had_to_change = user.must_change_password
    password = account_actions.issue_initial_password(user)
    record_change(user, "password_reset", actor=actor, reason=reason,
                  changes={"must_change_password": change(had_to_change, True)})
    return password
