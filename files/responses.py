"""Handing a stored file out: as a download (attachment), or inline for a preview of a PDF or an
image. Callers find the row with restrict() first; these only build the response.

A preview carries a policy that lets the browser show the file and run nothing:
``Content-Security-Policy: default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox``
and ``X-Content-Type-Options: nosniff``, and is only given for the types screening sniffed as PDF,
PNG or JPEG (files.models.PREVIEWABLE)."""

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpResponse
from django.utils.encoding import iri_to_uri
from django.utils.http import content_disposition_header

from files.models import PREVIEWABLE
from files.storage import storage

PREVIEW_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def file_response(file_obj, *, inline=False):
    """The file of `file_obj` (a files.models.StoredFile row): by nginx X-Accel-Redirect when
    configured (file-system storage), else streamed from the storage."""
    if not file_obj.stored_name:
        raise Http404
    content_type = file_obj.content_type or "application/octet-stream"
    prefix = settings.UPLOAD_X_ACCEL_REDIRECT_PREFIX
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = iri_to_uri(prefix.rstrip("/") + "/" + file_obj.stored_name)
        response["Content-Disposition"] = content_disposition_header(not inline, file_obj.original_name)
    else:
        target = storage()
        try:
            opened = target.open(file_obj.stored_name, "rb")
        except (FileNotFoundError, OSError, SuspiciousFileOperation) as exc:
            raise Http404 from exc
        response = FileResponse(opened, as_attachment=not inline, filename=file_obj.original_name,
                                content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def preview_response(file_obj):
    """The file inline, for PDF and images only (404 for anything else), sandboxed."""
    if file_obj.content_type not in PREVIEWABLE:
        raise Http404
    response = file_response(file_obj, inline=True)
    response["Content-Security-Policy"] = PREVIEW_POLICY
    return response
