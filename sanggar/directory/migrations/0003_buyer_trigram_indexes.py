"""Trigram indexes for the buyer list's text filters on PostgreSQL.

The member filters (keyword, product, HS code) are `icontains`, which Django writes as
`UPPER(col::text) LIKE UPPER('%…%')`. A B-tree cannot serve a leading wildcard; a GIN index over the same
expression with pg_trgm's operator class can. SQLite (the embedded default) has neither, so this migration does
nothing there."""

from django.db import migrations

COLUMNS = ("company", "products", "hs_codes")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS directory_buyer_{column}_trgm "
            f'ON directory_buyer USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS directory_buyer_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_buyers_forwarders_profiles_documents")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
