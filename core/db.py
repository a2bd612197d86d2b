"""Database expressions the apps share, written once for SQLite and PostgreSQL."""

from django.db import models


class WholeDaysBetween(models.Func):
    """Whole days from `earlier` to `later` (both datetimes), rounded down; negative when
    `later` comes first. An integer on both databases, so pages can sort and filter by it."""

    output_field = models.IntegerField()
    arity = 2

    def __init__(self, later, earlier, **extra):
        super().__init__(later, earlier, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection,
            template="CAST(FLOOR(julianday(%(expressions)s)) AS INTEGER)",
            arg_joiner=") - julianday(", **extra_context,
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection,
            template="FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400)::integer",
            arg_joiner=" - ", **extra_context,
        )
