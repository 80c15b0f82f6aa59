"""The archive's views: tables joined and split the way researchers and scripts read them
(part of the contract, as the tables of archive/tables.py are; created with the schema).
"""

from __future__ import annotations

from archive.schema import INT, TEXT, Table, column

_c = column


ARTICLE_LINKS = Table(
    "article_links",
    "Links with the titles of the pages at both ends (NULL when that end is not an archived "
    "article).",
    (
        _c("from_url", TEXT, "Page holding the link."),
        _c("from_title", TEXT, "Title of that page, when it is an archived article."),
        _c("to_url", TEXT, "Link target."),
        _c("to_title", TEXT, "Title of the target, when it is an archived article."),
        _c("section", TEXT, "Page section the link is in."),
        _c("anchor", TEXT, "The link's visible text."),
        _c("first_seen", TEXT, "When the link was first seen (UTC)."),
        _c("last_seen", TEXT, "When the link was last seen (UTC)."),
        _c("removed", TEXT, "When the page first no longer showed it; NULL while shown."),
    ),
    kind="view",
    sql="""SELECT l.from_url, fa.title AS from_title, l.to_url, ta.title AS to_title,
       l.section, l.anchor, l.first_seen, l.last_seen, l.removed
FROM links AS l
LEFT JOIN articles AS fa ON fa.url = l.from_url
LEFT JOIN articles AS ta ON ta.url = l.to_url""",
)

ARTICLE_AUTHORS = Table(
    "article_authors",
    'One row per author of each article: `articles.author` split at its separator "; " '
    "(several authors are stored in byline order, a desk or an agency as named), for faceting "
    "and filtering by author.",
    (
        _c("article_url", TEXT, "The article (articles.url)."),
        _c("position", INT, "The author's place in the byline, from 1."),
        _c("author", TEXT, 'One author: a person, a desk or an agency ("PA Media").'),
        _c("title", TEXT, "The article's title."),
        _c("published", TEXT, "The article's publication date."),
        _c("site", TEXT, "The article's site."),
    ),
    kind="view",
    sql="""WITH RECURSIVE split(article_url, position, author, rest) AS (
  SELECT url, 0, '', author || '; ' FROM articles WHERE author != ''
  UNION ALL
  SELECT article_url, position + 1, trim(substr(rest, 1, instr(rest, '; ') - 1)),
         substr(rest, instr(rest, '; ') + 2)
  FROM split WHERE rest != ''
)
SELECT s.article_url, s.position, s.author, a.title, a.published, a.site
FROM split AS s JOIN articles AS a ON a.url = s.article_url
WHERE s.position > 0 AND s.author != ''""",
)
