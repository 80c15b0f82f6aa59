"""A small archive with known content, written through `Archive`, for the publishing tests.

Five articles linked to one another (In Other News, More News, one link to a page that is not
archived), comments with e-mail addresses, a listing, a finished crawl with failed fetches and a
retry queue entry: something on every page, facet and canned query the archive publishes.
`Client` asks a Datasette for its pages without a server.
"""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from archive.records import Article, Comment, CommentThread, Link, Listing
from archive.store import Archive
from pages.tagging import gazetteer_rows, tag

BASE = "https://www.policeoracle.com/news/article.cfm?id="
BURGLAR, KNIFE, PAY, STOP, CAMERAS = (f"{BASE}{n}" for n in (1001, 1002, 1003, 1004, 1005))
NOT_ARCHIVED = f"{BASE}9999"
LISTING = "https://www.policeoracle.com/news/"
JOHN_EMAIL = "john.doe@example.com"


def ion(*urls: str) -> tuple[Link, ...]:
    return tuple(Link(u, "in_other_news", f"anchor {u[-4:]}") for u in urls)


ARTICLES = (
    Article(
        url=BURGLAR,
        title="Burglar jailed after string of burglaries",
        author="Jane Smith",
        published="2019-03-14T10:00:00",
        standfirst="A prolific burglar has been jailed for six years.",
        text="A prolific burglar has been jailed for six years.\n\n"
        "Detectives from Greater Manchester Police linked him to forty burglaries.\n\n"
        "The judge praised the co-operation of victims.",
        category="Crime",
        site="policeoracle",
        comment_count=3,
        extractor="profile:policeoracle/table",
        links=(*ion(KNIFE, PAY, NOT_ARCHIVED), Link(KNIFE, "more_news", "More News")),
    ),
    Article(
        url=KNIFE,
        title="Knife crime falls in the capital",
        author="Tom Brown",
        published="2020-08-12T17:04:00",
        standfirst="Knife crime has fallen for the first time in five years.",
        text="Knife crime has fallen for the first time in five years.\n\n"
        "Officers credit targeted patrols. <script>alert('x')</script>",
        category="Crime",
        site="policeoracle",
        comment_count=1,
        links=ion(BURGLAR, PAY),
    ),
    Article(
        url=PAY,
        title="Federation warns over pay award",
        author="",
        published="2020-08-30",
        text="The Federation says the pay award falls short.",
        category="Pay and Conditions",
        site="policeoracle",
        paywalled=True,
        links=ion(BURGLAR),
    ),
    Article(
        url=STOP,
        title="Stop and search powers reviewed",
        author="Tom Brown",
        published="2021-01-05T09:30:00",
        text="Stop and search powers are to be reviewed by the Home Office.",
        category="Justice",
        site="policeprofessional",
        links=ion(BURGLAR),
    ),
    Article(
        url=CAMERAS,
        title="Body-worn cameras for every officer",
        author="Jane Smith",
        published="2018-11-02",
        text="Every officer will wear a camera, said Chief Constable Sean O'Brien of Kent "
        "Police.\n\n"
        "Body-worn video has improved evidence gathering.",
        category="Technology",
        site="policeoracle",
    ),
)

COMMENTS = {
    BURGLAR: (
        Comment("Constable Dave", "2019-03-14T12:00:00", "Good result for the team."),
        Comment(
            "John Doe",
            "2019-03-15T08:30:00",
            f"Write to me at {JOHN_EMAIL} about the burglaries.",
        ),
        Comment("jane [at] example [dot] org", "2019-04-01T09:00:00", "Burglary is up here."),
    ),
    KNIFE: (Comment("Sarah", "2020-08-13T07:15:00", "Knife crime is still too high."),),
}


def build_archive(path: str | Path) -> Path:
    """Write the archive to `path` (which must not exist) and return the path."""
    path = Path(path)
    clock = [datetime(2024, 5, 1, 12, 0, tzinfo=UTC)]

    def now() -> datetime:
        clock[0] += timedelta(seconds=1)
        return clock[0]

    with Archive.open(path, now=now) as archive:
        crawl = archive.start_crawl(seeds=[LISTING], settings={"DOWNLOAD_DELAY": 0.5})
        listing = tuple(Link(u, "listing", "") for u in (BURGLAR, KNIFE))
        archive.save_listing(Listing(LISTING, listing), crawl_id=crawl)
        archive.log_fetch(crawl_id=crawl, url=LISTING, status=200, outcome="listing")
        archive.save_gazetteer(*gazetteer_rows())  # as a crawl does
        for article in ARTICLES:
            archive.log_fetch(crawl_id=crawl, url=article.url, status=200, outcome="article")
            archive.save_article(tag(article), crawl_id=crawl)  # tagged as parse_page does
        for url, comments in COMMENTS.items():
            thread = CommentThread(url, comments, fetched_url=url.replace("article", "comments"))
            archive.save_comments(thread, crawl_id=crawl)
        archive.log_fetch(crawl_id=crawl, url=NOT_ARCHIVED, outcome="failed", reason="timeout")
        archive.queue_retry(NOT_ARCHIVED, reason="timeout", crawl_id=crawl)
        archive.log_fetch(crawl_id=crawl, url=STOP, status=404, outcome="failed", reason="http_404")
        # the old URL scheme of an article, which redirected to it
        archive.add_alias(BASE.replace("article.cfm?id=", "story.asp?id=") + "1001", BURGLAR,
                          crawl_id=crawl)  # fmt: skip
        archive.finish_crawl(crawl, finish_reason="finished", counts={}, stats={"x": 1})
    return path


class LiveWriter:
    """A crawl writing articles into an archive from a thread while a test reads it.

    Writes up to `limit` articles (ids from `first_id`) in small batches until the `with` block
    ends; `written` lists their URLs in order, `errors` what the writer raised.
    """

    def __init__(self, path: Path, *, first_id: int, limit: int, text: str, **archive_options):
        self.path, self.first_id, self.limit, self.text = path, first_id, limit, text
        self.options = archive_options  # batch_size, batch_seconds
        self.written: list[str] = []
        self.errors: list[Exception] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._crawl)

    def _crawl(self) -> None:
        try:
            with Archive.open(self.path, **self.options) as archive:
                crawl_id = archive.start_crawl(seeds=[], settings={})
                for i in range(1, self.limit + 1):
                    if self._stop.is_set():
                        break
                    url = f"{BASE}{self.first_id + i}"
                    archive.save_article(
                        Article(url, f"Live article {i}", "", "2024-05-01", self.text),
                        crawl_id=crawl_id,
                    )
                    self.written.append(url)
                archive.finish_crawl(crawl_id, finish_reason="finished", counts={}, stats={})
        except Exception as exc:  # the test asserts there is none
            self.errors.append(exc)

    def __enter__(self) -> LiveWriter:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()


class Client:
    """Datasette's client on one event loop, for plain (synchronous) tests."""

    def __init__(self, ds):
        self.ds = ds
        self.loop = asyncio.new_event_loop()

    def get(self, path: str, status: int | None = 200):
        response = self.loop.run_until_complete(self.ds.client.get(path))
        if status is not None:
            assert response.status_code == status, (path, response.text[:2000])
        return response

    def json(self, path: str, **params) -> dict:
        """The JSON of the page at `path` (rows as objects), with `params` in the query string."""
        if not path.endswith(".json"):
            path += ".json"
        return self.get(f"{path}?{urlencode({'_shape': 'objects', **params})}").json()

    def close(self):
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()
