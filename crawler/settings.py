"""Scrapy settings of the police-news crawler (scrapy.cfg: ``default = crawler.settings``).

Only settings that differ from Scrapy 2.19's defaults or that the project reads itself; any of
them can be overridden per crawl with ``-s NAME=VALUE``.
"""

BOT_NAME = "police_news"  # the project name Scrapy logs and stats use
SPIDER_MODULES = ["crawler.spiders"]  # where `scrapy crawl` looks for spiders
NEWSPIDER_MODULE = "crawler.spiders"  # where `scrapy genspider` puts new ones

# Identify the crawler and how to reach its operators.
USER_AGENT = (
    "police-news-archive/0.1 "
    "(+https://github.com/police-news-archive/police-news-archive; archive crawler)"
)
ROBOTSTXT_OBEY = True  # fetch and honour each site's robots.txt

CONCURRENT_REQUESTS = 16  # requests in flight across all sites
CONCURRENT_REQUESTS_PER_DOMAIN = 2  # and per site: a small trade-press server
DOWNLOAD_DELAY = 0.5  # minimum seconds between requests to one site (randomised 0.5x-1.5x)
AUTOTHROTTLE_ENABLED = True  # slow down further when the site's responses slow down
AUTOTHROTTLE_START_DELAY = 1  # initial delay (seconds) before AutoThrottle has measurements
AUTOTHROTTLE_MAX_DELAY = 30  # the longest delay AutoThrottle sets under high latency
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0  # aim for one request in flight per site on average

DOWNLOAD_TIMEOUT = 30  # seconds before a download counts as timed out (and is retried)
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024  # a news page over 8 MiB is not a news page: cancelled
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024  # log a warning for responses over 2 MiB
REDIRECT_MAX_TIMES = 5  # give up on redirect chains longer than this (loops)
# Items processed in parallel per response: Scrapy starts that many asyncio tasks for every
# response, and a page here yields one item and a few requests (100, the default, cost 25% CPU).
CONCURRENT_ITEMS = 8
COOKIES_ENABLED = False  # news pages need no cookies, and cookies bring session ids into URLs

RETRY_ENABLED = True  # retry transient failures (crawler.middlewares.RetryAfterMiddleware)
RETRY_TIMES = 3  # retries after the first attempt
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]  # statuses worth retrying
RETRY_AFTER_MAX = 120  # longest Retry-After (seconds) honoured; longer ones give up on the URL
RETRY_BACKOFF_BASE = 1.0  # seconds before the first retry without Retry-After; doubles each time
RETRY_BACKOFF_MAX = 30  # the longest backoff wait in seconds
# The built-in retry middleware ignores Retry-After and retries at once: replace it.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.RetryAfterMiddleware": 550,
    # the crawl's sites, checked for every request and redirect hop, before robots.txt (100)
    "crawler.boundary.BoundaryMiddleware": 50,
    # Scrapy's lets the requests waiting for a host's robots.txt through (crawler/robots.py)
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.robots.RobotsTxtMiddleware": 100,
    # a body over DOWNLOAD_MAXSIZE is too_large by type, however it comes (crawler/downloads.py):
    # cut at the cap by the download handler, or decompressed past it (Scrapy's refusal, typed)
    "crawler.downloads.SizeLimitMiddleware": 800,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawler.downloads.DecompressionLimitMiddleware": 590,
    # redirects whose loops are typed (crawler/redirects.py)
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.redirects.TypedRedirectMiddleware": 600,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.redirects.TypedMetaRefreshMiddleware": 580,
    # the archived capture's validators on each request: an unchanged page costs a 304
    "crawler.revisits.ConditionalRequestMiddleware": 560,
    # every response and its request, as received, into WARC files (crawler/warc.py): between
    # DownloaderStats (850) and the download handler, before decompression, redirects, retries
    "crawler.warc.WarcMiddleware": 880,
}

TELNETCONSOLE_ENABLED = False  # no telnet console listening on a local port
REMOTE_CONTROL_ENABLED = False  # no Scrapy 2.19 remote-control endpoint
EXTENSIONS = {
    "scrapy.extensions.remote_control.RemoteControl": None,  # nor its extension
    "crawler.progress.Progress": 500,  # the live progress line (PROGRESS_ENABLED)
    "crawler.report.CrawlReport": 510,  # the end-of-crawl summary in the log (CRAWL_REPORT_ENABLED)
}
CRAWL_REPORT_ENABLED = True  # `police-archive crawl` prints the summary itself instead
PROGRESS_ENABLED = False  # `police-archive crawl` turns it on when stderr is a terminal
PROGRESS_INTERVAL = 0.5  # seconds between refreshes of the progress line

# The asyncio reactor (Scrapy's default, stated because the extraction process pool is fed with
# asyncio's run_in_executor and the retry middleware sleeps with asyncio).
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

ITEM_PIPELINES = {"crawler.pipelines.ArchivePipeline": 300}  # every PageItem into the archive
ARCHIVE_DB = "police.db"  # the SQLite archive the pipeline writes
# Bounds (crawler/follow.py), each counted in the summary when it stops a link; 0 = none.
MAX_PAGES = 0  # the most pages a crawl requests, seeds included (--max-pages)
RELATED_DEPTH_LIMIT = 100  # related links (In Other News, More News, comments) in a chain
PAGINATION_LIMIT = 1000  # pages followed along one listing's pagination
TRAP_PATIENCE = 5  # listing pages in a row without a new entry before a chain is a trap
# False: from the seeds only their comment threads are followed (`police-archive backfill`
# without --follow: the seeds are the crawl)
FOLLOW_FROM_SEEDS = True
# Site profiles (pages/profiles.py): folders of your own *.toml profiles, besides the packaged
# ones; and whether NAME.localhost serves a loopback replica of a profiled NAME.com.
PROFILES_DIRS: list[str] = []
PROFILE_LOCALHOST_MIRRORS = True
ARCHIVE_RETRY_FAILED = True  # also start from the retry queue and an unfinished crawl's seeds
ARCHIVE_RESUME = True  # resume the latest crawl from its frontier when it did not finish
# Recurring crawls (crawler/revisits.py): AGE:INTERVAL rules for revisiting archived articles
# ("all" = "*:0", "none" = "*:never"), and whether requests carry the capture's validators.
REVISIT_POLICY = "2d:0, 30d:1d, 365d:7d, *:30d"
REVISIT_CONDITIONAL = True
# The raw capture (crawler/warc.py): gzip WARC files, one set per crawl, in WARC_DIR ("" = a warc/
# folder beside ARCHIVE_DB), a new file once one holds WARC_MAX_SIZE bytes.
WARC_ENABLED = True
WARC_DIR = ""
WARC_MAX_SIZE = 1_000_000_000
EXTRACT_WORKERS = 0  # extraction worker processes; 0 = one per CPU core but one, at least one
# Settings copied into each crawl's row of the `crawls` table, to tell how a crawl was run.
ARCHIVE_RECORDED_SETTINGS = [
    "USER_AGENT",
    "ROBOTSTXT_OBEY",
    "CONCURRENT_REQUESTS",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_DELAY",
    "AUTOTHROTTLE_ENABLED",
    "DOWNLOAD_TIMEOUT",
    "DOWNLOAD_MAXSIZE",
    "RETRY_TIMES",
    "MAX_PAGES",
    "FOLLOW_FROM_SEEDS",
    "EXTRACT_WORKERS",
    "REVISIT_POLICY",
    "WARC_ENABLED",
    "WARC_DIR",
]

FEED_EXPORT_ENCODING = "utf-8"  # feeds (-o) in UTF-8, not \u-escaped JSON
LOG_LEVEL = "INFO"  # DEBUG logs every request and item
