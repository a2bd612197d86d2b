"""The files part of a backup: copying stored files under MEDIA_ROOT into a backup and back,
hashing (SHA-256) every byte while it is copied. Paths are relative to MEDIA_ROOT, and one that
would leave its root (an absolute name, "..") is refused rather than followed."""

import hashlib
from pathlib import Path

from django.conf import settings

CHUNK = 1024 * 1024


class UnsafePath(ValueError):
    pass


def media_root():
    return Path(settings.MEDIA_ROOT)


def on_file_system():
    """Whether uploads live under MEDIA_ROOT (Django's file-system storage) rather than in an
    object store, which a backup of MEDIA_ROOT would not see."""
    backend = settings.STORAGES["default"]["BACKEND"]
    return backend == "django.core.files.storage.FileSystemStorage"


def inside(root, relative):
    """`root`/`relative`, refusing a path that leaves `root`."""
    root = Path(root).resolve()
    path = (root / relative).resolve()
    if path == root or root not in path.parents:
        raise UnsafePath(f"{relative!r} is not a path inside {root}")
    return path


def files_under(root):
    """Relative POSIX paths of every file under `root` (none if it does not exist)."""
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


def copy(source, target):
    """Copy `source` to `target` (a new file, parent folders made); return (size, sha256)."""
    digest, size = hashlib.sha256(), 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(source, "rb") as reading, open(target, "xb") as writing:
        while chunk := reading.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            writing.write(chunk)
    return size, digest.hexdigest()
