"""The Scrapy glue: the spider, its follow policy, the crawl's sites and bounds, middlewares, the
pipeline into the archive, settings and the summary. Pages are read by `pages`."""
