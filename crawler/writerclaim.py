"""One writer per distributed crawl: the archive writer's claim on its crawl, in Redis.

Two writers on the same crawl (the same ``--crawl``, two ``--db``) would split it: both read the
stream as the group's one consumer, each stores what it happens to read, and the first to find
the crawl done deletes its keys under the other. So a writer (crawler/writer.py) claims the crawl
before it reads anything: ``pna:NAME:writer`` (crawler/redisqueue.py), set only if absent, holding
who writes it (host, process id, archive, since when) and a random token, with a TTL (`WRITER_TTL`
seconds, default 15) that a heartbeat thread renews every third of it. A second writer is refused
at once (`WriterClaimed`, which names the holder). The claim is given back when the writer exits,
however it exits but killed; the item stream goes with it when it is empty (an idle writer
leaves no key behind; the workers' XADD creates it again, the next writer its group).

A writer killed -9 (or its machine lost) leaves its claim behind until the TTL lapses. A writer
restarted on the same machine need not wait: a holder on this host (and in this process-id
namespace) whose process is gone (or a zombie) is taken over at once. On another machine, the
refusal says within how long the claim lapses.

A writer frozen longer than the TTL (suspended, swapped out) may find its claim taken by another:
its heartbeat sees the token changed and sets `lost`, and the writer stops before its next commit.

The workers read the claim too: a worker that finishes while no writer claims its crawl and
entries wait in the stream says so (crawler/coordinator.py), typically a mistyped ``--crawl``.

Stats: none (the writer's, crawler/writer.py).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import redis

from crawler.redisqueue import CrawlKeys

logger = logging.getLogger(__name__)

WRITER_TTL = 15.0  # seconds a writer's claim outlives its last heartbeat

# KEYS: the claim. ARGV: our claim's value, TTL in ms. 1 when renewed, 0 when not ours.
_RENEW = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
"""

# KEYS: the claim. ARGV: the value expected, the new value, TTL in ms. 1 when replaced.
_REPLACE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
"""

# KEYS: the claim, the item stream. ARGV: our claim's value. Deletes the claim when it is ours,
# and the stream when it is empty (no writer reads it then: the next one creates its group).
_RELEASE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('XLEN', KEYS[2]) == 0 then redis.call('DEL', KEYS[2]) end
return redis.call('DEL', KEYS[1])
"""


class WriterClaimed(Exception):
    """Another writer holds the crawl (refused at start: exit 75 from the command)."""


def _pid_namespace() -> str:
    try:
        return os.readlink("/proc/self/ns/pid")
    except OSError:
        return ""


def _running(pid: int) -> bool:
    """Whether the process `pid` of this host runs (a zombie does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def _holder(raw: bytes | str) -> dict[str, Any]:
    try:
        found = json.loads(raw)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def describe(holder: dict[str, Any]) -> str:
    """Who holds a claim, for messages: "pid 12 on host h, into /a.db, since ..."."""
    return (
        f"pid {holder.get('pid', '?')} on host {holder.get('host', '?')}, into "
        f"{holder.get('db', '?')}, since {holder.get('since', '?')}"
    )


class WriterClaim:
    """The claim of one writer (archive `db`) on the crawl of `keys` (see the module docstring)."""

    def __init__(self, server: redis.Redis, keys: CrawlKeys, db: str | Path, *,
                 ttl: float = WRITER_TTL):  # fmt: skip
        self.server = server
        self.keys = keys
        self.ttl = ttl
        self.token = secrets.token_hex(8)
        self.holder = {
            "host": socket.gethostname(),
            "pidns": _pid_namespace(),
            "pid": os.getpid(),
            "db": str(Path(db).resolve()),
            "token": self.token,
        }
        self.value = ""  # the claim as set in Redis (with the token: unique to this writer)
        self.held = False
        self.lost: str | None = None  # why the claim was lost while held, once it was
        self._renew = server.register_script(_RENEW)
        self._replace = server.register_script(_REPLACE)
        self._release = server.register_script(_RELEASE)
        self._stop = threading.Event()
        self._beating: threading.Thread | None = None

    @property
    def _px(self) -> int:
        return max(1, int(self.ttl * 1000))

    def take(self) -> dict[str, Any] | None:
        """Claim the crawl (a no-op when this one holds it); WriterClaimed when another writer
        holds it. Returns the holder of a claim taken over (a writer of this host whose process
        is gone), else None."""
        if self.held:
            return None
        self.holder["since"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.value = value = json.dumps(self.holder, sort_keys=True)
        for _ in range(3):  # another writer may come and go between the steps
            if self.server.set(self.keys.writer, value, nx=True, px=self._px):
                self.held = True
                return None
            raw = self.server.get(self.keys.writer)
            if raw is None:
                continue  # lapsed meanwhile
            other = _holder(raw)
            if not self._gone(other):
                raise WriterClaimed(
                    f"crawl '{self.keys.name}' has a writer already ({describe(other)}): a "
                    "crawl has one writer; stop that one or give this one another --crawl (if "
                    f"it was killed on another machine, its claim lapses within {self.ttl:g} s)"
                )
            if self._replace(keys=[self.keys.writer], args=[raw, value, self._px]):
                self.held = True
                logger.warning("took over the claim of a writer that is gone (%s)", describe(other))
                return other
        raise WriterClaimed(f"could not claim crawl '{self.keys.name}': writers come and go")

    def _gone(self, other: dict[str, Any]) -> bool:
        """Whether the holder is a process of this host that no longer runs."""
        same_host = (other.get("host"), other.get("pidns")) == (
            self.holder["host"],
            self.holder["pidns"],
        )
        pid = other.get("pid")
        return same_host and isinstance(pid, int) and pid != os.getpid() and not _running(pid)

    def renew(self) -> bool:
        """Extend the claim; False (and `lost` says why) when it is no longer ours."""
        if self._renew(keys=[self.keys.writer], args=[self.value, self._px]):
            return True
        raw = self.server.get(self.keys.writer)
        other = _holder(raw) if raw else None
        self.lost = (
            f"this writer lost its claim on crawl '{self.keys.name}' (silent longer than "
            f"{self.ttl:g} s?): "
            + (f"another writer holds it ({describe(other)})" if other else "nobody holds it")
        )
        return False

    def start(self) -> None:
        """Renew the claim every third of its TTL, from a thread, until `release`."""
        self._stop = threading.Event()
        self._beating = threading.Thread(
            target=self._beat, name=f"writer-claim:{self.keys.name}", daemon=True
        )
        self._beating.start()

    def _beat(self) -> None:
        while not self._stop.wait(self.ttl / 3):
            try:
                if not self.renew():
                    return  # the writer stops on `lost` before its next commit
            except redis.RedisError as exc:
                logger.error("could not renew the writer's claim in Redis: %s", exc)

    def release(self) -> None:
        """Stop renewing and give the claim back if it is still ours, deleting the item stream
        when it is empty: a writer that stored nothing leaves no key behind."""
        self._stop.set()
        if self._beating is not None:
            self._beating.join(timeout=5)
        if self.held:
            self.held = False
            self._release(keys=[self.keys.writer, self.keys.items], args=[self.value])
