"""Downloading and previewing an attachment: whoever may see its owner (files.owners), else 404."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from files.models import Attachment
from files.responses import file_response, preview_response


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
