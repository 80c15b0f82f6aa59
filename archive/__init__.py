"""The police-news archive: the crawler/archive contract (`archive.article`), the SQLite schema
(`archive.schema`) and the store (`archive.store`).

Deliberately empty: `archive.article` is imported by the crawler's extraction worker processes,
which should not pay for importing sqlite-utils. Import from the submodules.
"""
