"""The baseline: the crawler a user writes in an afternoon, in one file.

Follows every link on the site and calls trafilatura in the callback, on the reactor thread,
writing nothing but a JSON-lines feed. `bench/crawl_bench.py` runs it beside `police-archive crawl`
on the same fixture site and compares their cost per article.

    scrapy runspider bench/baseline_spider.py -a start=URL -o out.jsonl
"""

import scrapy
import trafilatura


class BaselineSpider(scrapy.Spider):
    name = "baseline"
    custom_settings = {"ROBOTSTXT_OBEY": True, "TELNETCONSOLE_ENABLED": False}

    def __init__(self, start="", domain="", **kwargs):
        super().__init__(**kwargs)
        self.start_urls = start.split(",")
        self.allowed_domains = [domain] if domain else []

    def parse(self, response):
        if not hasattr(response, "text"):
            return
        doc = trafilatura.bare_extraction(response.text, url=response.url, with_metadata=True)
        if doc is not None and doc.text:
            yield {
                "url": response.url,
                "title": doc.title,
                "author": doc.author,
                "date": doc.date,
                "text": doc.text,
            }
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, self.parse)
