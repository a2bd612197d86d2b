"""The home page: one panel per kind of work the person has, filled by the apps (core.panels);
and the page where a superuser pins the clock of their own session."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core import clock, panels
from core.forms import PinClockForm
from core.middleware import PINNED_CLOCK_SESSION_KEY
from core.templatetags.core_tags import format_moment


@login_required
def home(request):
    filled = panels.fill("home", request, now=clock.now())
    return render(request, "core/home.html", {"panels": filled})


@login_required
def pin_clock(request):
    """A superuser runs their own pages at another moment (a rehearsal, a training, what a unit saw
    on a given day); everyone else keeps the real clock, or CAMPAIGN_CLOCK where it is set."""
    if not request.user.is_superuser:
        raise PermissionDenied(_("只有系统管理员可以调整本人会话的时间。"))
    form = PinClockForm(request.POST or None, initial={"day": clock.today()})
    if request.method == "POST":
        if "unpin" in request.POST:
            request.session.pop(PINNED_CLOCK_SESSION_KEY, None)
            messages.success(request, _("本会话已恢复使用系统时间。"))
            return redirect("pin_clock")
        if form.is_valid():
            request.session[PINNED_CLOCK_SESSION_KEY] = form.moment_text()
            moment = clock.parse_moment(form.moment_text())
            messages.success(request, _("本会话的时间已设为%(moment)s。") % {"moment": format_moment(moment)})
            return redirect("pin_clock")
    return render(request, "core/pin_clock.html", {
        "form": form, "session_pinned": PINNED_CLOCK_SESSION_KEY in request.session, "now": clock.now(),
    })
