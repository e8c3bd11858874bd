"""Indexes that serve Chinese search on PostgreSQL (nothing on SQLite).

pg_trgm's GIN index answers ILIKE '%词语%' for words of three characters or more (it splits
CJK text into trigrams when the database's LC_CTYPE is not plain C: see search/checks.py). A
two-character word has no trigram, so each searchable table also gets a GIN index over the
array of its text's character pairs (``portal_bigrams``), which answers ``@> ARRAY['学习']``.
The indexed expressions are repeated verbatim in search/selectors.py: keep them in step.
"""

from django.db import migrations

from search.documents import DOCUMENTS

BIGRAMS_FUNCTION = r"""
CREATE OR REPLACE FUNCTION portal_bigrams(doc text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
  SELECT ARRAY(
    SELECT chars[i] || chars[i + 1]
    FROM (SELECT string_to_array(lower(doc), NULL) AS chars) AS split,
         generate_series(1, cardinality(chars) - 1) AS i
  )
$$
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(BIGRAMS_FUNCTION)
    for document in DOCUMENTS:
        expression = document.sql_expression()
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {document.table}_search_trgm ON {document.table} "
            f"USING gin (({expression}) gin_trgm_ops)"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {document.table}_search_bigram ON {document.table} "
            f"USING gin (portal_bigrams({expression}))"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for document in DOCUMENTS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {document.table}_search_trgm")
        schema_editor.execute(f"DROP INDEX IF EXISTS {document.table}_search_bigram")
    schema_editor.execute("DROP FUNCTION IF EXISTS portal_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0003_roles_separation_of_duties"),
        ("rectification", "0003_measure_fields_in_history"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
