"""Crawls queued over HTTP with Scrapyd: scrapy.cfg's [deploy] target, setup.py and deploy/scrapyd/
work as written, and so does the cron recipe deploy/cron/scrapyd-schedule.cron.

Scrapyd 1.6 runs from its own environment (.venv-scrapyd, `make scrapyd-env`: it needs
setuptools<81), started on a free port of 127.0.0.1 with deploy/scrapyd/scrapyd.conf in a
temporary folder. `scrapyd-deploy` packs a copy of the checkout (its [deploy] target pointed at that
port) into an egg and uploads it. The cron line, run under cron's bare environment, schedules a
crawl of the fixture site on 127.0.0.1: the archive must hold exactly the fixture's articles and
a finished crawl. A job scheduled while another process holds the archive's lock is refused,
and its log says why.

Without the Scrapyd environment (or curl) the Scrapyd tests skip, except under CI=true, where they
fail: `make test` builds the environment first.
"""

from __future__ import annotations

import configparser
import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import time
import tomllib
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from archive import lock
from sample_site import build_site, serve_site
from tests.crawl_check import loopback_env
from tests.processes import free_port, stop

ROOT = Path(__file__).parent.parent
SCRAPYD_VENV = ROOT / ".venv-scrapyd"
CONF = ROOT / "deploy" / "scrapyd" / "scrapyd.conf"
CRON = ROOT / "deploy" / "cron" / "scrapyd-schedule.cron"
DEFAULT_URL = "http://127.0.0.1:6800/"  # scrapy.cfg's [deploy] target and the cron line's
SEED = "https://www.policeoracle.com/news/"  # the cron line's seed
PROJECT = SPIDER = "police_news"
# fast settings for the fixture site only (the recipe keeps the polite defaults)
FAST = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
}
# as `make scrapyd` starts it: Scrapyd 1.6's pkg_resources warns on every job
PKG_RESOURCES_WARNING = "ignore:pkg_resources is deprecated as an API:UserWarning"
DEADLINE = 240  # seconds for a job to finish: generous, for a loaded two-core machine


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _require(ok: bool, message: str) -> None:
    if not ok:
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)


def _packages() -> list[str]:
    """The top-level packages setuptools packs (pyproject's packages.find include)."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return [p.rstrip("*") for p in data["tool"]["setuptools"]["packages"]["find"]["include"]]


def _modules(root: Path) -> set[str]:
    """The .py files of the packages under `root`, as paths relative to it."""
    return {
        p.relative_to(root).as_posix()
        for package in _packages()
        for p in (root / package).rglob("*.py")
        if "__pycache__" not in p.parts
    }


def test_every_package_folder_has_an_init_module():
    """setup.py's find_packages skips a folder without __init__.py: the egg would lack it."""
    folders = {(ROOT / m).parent for m in _modules(ROOT)}
    missing = sorted(str(f.relative_to(ROOT)) for f in folders if not (f / "__init__.py").exists())
    assert not missing, f"package folders without __init__.py: {missing}"


def test_the_deploy_target_and_the_scrapyd_config_are_loopback():
    text = (ROOT / "scrapy.cfg").read_text()
    assert f"url = {DEFAULT_URL}" in text and f"project = {PROJECT}" in text
    conf = configparser.ConfigParser(interpolation=None)
    conf.read_string(CONF.read_text())
    assert conf["scrapyd"]["bind_address"] == "127.0.0.1"
    assert conf["scrapyd"]["http_port"] == "6800"
    assert 'settings = "crawler.settings"' in (ROOT / "pyproject.toml").read_text()


# ---------------------------------------------------------------------------------------------
# A real Scrapyd


@dataclass
class Scrapyd:
    url: str  # http://127.0.0.1:PORT/
    folder: Path  # its eggs/, logs/, dbs/ and scrapyd.log
    env: dict[str, str]
    deployed: dict  # addversion.json's answer

    def api(self, endpoint: str, data: dict[str, str] | None = None) -> dict:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only
        with opener.open(self.url + endpoint, body, timeout=60) as response:
            return json.loads(response.read())

    def log(self) -> str:
        return (self.folder / "scrapyd.log").read_text(errors="replace")

    def job_log(self, job: str) -> Path:
        return self.folder / "logs" / PROJECT / SPIDER / f"{job}.log"

    def wait_finished(self, job: str) -> dict:
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            for finished in self.api("listjobs.json")["finished"]:
                if finished["id"] == job:
                    return finished
            time.sleep(0.3)
        raise AssertionError(f"job {job} not finished in {DEADLINE} s:\n{self.log()[-3000:]}")


def _checkout_copy(to: Path, url: str) -> Path:
    """What scrapyd-deploy packs, copied (the build writes build/ and *.egg-info beside
    setup.py: not into the shared checkout), with the [deploy] target at `url`."""
    to.mkdir()
    for name in ("scrapy.cfg", "setup.py", "pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, to / name)
    for package in _packages():
        shutil.copytree(ROOT / package, to / package, ignore=shutil.ignore_patterns("__pycache__"))
    cfg = (to / "scrapy.cfg").read_text()
    assert DEFAULT_URL in cfg
    (to / "scrapy.cfg").write_text(cfg.replace(DEFAULT_URL, url))
    return to


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory):
    binary = SCRAPYD_VENV / "bin" / "scrapyd"
    _require(binary.exists(), f"no Scrapyd environment: {binary} is missing (make scrapyd-env)")
    tmp = tmp_path_factory.mktemp("scrapyd")
    folder = tmp / "scrapyd"
    folder.mkdir()
    port = free_port()
    conf = configparser.ConfigParser(interpolation=None)
    conf.read_string(CONF.read_text())
    conf["scrapyd"].update(http_port=str(port), poll_interval="0.2")
    with (folder / "scrapyd.conf").open("w") as f:
        conf.write(f)
    # no proxies (the fixture site is on 127.0.0.1), no ~/.scrapyd.conf or ~/.scrapy.cfg of the
    # user's, no PYTHONPATH bringing the checkout in instead of the egg
    env = {**loopback_env(None), "HOME": str(tmp), "PYTHONWARNINGS": PKG_RESOURCES_WARNING}
    env.pop("PYTHONPATH", None)
    url = f"http://127.0.0.1:{port}/"
    with (folder / "scrapyd.log").open("wb") as out:
        process = subprocess.Popen(
            [str(binary)], cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    server = Scrapyd(url, folder, env, {})
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                assert server.api("daemonstatus.json")["status"] == "ok"
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    message = f"Scrapyd did not start:\n{server.log()[-3000:]}"
                    raise AssertionError(message) from None
                time.sleep(0.2)
        source = _checkout_copy(tmp / "src", url)
        deploy = subprocess.run(
            [str(SCRAPYD_VENV / "bin" / "scrapyd-deploy")],
            cwd=source, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert deploy.returncode == 0, deploy.stderr + deploy.stdout
        assert f'Deploying to project "{PROJECT}" in {url}addversion.json' in deploy.stderr
        server.deployed = json.loads(deploy.stdout)
        server.deployed["source"] = source
        yield server
    finally:
        stop(process, timeout=30)


def test_scrapyd_deploy_uploads_an_egg_with_the_spider_its_data_and_settings(scrapyd):
    deployed = scrapyd.deployed
    assert deployed["status"] == "ok" and deployed["project"] == PROJECT, deployed
    assert deployed["spiders"] == 1  # Scrapyd listed the spiders by running the egg
    assert scrapyd.api(f"listspiders.json?project={PROJECT}")["spiders"] == [SPIDER]
    egg = scrapyd.folder / "eggs" / PROJECT / f"{deployed['version']}.egg"
    with zipfile.ZipFile(egg) as z:
        names = set(z.namelist())
        entry_points = z.read("EGG-INFO/entry_points.txt").decode()
    assert "[scrapy]\nsettings = crawler.settings" in entry_points
    assert _modules(deployed["source"]) <= names
    assert {"pages/profiles/policeoracle.toml", "pages/gazetteer/forces.json"} <= names
    assert "publish/config/datasette.yaml" in names and "publish/templates/base.html" in names


def test_a_job_on_an_archive_another_crawl_holds_is_refused(scrapyd, tmp_path):
    db = tmp_path / "police.db"
    lock.acquire(db)  # this process is "the other crawl"
    try:
        job = scrapyd.api("schedule.json", {
            "project": PROJECT, "spider": SPIDER, "start": "http://127.0.0.1:9/news/",
            "setting": f"ARCHIVE_DB={db}",
        })["jobid"]  # fmt: skip
        scrapyd.wait_finished(job)
    finally:
        lock.release(db)
    log = scrapyd.job_log(job).read_text()
    assert "ArchiveLocked: another crawl is writing" in log, log[-3000:]
    assert f"pid {os.getpid()}" in log  # the holder, named
    assert not db.exists()  # the refused job opened nothing
    deadline = time.monotonic() + 30  # Scrapyd's own log: the job's process ended in error
    while f"Process died: exitstatus=1 project='{PROJECT}' spider='{SPIDER}' job='{job}'" not in (
        scrapyd.log()
    ):
        assert time.monotonic() < deadline, scrapyd.log()[-3000:]
        time.sleep(0.2)


def _cron_job(url: str, srv: Path, seeds: list[str]) -> str:
    lines = [line for line in CRON.read_text().splitlines() if line.strip() and line[0] != "#"]
    assert len(lines) == 1
    fields = lines[0].split(None, 5)
    assert len(fields) == 6 and fields[5].startswith("curl ")
    job = fields[5]
    fast = " ".join(f"-d setting={name}={value}" for name, value in FAST.items())
    for old, new in [
        (DEFAULT_URL, url),
        ("/srv/police-archive", str(srv)),
        (f"start={SEED}", f"start={shlex.quote(','.join(seeds))}"),
        ("--data-urlencode setting=ARCHIVE_DB", f"{fast} --data-urlencode setting=ARCHIVE_DB"),
    ]:  # fmt: skip
        assert old in job, old
        job = job.replace(old, new)
    return job


def test_the_cron_recipe_schedules_a_crawl_into_the_archive(scrapyd, tmp_path):
    _require(Path("/usr/bin/curl").exists(), "no /usr/bin/curl (the cron recipe posts with curl)")
    srv = tmp_path / "srv"
    srv.mkdir()
    site = build_site(20, seed=3, hazards=False, markup="classic")
    with serve_site(site) as server:
        origin = server.origin
        job_line = _cron_job(scrapyd.url, srv, site.seeds(origin))
        # what cron gives a job: a bare PATH, no virtual environment
        cron_env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SHELL": "/bin/sh"}
        posted = subprocess.run(["/bin/sh", "-c", job_line], env=cron_env,
                                capture_output=True, text=True, timeout=120)  # fmt: skip
        assert posted.returncode == 0, posted.stderr
        answer = json.loads((srv / "schedule.log").read_text().splitlines()[-1])
        assert answer["status"] == "ok", answer
        finished = scrapyd.wait_finished(answer["jobid"])
    log = scrapyd.job_log(answer["jobid"]).read_text()
    assert f"Crawl 1 finished (finished) into {srv / 'police.db'}" in log, log[-3000:]
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
        urllib.parse.urljoin(scrapyd.url, finished["log_url"]), timeout=60
    ) as response:  # the log, over HTTP too
        assert "Crawl 1 finished (finished)" in response.read().decode()
    with sqlite3.connect(srv / "police.db") as conn:
        urls = {url for (url,) in conn.execute("select url from articles")}
        crawls = conn.execute("select finish_reason, finished, seeds from crawls").fetchall()
    assert urls == set(site.expected_by_url(origin))
    assert len(crawls) == 1 and crawls[0][0] == "finished" and crawls[0][1]
    assert json.loads(crawls[0][2]) == site.seeds(origin)
    assert list((srv / "warc").glob("*.warc.gz"))  # the raw capture, beside the archive
