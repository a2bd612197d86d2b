"""How people are named on every page, export and message."""


def person_name(user):
    """Family name first and no space for Chinese names (王晓明), "first last" otherwise; the
    login name only when no name is recorded."""
    if user is None:
        return ""
    first, last = (getattr(user, "first_name", "") or "").strip(), (getattr(user, "last_name", "") or "").strip()
    if any("\u4e00" <= ch <= "\u9fff" for ch in first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip() or user.get_username()
