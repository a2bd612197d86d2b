"""Backup and restore of the database and the uploaded files (`manage.py backup DIR`,
`manage.py restore DIR`).

A backup directory holds the database (database.dump from pg_dump, or database.sqlite3 from
SQLite's backup API), the stored files under media/ and manifest.json: what was copied, row
counts per table, the migration state and the warnings of the copy. The files copied are those
the database copy refers to (core.backup.stored_files); apps that keep files register the models
that name them, so core knows no domain app.
"""
