"""Template context of every page that core owns: the ribbon of a clock that is not real time."""

from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from core import clock
from core.templatetags.core_tags import format_moment


def clock_ribbon(request):
    """`clock_ribbon`: "演示时间：2014年1月8日 10:00" on every page while the clock is pinned (by
    CAMPAIGN_CLOCK or a superuser's session), so nobody mistakes the demo's day for today; else ""."""

    def text():
        if not clock.pinned():
            return ""
        return _("演示时间：%(moment)s") % {"moment": format_moment(clock.now())}

    return {"clock_ribbon": SimpleLazyObject(text)}
