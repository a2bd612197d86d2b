"""Which light a deadline shows (DESIGN rule 4); the lights' names and colours are core.traffic_light's."""

from core.traffic_light import DONE, DUE_SOON, ON_TRACK, OVERDUE, due_soon_window


def light(is_open, due, now):
    """The light of one deadline: `due` and `now` are both datetimes or both dates."""
    if not is_open:
        return DONE
    if due < now:
        return OVERDUE
    if due - now <= due_soon_window():
        return DUE_SOON
    return ON_TRACK
