"""The audit trail (留痕): who changed what, when and why (DESIGN rule 10; 001 asks that
feedback be traceable to a collective decision)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import clock


class AuditTrailIsAppendOnly(Exception):
    """Raised on any attempt to change or delete an audit row (DESIGN rule 10: 留痕)."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditTrailIsAppendOnly("audit entries cannot be changed")

    def delete(self):
        raise AuditTrailIsAppendOnly("audit entries cannot be deleted")

    def for_object(self, obj, batch_keys=()):
        """`obj`'s own rows, and the summary rows (audit.services.record_bulk) of the bulk actions
        `batch_keys` that took `obj` along: a fan-out to 50,000 units writes one row, not 50,000,
        and each obligation it made still shows who made it and when."""
        rows = models.Q(content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=obj.pk)
        keys = [key for key in batch_keys if key]
        if keys:
            rows |= models.Q(batch_key__in=keys, count__isnull=False)
        return self.filter(rows).select_related("actor")

    def latest_for(self, model, ids, action):
        """{object id: its latest entry of `action`} for the rows `ids` of `model`, in one query (why each
        was last returned or refused: the reason boxes and the to-do's next steps)."""
        ids = list(ids)
        if not ids:
            return {}
        found = {}
        rows = self.filter(content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
                           object_id__in=ids, action=action).select_related("actor").order_by("object_id", "-at", "-pk")
        for entry in rows:
            found.setdefault(entry.object_id, entry)
        return found


class AuditEntry(models.Model):
    """One state change of one object. Rows are only ever inserted."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_entries"
    )
    # The product's clock (core.clock), like every rule: a demo or a test run at another moment
    # keeps a trail in that moment's order.
    at = models.DateTimeField(_("时间"), default=clock.now, editable=False, db_index=True)
    action = models.CharField(_("操作"), max_length=64)
    from_state = models.CharField(_("原状态"), max_length=32, blank=True)
    to_state = models.CharField(_("新状态"), max_length=32, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    batch_key = models.CharField(_("批量操作标识"), max_length=36, blank=True, db_index=True)
    # How many objects one bulk action touched (audit.services.record_bulk): its one summary row
    # stands for all of them, each of which keeps the batch key; empty on every other row.
    count = models.PositiveIntegerField(_("涉及数量"), null=True, blank=True)
    # The way the change came in when not through the pages: e.g. an API token's name
    # (audit.services.acting_through), so that an office can tell the OA link's writes apart.
    via = models.CharField(_("操作途径"), max_length=200, blank=True, default="")

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("留痕记录")
        verbose_name_plural = _("留痕记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="audit_subject_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditTrailIsAppendOnly("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly("audit entries cannot be deleted")
