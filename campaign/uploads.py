"""Uploaded submission files: what is accepted, how it is stored and how it is handed out.

- Names: no path separators, no '..', no control characters, no executable inner extension
  (report.pdf.exe, x.php.pdf); the final extension must be in settings.UPLOAD_ALLOWED_EXTENSIONS.
- Content: must start with the magic bytes of its extension (OFD, DOCX and XLSX are ZIP
  containers; DOC, XLS and WPS are OLE2 compound files); empty files and files over
  settings.UPLOAD_MAX_BYTES are refused.
- Storage: MEDIA_ROOT/<yyyy>/<mm>/<uuid4 hex>, outside the static root, written through a temp
  file and os.replace, SHA-256 computed while streaming. The SubmissionFile row is created in the
  caller's transaction; `store_files()` removes every file it wrote if that transaction fails.
- Download: only through the permission-checked view, as an attachment, optionally handed to
  nginx with X-Accel-Redirect (settings.UPLOAD_X_ACCEL_REDIRECT_PREFIX).
"""

import contextlib
import hashlib
import os
import tempfile
import unicodedata
import uuid
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.encoding import iri_to_uri
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from campaign.models import SubmissionFile
from core import clock

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"

# Extension → (accepted leading bytes, content type we serve it as).
SIGNATURES = {
    "pdf": ((b"%PDF",), "application/pdf"),
    "zip": ((ZIP,), "application/zip"),
    "docx": ((ZIP,), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ((ZIP,), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ofd": ((ZIP,), "application/ofd"),
    "doc": ((OLE2,), "application/msword"),
    "xls": ((OLE2,), "application/vnd.ms-excel"),
    "wps": ((OLE2,), "application/vnd.ms-works"),
    "jpg": ((b"\xff\xd8\xff",), "image/jpeg"),
    "jpeg": ((b"\xff\xd8\xff",), "image/jpeg"),
    "png": ((b"\x89PNG\r\n\x1a\n",), "image/png"),
}

# Inner extensions that make a double-extension name dangerous (x.php.pdf, report.pdf.exe).
EXECUTABLE_EXTENSIONS = frozenset(
    "exe com bat cmd scr pif msi msp dll cpl jar js jse vbs vbe wsf wsh ps1 psm1 sh bash csh ksh "
    "php php3 php4 php5 phtml pht phar asp aspx ascx ashx jsp jspx cgi pl py pyc rb lnk reg hta "
    "htm html shtml xhtml svg swf apk app deb rpm".split()
)

CHUNK = 1024 * 1024


class UploadRefused(ValueError):
    """An upload that is not accepted; the message says why, in words the uploader understands."""


def allowed_extensions():
    return {ext.lower().lstrip(".") for ext in settings.UPLOAD_ALLOWED_EXTENSIONS}


def check_name(name):
    """Return (name, extension) for an acceptable original file name, else raise UploadRefused."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name:
        raise UploadRefused(_("文件名不能为空。"))
    if len(name) > 200:
        raise UploadRefused(_("文件名过长（最多 200 个字符）。"))
    if "/" in name or "\\" in name or ".." in name:
        raise UploadRefused(_("文件名“%(name)s”含有路径字符，不予接收。") % {"name": name})
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise UploadRefused(_("文件名含有控制字符，不予接收。"))
    parts = name.split(".")
    if len(parts) < 2 or not parts[0]:
        raise UploadRefused(_("文件“%(name)s”没有扩展名。") % {"name": name})
    ext = parts[-1].lower()
    allowed = allowed_extensions()
    if ext not in allowed:
        raise UploadRefused(
            _("不接收 .%(ext)s 文件，允许的类型：%(allowed)s。") % {"ext": ext, "allowed": "、".join(sorted(allowed))}
        )
    inner = [part.lower().strip() for part in parts[1:-1]]
    bad = [part for part in inner if part in EXECUTABLE_EXTENSIONS]
    if bad:
        raise UploadRefused(
            _("文件名“%(name)s”含有双重扩展名（.%(inner)s），不予接收。") % {"name": name, "inner": bad[0]}
        )
    return name, ext


def check_upload(upload):
    """Check an uploaded file's name, size and magic bytes; return its extension or raise UploadRefused."""
    name, ext = check_name(upload.name)
    size = upload.size or 0
    if size <= 0:
        raise UploadRefused(_("文件“%(name)s”是空文件。") % {"name": name})
    if size > settings.UPLOAD_MAX_BYTES:
        raise UploadRefused(
            _("文件“%(name)s”超过大小上限 %(mb)s MB。") % {"name": name, "mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        )
    magics, _ctype = SIGNATURES.get(ext, ((), ""))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not magics or not any(head.startswith(magic) for magic in magics):
        raise UploadRefused(
            _("文件“%(name)s”的内容与扩展名 .%(ext)s 不符，不予接收。") % {"name": name, "ext": ext}
        )
    return ext


def content_type_for(ext):
    return SIGNATURES.get(ext, ((), "application/octet-stream"))[1]


def stored_path(stored_name):
    """Absolute path of a stored file; refuses anything that would leave MEDIA_ROOT."""
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / stored_name).resolve()
    if root not in path.parents:
        raise Http404
    return path


def write_file(upload):
    """Stream `upload` to MEDIA_ROOT/<yyyy>/<mm>/<uuid4 hex>; return (stored_name, size, sha256, path)."""
    today = clock.today()
    relative_dir = f"{today:%Y}/{today:%m}"
    directory = Path(settings.MEDIA_ROOT) / relative_dir
    directory.mkdir(parents=True, exist_ok=True)
    stored_name = f"{relative_dir}/{uuid.uuid4().hex}"
    digest, size = hashlib.sha256(), 0
    fd, temp_path = tempfile.mkstemp(dir=directory, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            upload.seek(0)
            for chunk in upload.chunks(CHUNK):
                size += len(chunk)
                if size > settings.UPLOAD_MAX_BYTES:
                    raise UploadRefused(_("文件“%(name)s”超过大小上限。") % {"name": upload.name})
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        final = directory / stored_name.rsplit("/", 1)[1]
        os.replace(temp_path, final)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_path)
        raise
    return stored_name, size, digest.hexdigest(), final


class StoredFiles:
    """Files written during one submission; removed again if the surrounding block fails."""

    def __init__(self):
        self.paths = []

    def append(self, submission, upload):

        name, _ext = check_name(upload.name)
        ext = check_upload(upload)
        stored_name, size, sha256, path = write_file(upload)
        self.paths.append(path)
        return SubmissionFile.objects.create(
            submission=submission,
            original_name=name,
            stored_name=stored_name,
            content_type=content_type_for(ext),
            size=size,
            sha256=sha256,
        )

    def discard(self):
        for path in self.paths:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        self.paths = []


@contextlib.contextmanager
def store_files():
    """Yield a StoredFiles; if the block raises (including a failed commit), delete what it wrote.

    Use it outside `transaction.atomic()` so that a failed commit is also covered:
    `with store_files() as stored, transaction.atomic(): ...`.
    """
    stored = StoredFiles()
    try:
        yield stored
    except BaseException:
        stored.discard()
        raise


def file_response(file_obj):
    """Hand out a stored file as an attachment: by nginx X-Accel-Redirect when configured, else streamed."""
    path = stored_path(file_obj.stored_name)
    prefix = settings.UPLOAD_X_ACCEL_REDIRECT_PREFIX
    if prefix:
        response = HttpResponse(content_type=file_obj.content_type or "application/octet-stream")
        response["X-Accel-Redirect"] = iri_to_uri(prefix.rstrip("/") + "/" + file_obj.stored_name)
        response["Content-Disposition"] = content_disposition_header(True, file_obj.original_name)
    else:
        if not path.is_file():
            raise Http404
        response = FileResponse(
            open(path, "rb"),  # noqa: SIM115 - FileResponse closes it
            as_attachment=True,
            filename=file_obj.original_name,
            content_type=file_obj.content_type or "application/octet-stream",
        )
    response["X-Content-Type-Options"] = "nosniff"
    return response
