"""Which rows name a stored file. The app that keeps files registers, in AppConfig.ready(), a
function returning the models whose rows have `stored_name`, `sha256` and `size` fields
(files.inventory); the backup reads those columns with plain SQL from the database copy itself,
so the list of files matches the copied rows exactly."""

from dataclasses import dataclass

_SOURCES = []


def register(source):
    """`source()` returns the models whose rows name a stored file."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def models():
    found = []
    for source in _SOURCES:
        found.extend(model for model in source() if model not in found)
    return found


@dataclass(frozen=True)
class StoredFileRow:
    table: str
    pk: int
    name: str
    sha256: str
    size: int


def quote(name):
    """An SQL identifier quoted the standard way (PostgreSQL and SQLite alike)."""
    return '"' + name.replace('"', '""') + '"'


def _select(model):
    meta = model._meta
    columns = [meta.pk.column] + [meta.get_field(name).column for name in ("stored_name", "sha256", "size")]
    stored_name = quote(columns[1])
    return (
        f"SELECT {', '.join(quote(column) for column in columns)} FROM {quote(meta.db_table)} "
        f"WHERE {stored_name} IS NOT NULL AND {stored_name} <> '' ORDER BY {quote(columns[0])}"
    )


def rows(cursor, tables):
    """Every row naming a stored file, read through `cursor` (any DB-API cursor on a copy of our
    database, whose tables are `tables`); a model whose table the copy lacks is skipped."""
    found = []
    for model in models():
        table = model._meta.db_table
        if table not in tables:
            continue
        cursor.execute(_select(model))
        found.extend(StoredFileRow(table, pk, name, sha256 or "", size or 0) for pk, name, sha256, size in cursor.fetchall())
    return found
