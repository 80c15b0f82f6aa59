"""The forces and people of the archive's articles, beyond a crawl's writes: the gazetteer's
bodies (`forces`) and tagging stored articles again (`police-archive retag`). The methods
`Archive` (archive/store.py) offers over archive/rows.py's `replace_tags`.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from archive import rows
from archive.records import ForceMention, PersonMention


class ArchiveTags:
    def _connection(self) -> sqlite3.Connection:
        raise NotImplementedError

    def _write(self, what: str, url: str | None = None) -> contextlib.AbstractContextManager:
        raise NotImplementedError

    def save_gazetteer(self, version: str, bodies: Iterable[dict[str, Any]]) -> None:
        """The gazetteer's bodies (pages/tagging.py: `gazetteer_rows`) as the `forces` table:
        added or updated, none deleted (an article tagged with an older version may name one)."""
        with self._write("forces") as conn:
            conn.executemany(
                "INSERT INTO forces (id, name, kind, nation, force, names, version) "
                "VALUES (:id, :name, :kind, :nation, :force, :names, :version) "
                "ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
                "nation = excluded.nation, force = excluded.force, names = excluded.names, "
                "version = excluded.version",
                [{**body, "version": version} for body in bodies],
            )

    def articles_to_tag(self, version: str | None = None) -> Iterator[tuple[str, str, str, str]]:
        """(url, title, standfirst, text) of the articles not tagged with `version` (every
        article when None), in URL order, read in pages of 500 (never the whole archive held)."""
        after = ""
        while True:
            page = (
                self._connection()
                .execute(
                    "SELECT url, title, standfirst, text FROM articles WHERE url > ?"
                    + (" AND tagged != ?" if version is not None else "")
                    + " ORDER BY url LIMIT 500",
                    (after, version) if version is not None else (after,),
                )
                .fetchall()
            )
            if not page:
                return
            yield from page
            after = page[-1][0]

    def retag(
        self,
        url: str,
        forces: Iterable[ForceMention],
        people: Iterable[PersonMention],
        version: str,
    ) -> None:
        """Replace a stored article's forces and people (its text unchanged)."""
        with self._write("tags", url) as conn:
            rows.replace_tags(conn, url, forces, people, version)
