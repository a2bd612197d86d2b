"""How people are named on every page, export and message."""


def person_name(user):
    """The full name as recorded (王晓明: one field, accounts.User.full_name); the login name only
    when no name is recorded."""
    if user is None:
        return ""
    full_name = (getattr(user, "full_name", "") or "").strip()
    return full_name or user.get_username()
