"""The campaign a person is working in: chosen in the top bar's switcher, kept in the session.

Every list, dashboard and export of campaign work (directives, requirements, obligations,
batches, rectification, supervision) shows the current campaign's rows only, through
`current_campaign(request)` and the querysets' `in_campaign()`. Without a choice, or when the
chosen campaign is no longer visible, it is the latest launched campaign the person can see
(by start date); offices may also choose a campaign they are preparing.
"""

from campaign.models import Campaign

SESSION_KEY = "current_campaign"


def visible_campaigns(request):
    """The campaigns the user may choose, latest first: one query, once per request (there are a
    handful of campaigns in all, so the switcher and the current campaign share it)."""
    if not hasattr(request, "_visible_campaigns"):
        request._visible_campaigns = list(Campaign.objects.restrict(request.user).order_by("-starts_on", "-pk"))
    return request._visible_campaigns


def current_campaign(request):
    """The request's campaign: the one chosen in this session while the user can still see it,
    else the latest launched one, else the latest one (None when the user can see none)."""
    campaigns = visible_campaigns(request)
    session = getattr(request, "session", None)
    wanted = session.get(SESSION_KEY) if session is not None else None
    chosen = next((c for c in campaigns if c.pk == wanted), None)
    return chosen or next((c for c in campaigns if not c.is_draft), None) or next(iter(campaigns), None)


def kept_name(name, campaign):
    """The name of figures kept for a person (core.personal_cache) that belong to `campaign`."""
    return f"{name}:{getattr(campaign, 'pk', '-')}"


def choose(request, campaign):
    """Make `campaign` (one the user may see) the current one for the rest of the session."""
    request.session[SESSION_KEY] = campaign.pk
