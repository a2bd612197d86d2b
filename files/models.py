"""The generic attachment: a file hung on a row of any domain app that registered it as an owner
(files.owners), e.g. the evidence of a rectification item, a meeting's materials, a visit's photos.
Whoever may see the owner may see and download its attachments (files.owners.ATTACHMENT)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from access.policy import RestrictedQuerySet
from core import clock

PREVIEWABLE = frozenset({"application/pdf", "image/png", "image/jpeg"})


class StoredFile:
    """What every stored-file row offers its pages (SubmissionFile, DirectiveAttachment, Attachment):
    original_name, stored_name, content_type and size fields, a download URL and, for PDF and
    images, a preview URL."""

    preview_url_name = ""

    @property
    def has_file(self):
        return bool(self.stored_name)

    @property
    def is_previewable(self):
        return self.has_file and self.content_type in PREVIEWABLE

    def preview_url(self):
        return reverse(self.preview_url_name, args=[self.pk]) if self.is_previewable else ""


class AttachmentQuerySet(RestrictedQuerySet):
    def of(self, owner):
        """The attachments of one owner row, oldest first."""
        return self.filter(owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk).order_by("pk")

    def by_owner(self, owners):
        """{owner pk: [attachments]} for rows of one model (one query, for lists)."""
        owners = list(owners)
        found = {owner.pk: [] for owner in owners}
        if owners:
            rows = self.filter(
                owner_type=ContentType.objects.get_for_model(owners[0]), owner_id__in=list(found)
            ).order_by("pk")
            for row in rows:
                found[row.owner_id].append(row)
        return found


class Attachment(StoredFile, models.Model):
    """One uploaded file of an owner row, stored under a server-generated name with its SHA-256."""

    owner_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_type", "owner_id")
    original_name = models.CharField(_("文件名"), max_length=255)
    stored_name = models.CharField(max_length=100, unique=True, editable=False)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), default=clock.now)

    objects = AttachmentQuerySet.as_manager()

    preview_url_name = "files:preview"

    class Meta:
        verbose_name = _("附件文件")
        verbose_name_plural = _("附件文件")
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="attachment_owner")]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("files:download", args=[self.pk])
