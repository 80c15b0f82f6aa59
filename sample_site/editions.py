"""Later editions of a fixture site: the same site some days on, for recurring crawls.

`Site.next_edition(added=5, edited=3, removed=1, seed=None)` (`next_edition` here) returns a new
Site (the old one is unchanged), deterministic for a given site and seed, whose `edition` is one
more than the old one's and whose `added_ids`, `edited_ids` (`retitled_ids`: those whose title
changed too) and `removed_ids` say what changed since it; `edition_time` is when the edition was
made, later than every date of the editions before. Editions chain (3 from 2, and so on). What
changes depends on the site's content and structure and on `seed`, never on the markup (the same
articles change whatever the markup, as `build_site` builds the same content in every markup).

- Added articles: newer than every other (higher ids, later dates: dates still increase with
  ids), at the top of the listing (every listing page shifts; the listing grows, nothing falls off
  it), modern, UTF-8, with comments like the others (posted before `edition_time`) and 3-6 In
  Other News links to reachable articles that are not hazards. They are never hazards.
- Edited articles (reachable, not hazards, not paywalled): a paragraph rewritten and an
  "Update: ..." paragraph appended; the first one chosen also gets a new title (`retitled_ids`).
  Id, URL, date, links and comments stay; `last_modified` (their page's Last-Modified) becomes
  `edition_time`.
- Removed articles (reachable, not hazards, not paywalled, not the seed article, carrying no
  hazard link, and whose removal leaves every other article reachable: never the only path to
  another one): every URL of theirs (article, comments, print...) answers 404 and they leave the
  listing; the links to them on other pages stay (dead links, as on real sites).
- Everything else is as it was, and the pages of unchanged articles and their comment threads are
  byte for byte those of the edition before (so their ETag too). Hence other pages' boxes (In
  Other News, Most Read...) keep naming an article by the title it was first published under
  (`GroundTruth.link_title`), and an article whose title changed keeps its URL, slug included
  (`Site.first_targets`). Listing pages, the home page and the feed change.

The ground truth (truth.py) describes the new edition: added articles in `expected()`, edited
ones with their new text and title, removed ones gone; In Other News lists keep the dead links to
removed articles (the truth keeps every link of the box, fetchable or not).
"""

from __future__ import annotations

import copy
import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from .content import AUTHORS, Writer
from .links import PROXY, Link, classic_related_href, with_params
from .model import FixtureArticle, FixtureComment

if TYPE_CHECKING:
    from .site import Site

UPDATES = (
    "Update: {force_cap} confirmed on {weekday} that {number} further reports had been received "
    "since this article was first published.",
    "Update: a spokesperson for {org} said on {weekday} that the review would now report in "
    "{month}.",
    "Update: {person} has since said that the case would be looked at again in {month}.",
    "Update: this article was amended on {weekday} after {org} corrected the figures it had given.",
)
ID_STEPS = (1, 1, 1, 2, 2, 3, 4, 7)  # gaps between consecutive ids, as build_site draws them


def next_edition(
    site: Site, *, added: int = 5, edited: int = 3, removed: int = 1, seed: int | None = None
) -> Site:
    """The next edition of `site` (see the module docstring). ValueError when the site has too
    few articles that may be edited or removed."""
    from .site import Site

    if min(added, edited, removed) < 0:
        raise ValueError("added, edited and removed must not be negative")
    number = site.edition + 1
    rng = random.Random(f"edition:{site.seed}:{number}:{seed}")
    reach = site.reachable_ids()
    assert _reachable(site, set()) == reach
    hazard_ids = {i for ids in site.hazards.values() for i in ids} | set(site.phantoms)
    ordinary = sorted(i for i in reach if i not in hazard_ids and not site.articles[i].paywalled)
    gone = _removals(site, rng, ordinary, reach, removed)
    rest = [i for i in ordinary if i not in gone]
    if edited > len(rest):
        raise ValueError(f"only {len(rest)} articles of this site can be edited, not {edited}")
    to_edit = rng.sample(rest, edited)

    articles = copy.deepcopy({i: a for i, a in site.articles.items() if i not in gone})
    writer = Writer(rng)
    titles = {a.title for a in site.articles.values()}
    titles |= {t.title for t in site.first_targets.values()} | set(site.phantom_titles.values())
    targets = sorted(reach - gone - hazard_ids, key=lambda i: site.articles[i].published)
    fresh = _new_articles(site, rng, writer, titles, targets[::-1], added)
    when = max([_latest(site)] + [_latest_of(a) for a in fresh])
    edition_time = when + timedelta(hours=rng.randint(1, 12), minutes=rng.randint(0, 59))
    articles.update((a.id, a) for a in fresh)

    first_targets = dict(site.first_targets)
    for i in gone:
        first_targets.setdefault(i, site.target(i))
    for k, i in enumerate(to_edit):
        a = articles[i]
        writer.year = a.published.year
        _rewrite(rng, writer, a)
        if k == 0:
            first_targets.setdefault(i, site.target(i))
            a.title = _unique_title(writer, a.category, titles)

    new_ids = [a.id for a in fresh]
    listed = new_ids[::-1] + [i for i in site.listed if i not in gone]
    new = Site(
        articles=articles,
        listed=listed,
        touch_seed=site.touch_seed,
        hazards={k: list(v) for k, v in site.hazards.items()},
        phantoms=dict(site.phantoms),
        phantom_titles=dict(site.phantom_titles),
        header_charsets=dict(site.header_charsets),
        seed=site.seed,
        hazards_enabled=site.hazards_enabled,
        markup=site.markup,
        related_links={i: list(v) for i, v in site.related_links.items() if i not in gone},
        listing_links={i: v for i, v in site.listing_links.items() if i not in gone},
        picks={i: list(v) for i, v in site.picks.items() if i not in gone},
    )
    new.edition, new.edition_time, new.first_targets = number, edition_time, first_targets
    new.added_ids, new.edited_ids = new_ids, sorted(to_edit)
    new.retitled_ids, new.removed_ids = sorted(to_edit[:1]), sorted(gone)
    new.modified = {i: t for i, t in site.modified.items() if i not in gone}
    new.modified.update((i, edition_time) for i in to_edit)
    _write_links(new, fresh)
    if new.reachable_ids() != (reach - gone) | set(new_ids):  # pragma: no cover - a bug
        raise AssertionError("the new edition lost or gained reachable articles")
    return new


def _reachable(site: Site, without: set[int]) -> set[int]:
    """`site.reachable_ids()` were the `without` articles gone: the listed articles and the seed,
    and every article their In Other News links lead to, transitively (listing pages lead to
    every listed article, comment threads back to their article)."""
    stack = [i for i in site.listed if i not in without] + [site.touch_seed]
    seen: set[int] = set()
    while stack:
        i = stack.pop()
        if i in seen or i in without or not site.fetchable(i):
            continue
        seen.add(i)
        stack.extend(t for kind, t in site.articles[i].related_targets if kind != "robots_draft")
    return seen


def _removals(
    site: Site, rng: random.Random, ordinary: list[int], reach: set[int], k: int
) -> set[int]:
    """`k` articles whose removal leaves every other reachable one reachable."""
    candidates = [
        i
        for i in ordinary
        if i != site.touch_seed
        and all(
            kind == "article" and t not in site.phantoms
            for kind, t in site.articles[i].related_targets
        )
    ]
    rng.shuffle(candidates)
    gone: set[int] = set()
    for i in candidates:
        if len(gone) == k:
            break
        trial = gone | {i}
        if _reachable(site, trial) == reach - trial:
            gone = trial
    if len(gone) < k:
        raise ValueError(f"only {len(gone)} articles of this site can be removed, not {k}")
    return gone


def _latest_of(a: FixtureArticle) -> datetime:
    return max([a.published] + [c.posted for c in a.comments])


def _latest(site: Site) -> datetime:
    """The latest date of the site: of an article, a comment, an edit or the edition itself."""
    dates = [_latest_of(a) for a in site.articles.values()] + list(site.modified.values())
    if site.edition_time is not None:
        dates.append(site.edition_time)
    return max(dates)


def _unique_title(writer: Writer, category: str, titles: set[str]) -> str:
    for _ in range(50):
        title = writer.title(category)
        if title not in titles:
            break
    else:  # pragma: no cover - the word lists are large
        title = f"{title} ({len(titles)})"
    titles.add(title)
    return title


def _rewrite(rng: random.Random, writer: Writer, a: FixtureArticle) -> None:
    """A paragraph rewritten, an "Update: ..." paragraph appended."""
    k = rng.randrange(len(a.paragraphs))
    used: set[str] = set()
    text = writer.paragraph(a.category, used)
    while text == a.paragraphs[k]:  # pragma: no cover - practically never
        text = writer.paragraph(a.category, used)
    a.paragraphs[k] = text
    a.paragraphs.append(writer.fill(rng.choice(UPDATES)))


def _new_articles(
    site: Site,
    rng: random.Random,
    writer: Writer,
    titles: set[str],
    targets: list[int],
    count: int,
) -> list[FixtureArticle]:
    """`count` articles newer than every other, by ascending id and date; `targets`: what
    their In Other News links may lead to, newest first."""
    taken = set(site.articles) | set(site.phantoms) | set(site.first_targets)
    next_id = max(taken) + rng.choice(ID_STEPS)
    published = _latest(site)
    out = []
    for _ in range(count):
        published += timedelta(hours=rng.randint(2, 40), minutes=rng.randint(0, 59))
        writer.year = published.year
        category = writer.category()
        a = FixtureArticle(
            id=next_id,
            layout="modern",
            title=_unique_title(writer, category, titles),
            author="" if rng.random() < 0.08 else rng.choice(AUTHORS),
            published=published,
            standfirst=writer.standfirst(category),
            paragraphs=writer.paragraphs(category),
            category=category,
        )
        a.bullets = writer.bullets(category) if rng.random() < 0.25 else []
        if rng.random() < 0.35:
            a.link_sentence = rng.randrange(min(3, len(a.paragraphs)))
        if rng.random() < 0.4:
            posted = sorted(
                published + timedelta(minutes=rng.randint(20, 60 * 24 * 20))
                for _ in range(rng.randint(1, 6))
            )
            a.comments = [
                FixtureComment(writer.commenter(), p, writer.comment_text()) for p in posted
            ]
        near = targets[:25]
        chosen: list[int] = []
        want = min(rng.randint(3, 6), len(targets))
        while len(chosen) < want:
            target = rng.choice(near if rng.random() < 0.6 else targets)
            if target not in chosen:
                chosen.append(target)
        a.related_targets = [("article", t) for t in chosen]
        a.related_titles = [site.link_title(t) for t in chosen]
        out.append(a)
        next_id += rng.choice(ID_STEPS)
    return out


def _write_links(site: Site, fresh: list[FixtureArticle]) -> None:
    """Spell the new articles' links for the site's markup, as build.py spells the others':
    each with a random generator of its own, so the content does not depend on the markup."""
    markup = site.markup
    retry = {i for key in ("retry_429", "retry_503", "retry_500_twice") for i in site.hazards[key]}
    pick_pool = [i for i in site.listed if i not in retry] or site.listed
    for a in fresh:
        aid = a.id
        rng = random.Random(f"{site.seed}:{markup.name}:related:{aid}")
        targets = [t for _, t in a.related_targets]
        if markup.name == "classic":
            links = [Link.parse(classic_related_href(rng, a.layout, t)) for t in targets]
        else:
            links = [markup.related_link(rng, "article", site.path(t)) for t in targets]
        site.related_links[aid] = links
        a.related = [link.href(PROXY) for link in links]
        rng = random.Random(f"{site.seed}:{markup.name}:listing:{aid}")
        path = site.path(aid)
        if markup.name != "classic":
            site.listing_links[aid] = markup.listing_link(rng, path)
        else:
            x = rng.random()
            if x < 0.1:
                site.listing_links[aid] = Link(path, "absolute")
            elif x < 0.15:
                tracking = "utm_source=homepage&utm_medium=listing"
                site.listing_links[aid] = Link(with_params(path, tracking))
            else:
                site.listing_links[aid] = Link(path)
        if markup.picks:
            rng = random.Random(f"{site.seed}:{markup.name}:picks:{aid}")
            related = {t for _, t in a.related_targets}
            pool = [i for i in pick_pool if i != aid and i not in related]
            site.picks[aid] = rng.sample(pool, min(markup.picks, len(pool)))
