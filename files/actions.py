"""Hanging uploaded files on an owner row: checked, stored, recorded, audited, in one place."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from access.policy import can
from audit.services import change, record_change
from files.models import Attachment
from files.storage import store_files


def add_attachments(owner, uploads, *, actor, stored):
    """Store `uploads` (through `stored`, a files.storage.StoredFiles) as attachments of `owner`;
    return them. For use inside the caller's transaction, which also writes the owner's audit row
    (the names are returned so that it can say which files came)."""
    return [
        Attachment.objects.create(owner=owner, uploaded_by=actor, **stored.accept(upload)) for upload in uploads
    ]


def attach(owner, uploads, *, actor, permission):
    """`actor` adds `uploads` to `owner`, if they may `permission` it (the owner app's rule);
    one audit row on the owner names the files. Raises files.screening.UploadRefused (nothing
    kept) or PermissionDenied."""
    if not can(actor, permission, owner):
        raise PermissionDenied
    with store_files() as stored, transaction.atomic():
        added = add_attachments(owner, uploads, actor=actor, stored=stored)
        if added:
            record_change(owner, "attach", actor=actor,
                          changes={"attachments": change(None, [a.original_name for a in added])})
    return added
