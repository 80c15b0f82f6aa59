"""The police forces and people the archive's articles name: the gazetteer's bodies (`forces`),
each article's forces (`article_forces`) and people by rank (`people`), and the view a force's
page lists (`force_articles`). Written with each article (pages/tagging.py finds them as the
article is extracted) and by `police-archive retag`.
"""

from __future__ import annotations

from archive.schema import INT, TEXT, Index, Table, column

_c = column

FORCES = Table(
    "forces",
    "The police forces and policing bodies of the gazetteer the articles were tagged with "
    "(pages/gazetteer/forces.json): the territorial forces of England and Wales, Police "
    "Scotland, the PSNI, the national forces, the NCA, the watchdogs, the College of Policing, "
    "the NPCC, the staff associations and the Police and Crime Commissioners.",
    (
        _c("id", TEXT, "The body's id, e.g. `metropolitan`, `kent-pcc`, `iopc`.", not_null=True),
        _c("name", TEXT, "Its name, e.g. Metropolitan Police Service.", not_null=True),
        _c(
            "kind",
            TEXT,
            "territorial, national, special, agency, oversight, staff or pcc.",
            not_null=True,
        ),
        _c("nation", TEXT, "England, Wales, Scotland, Northern Ireland or UK.", not_null=True),
        _c("force", TEXT, "For a Police and Crime Commissioner: the force it oversees."),
        _c("names", TEXT, 'The names articles use for it, separated by "; ".', not_null=True),
        _c("version", TEXT, "The gazetteer version this row comes from.", not_null=True),
    ),
    pk="id",
)

ARTICLE_FORCES = Table(
    "article_forces",
    "One row per force or body an article names (its current version): how often, and "
    "whether its title or standfirst does. `forces.name` is the body's name.",
    (
        _c("article_url", TEXT, "The article (articles.url).", not_null=True),
        _c("force", TEXT, "The body (forces.id).", not_null=True),
        _c(
            "mentions", INT, "How many times the title, standfirst and text name it.", not_null=True
        ),
        _c(
            "in_headline",
            INT,
            "1 when the title or the standfirst names it (the story is about it), else 0.",
            not_null=True,
        ),
    ),
    indexes=(
        Index("article_forces_article", ("article_url", "force"), unique=True),
        Index("article_forces_force", ("force", "in_headline", "article_url")),
    ),
)

PEOPLE = Table(
    "people",
    'One row per person an article names with a police rank or office ("Det Supt Mark Lee", '
    '"Chief Constable Jane Smith", "Police and Crime Commissioner Katy Bourne"); a title '
    "without a name is not a person.",
    (
        _c("article_url", TEXT, "The article (articles.url).", not_null=True),
        _c("name", TEXT, 'The person\'s name, without rank or "Sir".', not_null=True),
        _c("rank", TEXT, "The most senior rank the article gives them, in full.", not_null=True),
        _c("force", TEXT, "The body named with them (forces.id); NULL when none is."),
        _c("mentions", INT, "How many times the article names them.", not_null=True),
    ),
    indexes=(
        Index("people_article", ("article_url", "name"), unique=True),
        Index("people_name", ("name",)),
        Index("people_force", ("force",)),
    ),
)

FORCE_ARTICLES = Table(
    "force_articles",
    "Articles by the forces and bodies they name, one row per article and force: filter on one "
    "force for its list (sort it by published).",
    (
        _c("force", TEXT, "The body (forces.id)."),
        _c("force_name", TEXT, "Its name."),
        _c("kind", TEXT, "Its kind (forces.kind)."),
        _c("nation", TEXT, "Its nation."),
        _c("in_headline", INT, "1 when the title or the standfirst names it."),
        _c("mentions", INT, "How many times the article names it."),
        _c("published", TEXT, "The article's publication date."),
        _c("title", TEXT, "The article's title."),
        _c("article_url", TEXT, "The article."),
        _c("site", TEXT, "The article's site."),
    ),
    kind="view",
    # The article's columns are looked up per row rather than joined, so that counting the view
    # (Datasette counts every page's rows) counts `article_forces` alone: 40 ms at 100,000
    # articles, where the join looked up every article (300 ms). Every row of article_forces is
    # written with its article.
    sql="""SELECT af.force, f.name AS force_name, f.kind, f.nation, af.in_headline, af.mentions,
       (SELECT published FROM articles WHERE url = af.article_url) AS published,
       (SELECT title FROM articles WHERE url = af.article_url) AS title,
       af.article_url,
       (SELECT site FROM articles WHERE url = af.article_url) AS site
FROM article_forces AS af
LEFT JOIN forces AS f ON f.id = af.force""",
)
