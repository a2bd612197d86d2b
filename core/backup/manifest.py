"""manifest.json of a backup directory: what it holds, for the restore and for people.

    {"format": 1, "created_at": "2026-12-08T02:41:07+08:00", "engine": "postgresql",
     "database": "database.dump", "migrations": {app: latest applied}, "tables": {table: rows},
     "files": [{"path": "2014/01/<hex>", "size": 1234, "sha256": "…"}], "warnings": [{"kind": …}]}
"""

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from core.backup.database import BackupError

FORMAT = 1
NAME = "manifest.json"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def created_at():
    """The machine's time, not core.clock's: the product's clock may be a demo's, and an
    operator needs to know when a backup was really taken."""
    return dt.datetime.now(SHANGHAI).isoformat(timespec="seconds")


def write(directory, manifest):
    (Path(directory) / NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def read(directory):
    path = Path(directory) / NAME
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise BackupError(f"{path} not found: {directory} is not a complete backup") from error
    except (OSError, ValueError) as error:
        raise BackupError(f"{path} cannot be read: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a backup manifest of format {FORMAT}")
    return manifest
