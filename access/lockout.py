"""Login lockout with two limits (django-axes handler, setting AXES_HANDLER).

A password sprayed across many user names from one address is as much an attack as a
password guessed for one user, so two counts are kept over the cool-off window:

- failures for one user name from one address lock that pair at AXES_FAILURE_LIMIT;
- failures for any user names from one address lock the address at
  AXES_ADDRESS_FAILURE_LIMIT (higher, since a county office's whole staff may sit behind
  one NAT address and mistype now and then); 0 turns the address limit off.

Axes compares one failure count against one limit, so the address count is given to it in
units of the pair limit: the address reaches the pair limit exactly when it reaches its own.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render

# axes keeps the username it was given in a column of 255 characters; a longer one (no account
# has one: usernames are at most 150) made PostgreSQL refuse the failed attempt's row: a 500.
AXES_USERNAME_LIMIT = 255


def attempted_username(request, credentials=None):
    """The username a login attempt names, as axes records it: cut to the column's width."""
    if credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        username = getattr(request, "data", request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    return username[:AXES_USERNAME_LIMIT] if isinstance(username, str) else username


def lockout_parameters(request_or_attempt=None, credentials=None):
    """What axes filters attempts by (setting AXES_LOCKOUT_PARAMETERS): the pair, and the
    address alone when an address limit is set."""
    if settings.AXES_ADDRESS_FAILURE_LIMIT:
        return [["username", "ip_address"], "ip_address"]
    return [["username", "ip_address"]]


class PairAndAddressLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None):
        counts = [
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        if not counts:
            return 0
        pair = counts[0]
        address_limit = settings.AXES_ADDRESS_FAILURE_LIMIT
        if len(counts) < 2 or not address_limit:
            return pair
        pair_limit = get_failure_limit(request, credentials)
        return max(pair, counts[1] * pair_limit // address_limit)

    def reset_user_attempts(self, request, credentials=None):
        """A successful login clears that user's failures from that address only: the other
        usernames' failures from the address still count, or one valid account would let a
        password sprayer wipe the address count between rounds."""
        attempts = self.filter_user_attempts(request, credentials)[:1]
        count = sum(attempts_of_pair.delete()[0] for attempts_of_pair in attempts)
        return count


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets (setting AXES_LOCKOUT_CALLABLE): in the site's layout
    and language, saying for how long, with axes' status code (429)."""
    minutes = max(1, round(float(settings.AXES_COOLOFF_TIME or 0) * 60))
    return render(
        request, settings.AXES_LOCKOUT_TEMPLATE, {"cooloff_minutes": minutes}, status=settings.AXES_HTTP_RESPONSE_CODE
    )
