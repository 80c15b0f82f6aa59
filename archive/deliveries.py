"""The entries of a distributed crawl's item stream the archive has stored: what makes the
archive writer's writes idempotent (crawler/writer.py).

The writer reads entries from a Redis stream, stores each one's rows and a `deliveries` row (the
entry's id) in the same batch, commits, and only then acknowledges the entries to Redis. A writer
killed between the commit and the acknowledgement gets the same entries again when it restarts:
`delivered` names the ones already stored, which it skips. No Redis here: ids are plain strings.

The methods `Archive` (archive/store.py) offers; written in the caller's open batch like every
other write (no commit of their own), or rolled back with it (`abandon`).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable


class ArchiveDeliveries:
    _pending: list[str]

    def _connection(self) -> sqlite3.Connection:
        raise NotImplementedError

    def _write(self, what: str, url: str | None = None) -> contextlib.AbstractContextManager:
        raise NotImplementedError

    def _stamp(self) -> str:
        raise NotImplementedError

    def delivered(self, ids: Iterable[str]) -> set[str]:
        """The ids among `ids` already stored (committed, or in the open batch)."""
        wanted = list(dict.fromkeys(ids))
        found: set[str] = set()
        conn = self._connection()
        for start in range(0, len(wanted), 500):  # SQLite's limit on bound parameters
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            sql = f"SELECT id FROM deliveries WHERE id IN ({marks})"
            found.update(row[0] for row in conn.execute(sql, chunk))
        return found

    def deliver(self, delivery_id: str, *, crawl_id: int, worker: str) -> None:
        """Record that the entry `delivery_id` is stored, in the open batch: committed with the
        rows it gave, or lost with them."""
        with self._write("delivery", delivery_id) as conn:
            conn.execute(
                "INSERT INTO deliveries (id, crawl_id, worker, written_at) VALUES (?, ?, ?, ?)",
                (delivery_id, crawl_id, worker, self._stamp()),
            )

    def abandon(self) -> None:
        """Roll the open batch back (the writer's, when one of its entries failed): none of its
        writes are kept, its entries are stored again from Redis."""
        conn = self._connection()
        self._pending = []
        if conn.in_transaction:
            conn.execute("ROLLBACK")
