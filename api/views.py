"""The token pages (接口令牌) and the calendar feed. Views are thin: the forms validate, api.actions
makes and revokes (and keeps the trail), the rules in api.rules say whose tokens one sees."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from access.scope import scope_for
from api import actions, calendar_feed
from api.forms import RevokeForm, ServiceTokenForm, TokenForm
from api.models import ApiToken

API_DOCS_PATH = "/api/v1/docs"


def feed_url(text):
    """The address a calendar app subscribes to (absolute: the app is outside the site)."""
    return settings.SITE_URL.rstrip("/") + reverse("calendar_feed", kwargs={"token": text})


def _page(request, *, form=None, service_form=None, created=None, status=200):
    user = request.user
    visible = ApiToken.objects.restrict(user, "view").select_related("service_unit")
    is_office = scope_for(user).is_office
    context = {
        "form": form or TokenForm(),
        "tokens": visible.filter(user=user, service_unit__isnull=True),
        "is_office": is_office,
        "service_form": service_form or (ServiceTokenForm(user=user) if is_office else None),
        "service_tokens": visible.filter(service_unit__isnull=False) if is_office else [],
        "created": created,
        "docs_url": API_DOCS_PATH,
    }
    return render(request, "api/tokens.html", context, status=status)


def _created(token, text):
    """What the page shows once, right after the token is made: never stored, never shown again."""
    return {"token": token, "text": text,
            "feed_url": feed_url(text) if token.purpose == ApiToken.Purpose.CALENDAR else ""}


@login_required
def token_list(request):
    return _page(request)


def _refused(error):
    return "；".join(error.messages) if isinstance(error, ValidationError) else str(error)


@login_required
def token_create(request):
    if request.method != "POST":
        return redirect("tokens:list")
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("令牌未创建：%(errors)s") % {"errors": form.error_text()})
        return _page(request, form=form, status=400)
    try:
        token, text = actions.create_token(request.user, form.cleaned_data["name"], purpose=form.cleaned_data["purpose"],
                                           actor=request.user)
    except ValidationError as error:
        messages.error(request, _("令牌未创建：%(errors)s") % {"errors": _refused(error)})
        return _page(request, form=form, status=400)
    messages.success(request, _("令牌已创建。请立即复制保存，离开本页后将无法再次查看。"))
    return _page(request, created=_created(token, text))


@login_required
def service_token_create(request):
    if request.method != "POST":
        return redirect("tokens:list")
    if not scope_for(request.user).is_office:
        raise PermissionDenied(_("只有领导小组办公室可以创建服务令牌。"))
    form = ServiceTokenForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("服务令牌未创建：%(errors)s") % {"errors": form.error_text()})
        return _page(request, service_form=form, status=400)
    data = form.cleaned_data
    try:
        token, text = actions.create_service_token(data["unit"], data["name"], actor=request.user, reason=data["reason"])
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, _("服务令牌未创建：%(errors)s") % {"errors": _refused(error)})
        return _page(request, service_form=form, status=400)
    messages.success(request, _("服务令牌已创建。请立即复制并交给对接系统的管理员，离开本页后将无法再次查看。"))
    return _page(request, created=_created(token, text))


@login_required
def token_revoke(request, apitoken_id):
    """GET: the confirmation, with an optional reason; POST: the token stops working at once."""
    token = get_object_or_404(ApiToken.objects.restrict(request.user, "revoke").select_related("service_unit"),
                              pk=apitoken_id)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if token.in_force:
            actions.revoke_token(token, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("令牌“%(name)s”已撤销，使用它的程序和日历将无法再访问。") % {"name": token.name})
        return redirect("tokens:list")
    return render(request, "api/token_revoke.html", {"token": token, "form": form},
                  status=400 if form.is_bound else 200)


@require_safe
def calendar(request, token):
    """The person's calendar (iCalendar), opened by the token in the address: calendar apps send
    no headers. An unknown or revoked token is a plain 404 that says nothing of why."""
    found = ApiToken.objects.matching(token, ApiToken.Purpose.CALENDAR)
    if found is None:
        raise Http404
    actions.note_use(found)
    with translation.override(found.user.language or settings.LANGUAGE_CODE):
        text = calendar_feed.render(found.user)
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    return response
