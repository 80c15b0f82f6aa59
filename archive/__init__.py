"""The police-news archive: the crawler/archive contract (`archive.records`), the SQLite schema
(`archive.schema`) and the store (`archive.store`).

Deliberately empty: `archive.records` is imported by the crawler's extraction worker processes,
which should not pay for importing sqlite-utils. Import from the submodules.
"""
