"""The files of a directive's attachments (附件): download and preview for whoever sees the
attachment (campaign.rules.ATTACHMENT), upload by an office that may edit the directive."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from access.policy import can
from access.transitions import TransitionRefused
from access.views import refused
from campaign import actions
from campaign.forms_work import DirectiveAttachmentForm
from campaign.models import Directive, DirectiveAttachment
from campaign.views.directives import directive_context
from files.responses import file_response, preview_response
from files.screening import UploadRefused


def _visible(user, attachment_id):
    return get_object_or_404(DirectiveAttachment.objects.restrict(user), pk=attachment_id)


@login_required
@require_GET
def attachment_file(request, attachment_id):
    return file_response(_visible(request.user, attachment_id))


@login_required
@require_GET
def attachment_preview(request, attachment_id):
    return preview_response(_visible(request.user, attachment_id))


@login_required
@require_POST
def attachment_upload(request, directive_id):
    """An office gives an attachment its file (campaign.attachments)."""
    directive = get_object_or_404(Directive.objects.restrict(request.user), pk=directive_id)
    if not can(request.user, "edit", directive):
        raise PermissionDenied
    form = DirectiveAttachmentForm(request.POST, request.FILES, directive=directive)

    def page(status=400):
        return render(request, "campaign/directive_detail.html", directive_context(request, directive, attachment_form=form),
                      status=status)

    if not form.is_valid():
        return page()
    upload = form.cleaned_data["file"][0]
    try:
        if form.cleaned_data.get("attachment"):
            attachment = actions.upload_attachment_file(form.cleaned_data["attachment"], upload, actor=request.user)
        else:
            attachment = actions.add_directive_attachment(directive, form.cleaned_data["title"], upload, actor=request.user)
    except UploadRefused as exc:
        form.add_error("file", str(exc))
        return page()
    except TransitionRefused as exc:
        return refused(request, exc, page)
    messages.success(request, _("附件文件已上传：%(name)s") % {"name": attachment.original_name})
    return redirect(directive)
