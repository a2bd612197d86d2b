"""Registering a directive from its file (从文件登记): the intake's steps, each audited and in one
transaction (DESIGN rule 10). Nothing here creates an obligation before the clerk confirms a draft.

- `start_intake`: read the file (or take the pasted text), check it is one Chinese document with
  one number, keep the file through the one upload pipeline (files.screening, files.storage) when
  it is a kind a directive's attachment may be, run the extractor and keep what it found.
- `register_from_intake`: the directive (campaign.actions.register_directive), the kept file as its
  first attachment, its forwards that are registered, a draft requirement per deadline found.
- `confirm_draft`, `drop_draft`: the clerk's decision on each draft; confirming saves the
  requirement through campaign.actions.save_requirement, which fans it out.
- `abandon_intake`: the clerk gives up; the kept file is deleted.
"""

import datetime as dt
import logging
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from access.policy import can
from access.transitions import TransitionRefused
from audit.services import change, record_change, record_transition
from campaign.actions import register_directive, save_requirement
from campaign.docnumbers import DocumentNumberError, parse_document_number
from campaign.forms import office_units
from campaign.intake.extract import MAX_CHARS, extract
from campaign.intake.reading import ReadingRefused, read_document
from campaign.models import Directive, DirectiveAttachment, DirectiveIntake, RequirementDraft
from core import clock
from files import storage
from files.screening import UploadRefused, check_upload

logger = logging.getLogger(__name__)

# Kinds kept as the directive's attachment (files.screening accepts them); .txt and .html are read
# for their text only (the upload pipeline refuses HTML, and a text file is not the issued document).
KEPT_KINDS = ("docx", "wps", "doc", "pdf", "ofd")
TEXT_KINDS = ("txt", "html", "htm")
READABLE_KINDS = KEPT_KINDS + TEXT_KINDS
# Share of CJK characters among the letters of a Chinese 公文 (numbers and punctuation aside).
MIN_CHINESE_SHARE = 0.5

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LETTER = re.compile(r"[^\W\d_]")
SENTENCE_END = "。！？；\n"


class IntakeRefused(ValueError):
    """Input the intake cannot take, or a step it refuses; the message says why, for the clerk.
    `field` is the form field the message belongs to ("file", "text"), or None."""

    def __init__(self, message, field=None, code=""):
        super().__init__(message)
        self.field, self.code = field, code


def max_bytes():
    """The size cap of a file to register from (the reading's INTAKE_MAX_BYTES, 20 MB by default)."""
    return getattr(settings, "INTAKE_MAX_BYTES", 20 * 1024 * 1024)


def max_megabytes():
    return max(1, max_bytes() // (1024 * 1024))


def extension(name):
    return name.rsplit(".", 1)[-1].lower() if "." in (name or "") else ""


def _is_chinese(text):
    letters = LETTER.findall(text)
    if not letters:
        return False
    return sum(1 for ch in letters if CJK.match(ch)) / len(letters) >= MIN_CHINESE_SHARE


def _read_upload(upload, pasted):
    """(text, notes, keep) of an uploaded file; IntakeRefused when it cannot be read."""
    name = upload.name or ""
    ext = extension(name)
    if ext not in READABLE_KINDS:
        raise IntakeRefused(_("不能从 .%(ext)s 文件登记公文。可上传：%(kinds)s。") % {
            "ext": ext or "?", "kinds": "、".join(f".{kind}" for kind in READABLE_KINDS if kind != "htm")}, "file")
    if not upload.size:
        raise IntakeRefused(_("文件“%(name)s”是空文件。") % {"name": name}, "file")
    if upload.size > max_bytes():
        raise IntakeRefused(_("文件“%(name)s”超过从文件登记的大小上限 %(mb)s MB。请粘贴公文正文，登记后再上传文件作为附件。")
                            % {"name": name, "mb": max_megabytes()}, "file")
    keep = ext in KEPT_KINDS
    if keep:
        try:
            check_upload(upload)
        except UploadRefused as exc:
            raise IntakeRefused(str(exc), "file") from exc
    upload.seek(0)
    data = upload.read()
    try:
        document = read_document(name, data)
    except ReadingRefused as exc:
        raise IntakeRefused(str(exc), "file") from exc
    except Exception as exc:  # a damaged file the reader trips over: said, never a server error
        logger.exception("reading %s for an intake failed", ext)
        raise IntakeRefused(_("无法读取文件“%(name)s”，文件可能已损坏。请粘贴公文正文。") % {"name": name}, "file") from exc
    notes = list(document.notes)
    text = document.text
    if not text.strip():
        if pasted.strip():
            return pasted, notes, keep
        raise IntakeRefused(" ".join([*notes, _("文件“%(name)s”中没有可识别的文字。请把公文正文粘贴到下面的文本框，连同文件一起提交。")
                                      % {"name": name}]), "file")
    if pasted.strip():
        notes.append(_("已按上传的文件识别，粘贴的文本未使用。"))
    return text, notes, keep


def _numbers_found(text, record):
    """The distinct document numbers the extractor marked as the document's own (normalised)."""
    found = []
    for start, end in record.spans.get("doc_number", ()):
        try:
            number = str(parse_document_number(text[start:end]))
        except (DocumentNumberError, TypeError, IndexError):
            continue
        if number not in found:
            found.append(number)
    if record.doc_number:
        try:
            number = str(parse_document_number(record.doc_number))
        except DocumentNumberError:
            number = record.doc_number
        if number not in found:
            found.insert(0, number)
    return found


def _extraction(record, notes):
    data = {"record": record.as_json(), "problems": [str(p) for p in record.problems], "notes": [str(n) for n in notes]}
    data["spans"] = {
        name: [[int(start), int(end)] for start, end in ranges if start is not None and end is not None]
        for name, ranges in record.spans.items()
    }
    for found, deadline in zip(data["record"]["deadlines"], record.deadlines, strict=True):
        found["start"], found["end"] = deadline.start, deadline.end
    # The documents a forwarding notice reproduces (000: 群组发〔2013〕29号 after the notice's own
    # signature): where each one's text lies, so the clerk can register it from there.
    data["documents"] = [
        {"doc_number": document.doc_number, "title": document.title, "start": document.start, "end": document.end}
        for document in record.documents
    ]
    return data


def start_intake(campaign, *, actor, upload=None, text="", without_number=False, known_number=None):
    """Read `upload` (an UploadedFile) or take the pasted `text`; keep the intake with what the
    extractor found. IntakeRefused, with nothing saved, for anything that is not one Chinese
    directive with one number in a file the intake can read. A text without a number (a notice
    copied from a web page often has none) is refused with code "no_number" unless the clerk says
    it has none (`without_number`): then it is registered without one. `known_number`: the number
    a forwarding notice gives a document it reproduces without its header (001: 群组发〔2014〕13号)."""
    if not office_units(actor).exists():
        raise TransitionRefused(_("只有领导小组办公室可以登记公文。"), forbidden=True)
    if campaign is None:
        raise IntakeRefused(_("尚无可登记公文的活动。请先在“活动”中新建并启动一个活动。"))
    if campaign.is_draft:
        raise IntakeRefused(_("活动“%(name)s”尚在筹备中，请先启动后再登记公文。") % {"name": campaign.name})
    text = text or ""
    notes, keep = [], False
    if upload is not None:
        text, notes, keep = _read_upload(upload, text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    field = "file" if upload is not None else "text"
    if not text.strip():
        raise IntakeRefused(_("请上传公文文件，或粘贴公文正文。"), field)
    if len(text) > MAX_CHARS:
        raise IntakeRefused(_("文本超过 %(count)s 字，不像是一份公文。请只粘贴要登记的这一份公文。") % {"count": MAX_CHARS}, field)
    if not _is_chinese(text):
        raise IntakeRefused(_("这不是中文公文：文本中几乎没有汉字。请上传或粘贴中文公文的正文。"), field)
    try:
        record = extract(text)
    except Exception as exc:  # the extractor's own failure on odd text: said, never a server error
        logger.exception("extracting an intake failed")
        raise IntakeRefused(_("无法识别这份文本。请检查是否为一份完整的公文，或使用“登记公文”手工登记。"), field) from exc
    # What the extractor read (a pasted web page's HTML becomes its visible text): the spans point into it.
    text = record.text or text
    if record.doc_number is None and known_number:
        record.doc_number = known_number
    numbers = _numbers_found(text, record)
    if len(numbers) > 1:
        raise IntakeRefused(_("文中有两个以上的发文字号（%(numbers)s），无法确定是哪一份公文。请只上传或粘贴一份公文。")
                            % {"numbers": "、".join(numbers)}, field)
    if not numbers and not without_number:
        raise IntakeRefused(" ".join([
            _("没有在文中找到发文字号（如“浙整改办发〔2015〕2号”）。"),
            _("请检查文本是否完整；如果这份公文确实没有发文字号，请勾选“本文没有发文字号”后再识别。")]), field,
            code="no_number")
    original_name = (upload.name or "") if upload is not None else ""
    with storage.store_files() as stored, transaction.atomic():
        file_fields = stored.accept(upload) if keep else {"original_name": original_name[:255]}
        intake = DirectiveIntake.objects.create(
            campaign=campaign, created_by=actor, text=text, extraction=_extraction(record, notes), **file_fields,
        )
        changes = {"doc_number": change(None, numbers[0] if numbers else _("无发文字号"))}
        if intake.original_name:
            changes["file"] = change(None, intake.original_name)
        record_change(intake, "create", actor=actor, changes=changes)
    return intake


def start_reproduced_intake(intake, index, *, actor):
    """A new intake of the `index`-th document `intake`'s text reproduces (a forwarded document
    printed after the notice), with the number the notice gives it when its own header is not there."""
    documents = intake.extraction.get("documents") or []
    if not 0 <= index < len(documents):
        raise IntakeRefused(_("文中没有这份转载的公文。"))
    document = documents[index]
    text = intake.text[document["start"]:document["end"]]
    return start_intake(intake.campaign, actor=actor, text=text, without_number=True,
                        known_number=document.get("doc_number"))


def _link_forwarding_directives(directive, *, actor):
    """The directives registered from notices that forward `directive` (it is registered after
    them) now link to it, each with its audit row: the chain is the same whichever came first."""
    if not directive.number:
        return
    parents = (DirectiveIntake.objects.filter(campaign=directive.campaign_id, status=DirectiveIntake.Status.REGISTERED,
                                              directive__isnull=False)
               .exclude(directive=directive).select_related("directive"))
    for parent in parents:
        if directive.number in (parent.record.get("forwards") or []) and \
                not parent.directive.forwards.filter(pk=directive.pk).exists():
            parent.directive.forwards.add(directive)
            record_change(parent.directive, "edit", actor=actor, changes={"forwards": change(None, [directive])})


def registered_forwards(numbers, user, exclude=None):
    """[(number, directive or None)] for the forwarded numbers, the directive being the registered
    one the user may see (it is linked on save)."""
    visible = Directive.objects.restrict(user)
    found = []
    for text in numbers or ():
        try:
            parsed = parse_document_number(text)
        except DocumentNumberError:
            found.append((text, None))
            continue
        number = str(parsed)
        if number == exclude or any(number == n for n, _d in found):
            continue
        directive = visible.filter(agency_code=parsed.agency, year=parsed.year, serial=parsed.serial).first()
        found.append((number, directive))
    return found


def excerpt_of(text, start, end):
    """The sentence of `text` around [start, end) (up to its 。！？； or line end)."""
    if start is None or not 0 <= start <= len(text):
        return ""
    end = start if end is None else min(max(end, start), len(text))
    left = max((text.rfind(ch, 0, start) for ch in SENTENCE_END), default=-1) + 1
    right = min((i for i in (text.find(ch, end) for ch in SENTENCE_END) if i != -1), default=len(text))
    return text[left:right + 1].strip()[:1000]


def _drafts(intake, directive):
    drafts = []
    for ordinal, found in enumerate(intake.record.get("deadlines", []), start=1):
        deadline_text = (found.get("text") or "").strip()[:100]
        if not deadline_text:
            continue
        start = found.get("start")
        if start is None:
            position = intake.text.find(deadline_text)
            start = position if position != -1 else None
        try:
            due = dt.date.fromisoformat(found["due_date"]) if found.get("due_date") else None
        except (TypeError, ValueError):
            due = None
        drafts.append(RequirementDraft(
            directive=directive, intake=intake, ordinal=ordinal, what=(found.get("what") or "")[:300],
            to_text=(found.get("to") or "")[:300], deadline_text=deadline_text,
            due_date=due,
            excerpt=excerpt_of(intake.text, start, found.get("end")),
        ))
    return RequirementDraft.objects.bulk_create(drafts)


def register_from_intake(intake, directive, *, actor):
    """Register `directive` (a new Directive validated by the directive form, prefilled from the
    intake) with the intake's kept file as its first attachment, linked to the registered
    directives it forwards; one draft requirement per deadline found. Returns the directive."""
    if not can(actor, "edit", intake) or not office_units(actor).exists():
        raise TransitionRefused(_("只能登记本人上传的文件。"), forbidden=True)
    try:
        with transaction.atomic():
            locked = DirectiveIntake.objects.select_for_update().get(pk=intake.pk)
            if locked.status != DirectiveIntake.Status.OPEN:
                raise IntakeRefused(_("这份文件已经登记或已放弃，不能再次登记。"))
            forwards = [d for _n, d in registered_forwards(locked.record.get("forwards"), actor, directive.number) if d]
            register_directive(directive, actor=actor, forwards=forwards)
            if locked.stored_name:
                attachment = DirectiveAttachment.objects.create(
                    directive=directive, ordinal=1, title=locked.original_name or _("正文文件"),
                    original_name=locked.original_name, stored_name=locked.stored_name,
                    content_type=locked.content_type, sha256=locked.sha256, size=locked.size,
                )
                record_change(directive, "attach", actor=actor, changes={
                    "attachments": change(None, [f"{attachment.title}：{attachment.original_name}"]),
                })
            drafts = _drafts(locked, directive)
            _link_forwarding_directives(directive, actor=actor)
            locked.directive, locked.status, locked.stored_name = directive, DirectiveIntake.Status.REGISTERED, ""
            locked.save(update_fields=["directive", "status", "stored_name"])
            record_transition(locked, "register", actor=actor, from_state=DirectiveIntake.Status.OPEN,
                              to_state=DirectiveIntake.Status.REGISTERED,
                              changes={"directive": change(None, directive),
                                       "deadlines": change(None, [d.deadline_text for d in drafts])})
    except IntegrityError as exc:  # the same number registered a moment ago by someone else
        directive.pk = None
        raise IntakeRefused(_("该发文字号已被登记，同一机关代字、年份和顺序号只能有一份公文。")) from exc
    return directive


def _decided(draft, actor):
    if not can(actor, "decide", draft):
        raise TransitionRefused(_("只有发文单位及其上级的领导小组办公室可以处理这条期限。"), forbidden=True)
    locked = RequirementDraft.objects.select_for_update().get(pk=draft.pk)
    if not locked.is_pending:
        raise IntakeRefused(_("这条期限已经处理（%(status)s）。") % {"status": locked.get_status_display()})
    return locked


def confirm_draft(draft, requirement, *, actor, explicit_units=None):
    """The clerk confirms `draft` as `requirement` (validated by the standard requirement form):
    saved and fanned out by campaign.actions.save_requirement. Returns (requirement, added, removed)."""
    with transaction.atomic():
        locked = _decided(draft, actor)
        requirement, added, removed = save_requirement(requirement, actor=actor, explicit_units=explicit_units)
        locked.status, locked.requirement = RequirementDraft.Status.CONFIRMED, requirement
        locked.decided_by, locked.decided_at = actor, clock.now()
        locked.save(update_fields=["status", "requirement", "decided_by", "decided_at"])
        record_transition(locked, "confirm", actor=actor, from_state=RequirementDraft.Status.PENDING,
                          to_state=RequirementDraft.Status.CONFIRMED, changes={"requirement": change(None, requirement)})
    return requirement, added, removed


def drop_draft(draft, *, actor, reason):
    """The clerk drops `draft`: no requirement, the reason kept."""
    reason = (reason or "").strip()
    if not reason:
        raise IntakeRefused(_("请说明舍弃的理由。"))
    with transaction.atomic():
        locked = _decided(draft, actor)
        locked.status, locked.drop_reason = RequirementDraft.Status.DROPPED, reason
        locked.decided_by, locked.decided_at = actor, clock.now()
        locked.save(update_fields=["status", "drop_reason", "decided_by", "decided_at"])
        record_transition(locked, "drop", actor=actor, from_state=RequirementDraft.Status.PENDING,
                          to_state=RequirementDraft.Status.DROPPED, reason=reason)
    return locked


def abandon_intake(intake, *, actor, reason=""):
    """The clerk gives up an open intake; its kept file is deleted once that is committed. With
    actor None it is the system giving up (abandon_stale_intakes), asked of no one's rights."""
    if actor is not None and not can(actor, "edit", intake):
        raise TransitionRefused(_("只能放弃本人上传的文件。"), forbidden=True)
    with transaction.atomic():
        locked = DirectiveIntake.objects.select_for_update().get(pk=intake.pk)
        if locked.status != DirectiveIntake.Status.OPEN:
            raise IntakeRefused(_("这份文件已经登记或已放弃。"))
        stored_name = locked.stored_name
        locked.status, locked.stored_name = DirectiveIntake.Status.ABANDONED, ""
        locked.save(update_fields=["status", "stored_name"])
        record_transition(locked, "abandon", actor=actor, from_state=DirectiveIntake.Status.OPEN,
                          to_state=DirectiveIntake.Status.ABANDONED, reason=reason)
        if stored_name:
            transaction.on_commit(lambda: storage.delete(stored_name))
    return locked


def abandon_stale_intakes(now=None, *, retention_days=None):
    """Abandon every intake still open INTAKE_RETENTION_DAYS after it was started (beat, nightly),
    through abandon_intake: the same audit row (actor: the system, with the reason) and the same
    deletion of the kept file. An intake registered or abandoned meanwhile is left alone. Returns
    how many were abandoned."""
    days = settings.INTAKE_RETENTION_DAYS if retention_days is None else retention_days
    cutoff = (now or clock.now()) - dt.timedelta(days=days)
    reason = _("超过 %(days)s 天未完成登记，由系统自动放弃") % {"days": days}
    abandoned = 0
    stale = DirectiveIntake.objects.filter(status=DirectiveIntake.Status.OPEN, created_at__lt=cutoff)
    for intake in stale.order_by("pk"):
        try:
            abandon_intake(intake, actor=None, reason=reason)
        except IntakeRefused:
            continue
        abandoned += 1
    logger.info("intake purge (open longer than %s days): abandoned=%s", days, abandoned)
    return abandoned
