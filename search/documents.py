"""The searchable tables and the text each one is searched by.

Plain data (no models), so that the migration that builds the indexes and the queries that must
use them read the same expression.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    kind: str
    table: str
    columns: tuple[str, ...]

    def sql_expression(self, qualified=False) -> str:
        """The searched text, ``(a || ' ' || b)``, exactly as the indexes are built on it."""
        names = [f'"{self.table}"."{c}"' if qualified else f'"{c}"' for c in self.columns]
        return "(" + " || ' ' || ".join(names) + ")"


DOCUMENTS = (
    Document("workrecord", "accountability_workrecord", ("title", "description")),
    Document("finding", "rectification_finding", ("aspect", "description")),
    Document("measure", "rectification_measure", ("description", "latest_progress")),
    Document("dutyletter", "accountability_dutyletter", ("title", "body")),
    Document("riskpoint", "accountability_riskpoint", ("post", "description", "measures")),
)
BY_KIND = {document.kind: document for document in DOCUMENTS}
