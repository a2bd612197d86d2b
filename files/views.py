"""Downloading and previewing an attachment: whoever may see its owner (files.owners), else 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from access.policy import can
from files.actions import attach
from files.forms import AttachForm
from files.models import Attachment
from files.responses import file_response, preview_response
from files.screening import UploadRefused


def visible_attachment(user, attachment_id):
    return get_object_or_404(Attachment.objects.restrict(user, "download"), pk=attachment_id)


@login_required
@require_GET
def download(request, attachment_id):
    return file_response(visible_attachment(request.user, attachment_id))


@login_required
@require_GET
def preview(request, attachment_id):
    return preview_response(visible_attachment(request.user, attachment_id))


def post_attachments(request, owner, *, permission, label, page):
    """The body of an owner app's upload view: refused (403) unless the user may `permission` the
    owner; then the form (errors shown by `page(form)`, a 400 response), then files.actions.attach;
    back to the owner's page with a message."""
    if not can(request.user, permission, owner):
        raise PermissionDenied
    form = AttachForm(request.POST, request.FILES, label=label)
    if form.is_valid():
        try:
            added = attach(owner, form.cleaned_data["files"], actor=request.user, permission=permission)
        except UploadRefused as exc:
            form.add_error("files", str(exc))
        else:
            messages.success(request, _("已上传 %(count)s 个文件。") % {"count": len(added)})
            return redirect(owner)
    return page(form)
