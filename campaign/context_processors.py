"""Template context of every page from campaign: the top bar's campaign switcher."""

from django.utils.functional import SimpleLazyObject

from campaign.current import current_campaign, visible_campaigns


def campaign_switcher(request):
    """`current_campaign` and `switchable_campaigns`, read (one query, once per request) only when a
    template shows them: the top bar, for signed-in users."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    return {
        "current_campaign": SimpleLazyObject(lambda: current_campaign(request)),
        "switchable_campaigns": SimpleLazyObject(lambda: visible_campaigns(request)),
    }
