"""The archive, no Scrapy: the records the crawl hands over (the contract), the SQLite schema,
its migrations and the store.

Deliberately empty: `archive.records` is imported by the crawler's extraction worker processes,
which should not pay for importing sqlite-utils. Import from the submodules.
"""
