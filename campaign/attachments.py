"""Files on the campaign's rows, beyond submitting a version (campaign.workflow): withdrawing a
wrong file before review, and an office uploading the file of a directive's attachment (附件).
Checks and storage are the one pipeline (files.screening, files.storage)."""

from django.db import transaction
from django.utils.translation import gettext as _

from access.policy import can
from access.transitions import TransitionRefused
from audit.services import change, record_change
from campaign.models import DirectiveAttachment, Obligation, SubmissionFile
from core import clock
from files.storage import store_files


def withdraw_submission_file(file_obj, *, actor, reason=""):
    """Withdraw `file_obj` from its version (rule: campaign.rules.withdrawable). The row and the stored file are
    kept and marked withdrawn, so nothing the unit sent is ever lost; the version must keep its
    text or another file (a version says or carries something). One audit row on the obligation."""
    with transaction.atomic():
        # The obligation first, as a review takes it: a review and a withdrawal are one after the other.
        Obligation.objects.select_for_update().get(pk=file_obj.submission.obligation_id)
        locked = SubmissionFile.objects.select_for_update().select_related("submission__obligation").get(pk=file_obj.pk)
        if not can(actor, "withdraw", locked):
            raise TransitionRefused(
                _("只能在审核前撤回本单位最新报送版本中的文件；已审核或已有新版本时，请报送新版本。"), forbidden=True
            )
        submission = locked.submission
        others = submission.files.filter(withdrawn_at__isnull=True).exclude(pk=locked.pk).exists()
        if not others and not submission.text.strip():
            raise TransitionRefused(_("这是该版本唯一的文件，且该版本没有说明：撤回后版本为空。请报送新版本替换。"))
        locked.withdrawn_at, locked.withdrawn_by, locked.withdrawal_reason = clock.now(), actor, (reason or "").strip()
        locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
        record_change(
            submission.obligation, "withdraw_file", actor=actor, reason=locked.withdrawal_reason,
            changes={"version": change(submission.version, submission.version),
                     "files": change([locked.original_name], None)},
        )
    return locked


def upload_attachment_file(attachment, upload, *, actor):
    """An office over the issuing unit (DIRECTIVE "edit") gives `attachment` its file, once: a
    different file is a new attachment, so what was issued stays as issued. Audited on the directive.
    `actor` None: the system (the demo loader registering a directive with its attachment), as in fan_out."""
    if actor is not None and not can(actor, "edit", attachment.directive):
        raise TransitionRefused(_("只有发文单位及其上级的领导小组办公室可以上传附件文件。"), forbidden=True)
    with store_files() as stored, transaction.atomic():
        locked = DirectiveAttachment.objects.select_for_update().get(pk=attachment.pk)
        if locked.stored_name:
            raise TransitionRefused(_("该附件已有文件；如需更换，请另行添加附件。"))
        for name, value in stored.accept(upload).items():
            setattr(locked, name, value)
        locked.save()
        record_change(locked.directive, "attach", actor=actor, changes={
            "attachments": change(None, [f"{locked.title}：{locked.original_name}"]),
        })
    return locked


def add_directive_attachment(directive, title, upload, *, actor):
    """An office adds an attachment (附件) with its file to a directive it may edit; next ordinal."""
    if not can(actor, "edit", directive):
        raise TransitionRefused(_("只有发文单位及其上级的领导小组办公室可以上传附件文件。"), forbidden=True)
    with store_files() as stored, transaction.atomic():
        ordinal = (directive.attachments.order_by("-ordinal").values_list("ordinal", flat=True).first() or 0) + 1
        attachment = DirectiveAttachment.objects.create(
            directive=directive, ordinal=ordinal, title=title, **stored.accept(upload)
        )
        record_change(directive, "attach", actor=actor, changes={
            "attachments": change(None, [f"{attachment.title}：{attachment.original_name}"]),
        })
    return attachment
