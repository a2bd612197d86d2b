"""Where accepted files go: Django's default storage (settings.STORAGES["default"]), so a deployment
may point it at S3-compatible object storage; the demo and tests use the file system under MEDIA_ROOT.

Names are server-generated, <yyyy>/<mm>/<uuid4 hex> (the month of the product's clock), never
derived from the uploader's name. The SHA-256 and the size are computed while the content streams
to the storage, and the size cap is enforced again on the bytes actually read. Rows referring to a
stored file are created in the caller's transaction; `store_files()` deletes every file it wrote
if that block fails, commit included.
"""

import contextlib
import hashlib
import uuid

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.utils.translation import gettext as _

from core import clock
from files.screening import UploadRefused, check_upload, content_type_for

CHUNK = 1024 * 1024


def storage():
    """The storage of uploaded files (looked up per call: tests and deployments swap it)."""
    return storages["default"]


class _Hashing(File):
    """The upload as the storage reads it: every chunk read is counted and hashed; a stream that
    turns out longer than the cap is refused. It offers no temporary_file_path, so the file-system
    storage streams it instead of moving Django's temporary file."""

    def __init__(self, upload):
        super().__init__(upload.file, name=upload.name)
        self.digest, self.counted = hashlib.sha256(), 0

    def _seen(self, data):
        self.counted += len(data)
        if self.counted > settings.UPLOAD_MAX_BYTES:
            raise UploadRefused(_("文件“%(name)s”超过大小上限。") % {"name": self.name})
        self.digest.update(data)
        return data

    def chunks(self, chunk_size=None):
        self.seek(0)
        while data := self.file.read(chunk_size or CHUNK):
            yield self._seen(data)

    def read(self, size=-1):
        return self._seen(self.file.read(size))

    def seek(self, offset, whence=0):
        """A storage that rewinds to read again (an object store's retry) starts the digest over."""
        if offset == 0 and whence == 0:
            self.digest, self.counted = hashlib.sha256(), 0
        return self.file.seek(offset, whence)


def new_name():
    today = clock.today()
    return f"{today:%Y}/{today:%m}/{uuid.uuid4().hex}"


def write(upload):
    """Stream `upload` to the storage; return (stored_name, size, sha256). Deletes a partial write."""
    upload.seek(0)
    content, name = _Hashing(upload), new_name()
    target = storage()
    try:
        stored_name = target.save(name, content, max_length=100)
    except BaseException:
        with contextlib.suppress(Exception):
            target.delete(name)
        raise
    return stored_name, content.counted, content.digest.hexdigest()


def delete(stored_name):
    with contextlib.suppress(Exception):
        storage().delete(stored_name)


class StoredFiles:
    """Files written during one block; deleted again if the block fails."""

    def __init__(self):
        self.names = []

    def accept(self, upload):
        """Check `upload`, store it; return the fields a file row keeps:
        original_name, stored_name, content_type, size, sha256."""
        name, ext = check_upload(upload)
        stored_name, size, sha256 = write(upload)
        self.names.append(stored_name)
        return {"original_name": name, "stored_name": stored_name, "content_type": content_type_for(ext),
                "size": size, "sha256": sha256}

    def discard(self):
        for name in self.names:
            delete(name)
        self.names = []


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
