"""The changes with a rule behind them for a person's own login. One function each, called by
the pages, commands and the apps above (personnel keeps the trail of the ones an office makes).
"""

from accounts import passwords


def issue_initial_password(user, *, save=True):
    """Give `user` a generated password they must replace at first login; returns it (to be
    shown once, never stored in clear)."""
    password = passwords.generate()
    user.password = passwords.initial_hash(password)
    user.must_change_password = True
    if save:
        user.save(update_fields=["password", "must_change_password"])
    return password


def choose_password(user, password):
    """The owner sets their own password (password change, reset by e-mail): the forced change
    is over."""
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    return user
