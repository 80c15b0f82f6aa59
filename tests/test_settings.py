"""crawler/settings.py, loaded as `scrapy crawl` loads it (scrapy.cfg at the repository root)."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.core.downloader.middleware import DownloaderMiddlewareManager
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

import crawler.settings as settings_module
from crawler.middlewares import RetryAfterMiddleware

ROOT = Path(__file__).resolve().parent.parent
CONTACT = "https://github.com/police-news-archive/police-news-archive"


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.chdir(ROOT)  # get_project_settings() finds scrapy.cfg from the working directory
    monkeypatch.delenv("SCRAPY_SETTINGS_MODULE", raising=False)
    monkeypatch.delenv("SCRAPY_PROJECT", raising=False)
    return get_project_settings()


def test_project_settings_are_this_module(settings: Settings) -> None:
    assert settings["BOT_NAME"] == "police_news"
    assert settings.getlist("SPIDER_MODULES") == ["crawler.spiders"]


def test_no_listening_consoles(settings: Settings) -> None:
    assert settings.getbool("TELNETCONSOLE_ENABLED") is False
    assert settings.getbool("REMOTE_CONTROL_ENABLED") is False
    extensions = settings.get_component_priority_dict_with_base("EXTENSIONS")
    assert extensions["scrapy.extensions.remote_control.RemoteControl"] is None


def test_polite(settings: Settings) -> None:
    assert settings.getbool("ROBOTSTXT_OBEY") is True
    assert CONTACT in settings["USER_AGENT"]
    assert settings["USER_AGENT"].startswith("police-news-archive/")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2
    assert settings.getfloat("DOWNLOAD_DELAY") == 0.5
    assert settings.getbool("AUTOTHROTTLE_ENABLED") is True
    assert settings.getbool("COOKIES_ENABLED") is False


def test_user_agent_can_be_overridden(settings: Settings) -> None:
    settings.set("USER_AGENT", "other-agent/1.0", priority="cmdline")  # as `-s USER_AGENT=...`
    assert settings["USER_AGENT"] == "other-agent/1.0"


def test_retry_middleware_swapped(settings: Settings) -> None:
    middlewares = settings.get_component_priority_dict_with_base("DOWNLOADER_MIDDLEWARES")
    assert middlewares["scrapy.downloadermiddlewares.retry.RetryMiddleware"] is None
    assert middlewares["crawler.middlewares.RetryAfterMiddleware"] == 550
    assert 429 in [int(code) for code in settings.getlist("RETRY_HTTP_CODES")]
    assert settings.getint("RETRY_TIMES") == 3
    assert settings.getfloat("RETRY_AFTER_MAX") == 120
    assert settings.getfloat("RETRY_BACKOFF_BASE") == 1.0
    assert settings.getfloat("RETRY_BACKOFF_MAX") == 30


def test_limits(settings: Settings) -> None:
    assert settings.getint("DOWNLOAD_MAXSIZE") == 8 * 1024 * 1024
    assert settings.getint("DOWNLOAD_WARNSIZE") == 2 * 1024 * 1024
    assert settings.getint("DOWNLOAD_TIMEOUT") == 30
    assert settings.getint("REDIRECT_MAX_TIMES") == 5


def test_project_settings(settings: Settings) -> None:
    assert settings["TWISTED_REACTOR"] == "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
    assert settings["ARCHIVE_DB"] == "police.db"
    assert settings.getint("EXTRACT_WORKERS") == 0
    assert settings.getdict("ITEM_PIPELINES") == {"crawler.pipelines.ArchivePipeline": 300}


def test_only_settings_in_the_module() -> None:
    names = [name for name in vars(settings_module) if not name.startswith("_")]
    assert all(name.isupper() for name in names), names


def test_retry_middleware_is_built_from_the_settings() -> None:
    values = {
        name: getattr(settings_module, name) for name in dir(settings_module) if name.isupper()
    }
    manager = DownloaderMiddlewareManager.from_crawler(get_crawler(settings_dict=values))
    classes = [type(mw) for mw in manager.middlewares]
    assert RetryAfterMiddleware in classes
    assert RetryMiddleware not in classes
