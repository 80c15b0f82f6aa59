"""Building the fixture site: generated articles, their links, hazards, and the markup.

`build_site(n, seed=..., hazards=..., markup=...)` builds a deterministic replica of Police Oracle.
Its content (articles, comments, listings, In Other News links, hazards) depends on `n`, `seed` and
`hazards` only; `markup` (one of `MARKUPS`, sample_site/markups/) decides how the pages are
written, including how each link is spelt and where the URLs put the ids, never what they link.
The classic markup's pages are those of the first release, byte for byte.

Structure
---------
- Articles are ordered by date; ids increase with date (with gaps, as on the real site). The older
  half have the classic table layout (2006-2012), the newer half the modern one (2013-2022).
- The listing (20 a page, newest first; page 1 also at ``/news/``) covers the newest 60% of the
  articles. Every older article is reachable only through In Other News links: each gets a
  "spine" link from a slightly newer article (never from a hazard or rate-limited page, never
  through a redirect), so by induction all of them are reachable from the listing.
- Every article has 3-6 In Other News links, spelt as real pages spell them (relative, absolute,
  on the touch host, with tracking and session parameters, ``id`` not first, fragments: each
  markup its own mix). Markups with other boxes (Most Read, Popular, Editor's picks) link from
  them to listed articles only (`Site.picks`).

Hazards (``hazards=True``; ids in `Site.hazards`, every key always present, lists maybe empty)
---------------------------------------------------------------------------------------------
Each hazard URL is linked from the In Other News box of some listed (so reachable) article.
(Sites of fewer than 10 articles cannot hold all the hazard links in boxes of at most 6.)
URLs below are those of the query-id markups; path-id ones are in schemes.py.

- ``robots_draft``: ids N linked as ``/news/draft.cfm?id=N`` (disallowed by robots.txt, with
  ``/private/`` and ``/search.cfm``). N is an article found nowhere else:
- ``unreachable``: those articles; they exist (their URL answers 200) but an obeying crawler
  never learns it, so they are not in `expected()`.
- ``legacy_story``: ids linked as ``/news/story.asp?id=N`` (301 to the article).
- ``legacy_chain``: ids linked as ``/news/archive/N.htm`` (302 to story.asp, then 301).
- ``redirect_loop``: the article URL -> 302 ``...&r=1`` -> 302 the article URL ...
- ``dead_404``, ``dead_410``: ids answering 404 / 410.
- ``pdf`` (200 application/pdf), ``empty`` (200 text/html, empty body), ``huge`` (200 text/html,
  ~12 MB, streamed), ``stall`` (answers after 20 s), ``always_500``.
- ``retry_429`` (429 + ``Retry-After: 2`` on the first request, then 200), ``retry_503`` (503 +
  ``Retry-After: 1`` first), ``retry_500_twice`` (500, 500, then 200): real, reachable articles;
  attempts are counted per article id across hosts and modes.
- ``charset_mismatch``: a windows-1252 article served with ``Content-Type: text/html;
  charset=iso-8859-1`` (its bytes have ’ “ ” –, which ISO-8859-1 maps to C1 controls; browsers,
  and w3lib, treat the label as windows-1252).
Content variety, present in both modes: ``windows_1252`` (bytes and ``<meta>`` in windows-1252,
HTTP ``Content-Type: text/html`` without charset; text contains ’ “ ” £ é –) and ``broken_html``
(pages with unclosed tags, in every markup). The redirect-loop, dead, pdf, empty, huge, stall and
always-500 ids are not articles (not in `Site.articles`); all the other ids are.

Ground truth: truth.py. Later editions of a site (`Site.next_edition`): editions.py.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from .content import AUTHORS, Writer
from .links import BASE, PROXY, Link, classic_related_href
from .markups import get_markup
from .model import FixtureArticle, FixtureComment
from .site import RETRY_KINDS, Site

LISTED_SHARE = 0.6

HAZARD_KEYS = (
    "robots_draft",
    "unreachable",
    "legacy_story",
    "legacy_chain",
    "redirect_loop",
    "dead_404",
    "dead_410",
    "pdf",
    "empty",
    "huge",
    "stall",
    "always_500",
    "retry_429",
    "retry_503",
    "retry_500_twice",
    "charset_mismatch",
    "windows_1252",
    "broken_html",
)
# Hazard ids that are not articles, and how many of each.
PHANTOM_KINDS = (
    ("dead_404", 3),
    ("dead_410", 2),
    ("redirect_loop", 1),
    ("pdf", 1),
    ("empty", 1),
    ("huge", 1),
    ("stall", 1),
    ("always_500", 1),
)


# --- building -------------------------------------------------------------------------------


def _dates(rng: random.Random, k: int, first_year: int, last_year: int) -> list[datetime]:
    start = datetime(first_year, 1, 1)
    days = (datetime(last_year, 12, 31) - start).days
    out: set[datetime] = set()
    while len(out) < k:
        out.add(
            start
            + timedelta(
                days=rng.randint(0, days), hours=rng.randint(7, 21), minutes=rng.randint(0, 59)
            )
        )
    return sorted(out)


def _count(total: int, share: float, minimum: int = 0) -> int:
    return min(total, max(minimum, round(total * share)))


def build_site(
    n_articles: int = 400, *, seed: int = 1, hazards: bool = True, markup: str = "classic"
) -> Site:
    """A deterministic fixture site of `n_articles` articles in `markup` (one of MARKUPS; see
    the module docstring). The content and its structure do not depend on the markup."""
    written = get_markup(markup)  # fails early on an unknown name
    if n_articles < 1:
        raise ValueError("n_articles must be at least 1")
    rng = random.Random(seed)  # content: identical with and without hazards
    srng = random.Random(seed * 1_000_003 + 11)  # structure shared by both modes
    hrng = random.Random(seed * 7_919 + 17)  # hazard choices
    lrng = random.Random(seed * 104_729 + 3)  # In Other News links
    writer = Writer(rng)

    n = n_articles
    n_modern = n // 2
    n_table = n - n_modern
    dates = _dates(rng, n_table, 2006, 2012) + _dates(rng, n_modern, 2013, 2022)
    ids: list[int] = []
    next_id = 20000 + rng.randint(0, 999)
    for _ in range(n):
        ids.append(next_id)
        next_id += rng.choice((1, 1, 1, 2, 2, 3, 4, 7))

    table_idx = list(range(n_table))
    modern_idx = list(range(n_table, n))
    paywalled = set(rng.sample(modern_idx, _count(n_modern, 0.06)))
    n_cp = min(n, max(2 if n >= 10 else 0, round(n * 0.05)))
    n_cp_table = min(n_table, math.ceil(n_cp * 0.8))
    cp1252 = set(rng.sample(table_idx, n_cp_table))
    cp_modern = [i for i in modern_idx if i not in paywalled]
    cp1252 |= set(rng.sample(cp_modern, min(len(cp_modern), n_cp - n_cp_table)))
    broken_pool = [i for i in table_idx if i not in cp1252]
    broken = set(rng.sample(broken_pool, min(len(broken_pool), _count(n_table, 0.03, 1))))
    commented = set(rng.sample(range(n), _count(n, 0.4)))

    articles: dict[int, FixtureArticle] = {}
    titles: set[str] = set()
    for i, (published, aid) in enumerate(zip(dates, ids, strict=True)):
        writer.year = published.year
        category = writer.category()
        title = writer.title(category)
        tries = 0
        while title in titles:
            tries += 1
            title = writer.title(category)
            if tries > 50:
                title = f"{title} ({aid})"
        titles.add(title)
        author = "" if rng.random() < 0.08 else rng.choice(AUTHORS)
        standfirst = writer.standfirst(category)
        lead = writer.cp1252_sentence() if i in cp1252 else ""
        paragraphs = writer.paragraphs(category, lead=lead)
        bullets = writer.bullets(category) if rng.random() < 0.25 else []
        link_sentence = rng.randrange(min(3, len(paragraphs))) if rng.random() < 0.35 else None
        comments: list[FixtureComment] = []
        if i in commented:
            posted = sorted(
                published + timedelta(minutes=rng.randint(20, 60 * 24 * 20))
                for _ in range(rng.randint(1, 6))
            )
            comments = [
                FixtureComment(writer.commenter(), p, writer.comment_text()) for p in posted
            ]
        articles[aid] = FixtureArticle(
            id=aid,
            layout="table" if i < n_table else "modern",
            title=title,
            author=author,
            published=published,
            standfirst=standfirst,
            paragraphs=paragraphs,
            category=category,
            bullets=bullets,
            link_sentence=link_sentence,
            paywalled=i in paywalled,
            comments=comments,
            encoding="windows-1252" if i in cp1252 else "utf-8",
            broken=i in broken,
        )

    order = sorted(articles, key=lambda k: articles[k].published, reverse=True)  # newest first
    n_listed = max(1, round(n * LISTED_SHARE))
    listed, unlisted = order[:n_listed], order[n_listed:]
    seed_pool = [i for i in listed if articles[i].layout == "modern" and not articles[i].paywalled]
    touch_seed = srng.choice(seed_pool or listed)
    listing_hrefs = {}
    for i in listed:
        x = srng.random()
        if x < 0.1:
            listing_hrefs[i] = f"{BASE}/news/article.cfm?id={i}"
        elif x < 0.15:
            listing_hrefs[i] = f"/news/article.cfm?id={i}&utm_source=homepage&utm_medium=listing"
        else:
            listing_hrefs[i] = f"/news/article.cfm?id={i}"

    hz: dict[str, list] = {k: [] for k in HAZARD_KEYS}
    hz["windows_1252"] = sorted(ids[i] for i in cp1252)
    hz["broken_html"] = sorted(ids[i] for i in broken)
    phantoms: dict[int, str] = {}
    phantom_titles: dict[int, str] = {}
    header_charsets: dict[int, str] = {}
    # id -> (classic href, title, kind, target)
    forced: dict[int, list[tuple[str, str, str, int]]] = {i: [] for i in articles}
    forced_targets: dict[int, set[int]] = {i: set() for i in articles}
    orphans: set[int] = set()
    retry_ids: set[int] = set()
    hazard_links: list[tuple[str, str, int]] = []  # (link kind, title, id)

    if hazards:
        orphans = set(hrng.sample(unlisted, min(2, len(unlisted) // 3)))
        hz["unreachable"] = hz["robots_draft"] = sorted(orphans)
        retry_pool = [i for i in listed if i != touch_seed]
        picks = hrng.sample(retry_pool, min(len(retry_pool) // 2, sum(k for _, k in RETRY_KINDS)))
        for key, k in RETRY_KINDS:
            hz[key], picks = sorted(picks[:k]), picks[k:]
            retry_ids.update(hz[key])
        cp_table = [ids[i] for i in sorted(cp1252) if i < n_table and ids[i] not in orphans]
        if len(hz["windows_1252"]) >= 2 and cp_table:
            trap = hrng.choice(cp_table)
            hz["charset_mismatch"] = [trap]
            header_charsets[trap] = "iso-8859-1"
        known = set(articles)
        gaps = [i for i in range(min(known), max(known)) if i not in known]
        n_phantoms = sum(k for _, k in PHANTOM_KINDS)
        chosen = hrng.sample(gaps, min(len(gaps), n_phantoms))
        chosen += [max(known) + 1 + k for k in range(n_phantoms - len(chosen))]
        for key, k in PHANTOM_KINDS:
            hz[key], chosen = sorted(chosen[:k]), chosen[k:]
            for pid in hz[key]:
                phantoms[pid] = key
                phantom_titles[pid] = writer_title(hrng, titles)
        legacy_pool = [i for i in order if i not in orphans and i not in retry_ids]
        legacy = hrng.sample(legacy_pool, min(len(legacy_pool), 5))
        hz["legacy_story"], hz["legacy_chain"] = sorted(legacy[:3]), sorted(legacy[3:])
        for key in (
            "dead_404",
            "dead_410",
            "redirect_loop",
            "pdf",
            "empty",
            "huge",
            "stall",
            "always_500",
        ):
            hazard_links += [("article", phantom_titles[i], i) for i in hz[key]]
        hazard_links += [("legacy_story", articles[i].title, i) for i in hz["legacy_story"]]
        hazard_links += [("legacy_chain", articles[i].title, i) for i in hz["legacy_chain"]]
        hazard_links += [("robots_draft", articles[i].title, i) for i in hz["robots_draft"]]

    # Spine: every unlisted article gets a link from a slightly newer reachable article.
    position = {aid: k for k, aid in enumerate(order)}

    def ok(parent: int) -> bool:
        return parent not in orphans and parent not in retry_ids and len(forced[parent]) < 5

    for child in unlisted:
        if child in orphans:
            continue
        k = position[child]
        window = [p for p in order[max(0, k - 12) : k] if ok(p)]
        parent = lrng.choice(window or [p for p in order[:k] if ok(p)] or order[:k])
        href = classic_related_href(lrng, articles[parent].layout, child)
        forced[parent].append((href, articles[child].title, "article", child))
        forced_targets[parent].add(child)

    # Hazard links go on listed, non-rate-limited pages (reached early, fetched once).
    hosts = [i for i in listed if i not in retry_ids] or listed
    for kind, title, target in hazard_links:
        room = [
            h
            for h in hosts
            if len(forced[h]) < 4 and target not in forced_targets[h] and h != target
        ]
        host = lrng.choice(room or hosts)
        if kind == "article":
            href = classic_related_href(lrng, articles[host].layout, target)
        elif kind == "legacy_story":
            href = f"/news/story.asp?id={target}"
        elif kind == "legacy_chain":
            href = f"/news/archive/{target}.htm"
        else:
            href = f"/news/draft.cfm?id={target}"
        forced[host].append((href, title, kind, target))
        forced_targets[host].add(target)

    # Fill every box to 3-6 links with ordinary related articles.
    pool = [i for i in order if i not in orphans]
    for aid in order:
        links = list(forced[aid])
        used = set(forced_targets[aid]) | {aid}
        want = max(lrng.randint(3, 6), len(links))
        k = position[aid]
        near = [i for i in order[max(0, k - 25) : k + 25] if i not in orphans]
        guard = 0
        while len(links) < want and guard < 200 and len(used) < len(pool) + 1:
            guard += 1
            target = lrng.choice(near if lrng.random() < 0.6 else pool)
            if target in used:
                continue
            used.add(target)
            href = classic_related_href(lrng, articles[aid].layout, target)
            links.append((href, articles[target].title, "article", target))
        lrng.shuffle(links)
        articles[aid].related = [link[0] for link in links]
        articles[aid].related_titles = [link[1] for link in links]
        articles[aid].related_targets = [(link[2], link[3]) for link in links]

    site = Site(
        articles=articles,
        listed=listed,
        touch_seed=touch_seed,
        hazards=hz,
        phantoms=phantoms,
        phantom_titles=phantom_titles,
        header_charsets=header_charsets,
        seed=seed,
        hazards_enabled=hazards,
        markup=written,
        related_links={},
        listing_links={},
        picks={},
    )
    _write_links(site, listing_hrefs, [i for i in listed if i not in retry_ids] or listed)
    return site


def _write_links(site: Site, classic_listing: dict[int, str], pick_pool: list[int]) -> None:
    """Spell the site's links for its markup. The classic markup keeps the hrefs drawn above;
    the others draw theirs with random generators of their own (one per page), so that the
    content and structure stay the same whatever the markup."""
    markup = site.markup
    for aid, a in site.articles.items():
        if markup.name == "classic":
            site.related_links[aid] = [Link.parse(href) for href in a.related]
            continue
        rng = random.Random(f"{site.seed}:{markup.name}:related:{aid}")
        links = []
        for kind, target in a.related_targets:
            if kind == "article":
                path = site.path(target)
            elif kind == "robots_draft":
                path = site.scheme.draft(site.target(target))
            else:
                path = site.scheme.legacy(kind, target)
            links.append(markup.related_link(rng, kind, path))
        site.related_links[aid] = links
        a.related = [link.href(PROXY) for link in links]
    for i in site.listed:
        if markup.name == "classic":
            site.listing_links[i] = Link.parse(classic_listing[i])
        else:
            rng = random.Random(f"{site.seed}:{markup.name}:listing:{i}")
            site.listing_links[i] = markup.listing_link(rng, site.path(i))
    if markup.picks:
        for aid in site.articles:
            rng = random.Random(f"{site.seed}:{markup.name}:picks:{aid}")
            related = {target for _, target in site.articles[aid].related_targets}
            pool = [i for i in pick_pool if i != aid and i not in related]
            site.picks[aid] = rng.sample(pool, min(markup.picks, len(pool)))


def writer_title(rng: random.Random, taken: set[str]) -> str:
    """A headline for a page that is not an article (hazard targets), distinct from the rest."""
    writer = Writer(rng)
    for _ in range(100):
        title = writer.title(writer.category())
        if title not in taken:
            taken.add(title)
            return title
    return "Police Oracle"  # pragma: no cover
