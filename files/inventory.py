"""Every stored file the database knows: the rows of any model with `stored_name`, `sha256` and
`size` fields (the fields files.storage.StoredFiles.accept() fills: Attachment here, the
submissions' and directives' files, a directive intake's upload …), found by their shape so
that an app adding such a model needs no registration. core's backup lists them the same way
(files registers stored_file_models with core.backup.stored_files)."""

import hashlib
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from files.storage import CHUNK, storage

FIELDS = {"stored_name", "sha256", "size"}


def stored_file_models():
    return [
        model for model in apps.get_models()
        if FIELDS <= {field.name for field in model._meta.concrete_fields}
    ]


def context(row):
    """Whose file it is, from the row's own columns: its generic owner (content types are
    cached, so no query per row), else the foreign keys that are not to a person."""
    meta = row._meta
    owners = [field for field in meta.private_fields if isinstance(field, GenericForeignKey)]
    if owners:
        owner = owners[0]
        content_type = ContentType.objects.get_for_id(getattr(row, f"{owner.ct_field}_id"))
        return f"owner {content_type.app_label}.{content_type.model} #{getattr(row, owner.fk_field)}"
    return ", ".join(
        f"{field.name} #{getattr(row, field.attname)}"
        for field in meta.concrete_fields
        if isinstance(field, models.ForeignKey) and getattr(row, field.attname) is not None
        and not hasattr(field.related_model, "get_username")
    )


@dataclass(frozen=True)
class Finding:
    problem: str  # "missing" or "changed"
    label: str  # e.g. "campaign.SubmissionFile #12"
    context: str
    name: str


def sha256_of(name):
    """The SHA-256 of the stored file `name`, streamed in chunks."""
    digest = hashlib.sha256()
    with storage().open(name, "rb") as stored:
        while chunk := stored.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def verify():
    """Yield (checked count so far, Finding or None) for every row naming a stored file."""
    target = storage()
    for model in stored_file_models():
        rows = model._default_manager.exclude(stored_name="").order_by("pk").iterator(chunk_size=500)
        for row in rows:
            label = f"{model._meta.label} #{row.pk}"
            if not target.exists(row.stored_name):
                yield Finding("missing", label, context(row), row.stored_name)
            elif sha256_of(row.stored_name) != row.sha256:
                yield Finding("changed", label, context(row), row.stored_name)
            else:
                yield None
