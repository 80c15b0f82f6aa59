"""Reading pages, no Scrapy: fetched HTML to records (articles, comment threads, listings), link
discovery by what a reader sees, URLs, and site profiles as data."""
