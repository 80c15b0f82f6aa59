"""The scheduling recipes in deploy/ work as written: the systemd service and timer pass
`systemd-analyze verify` and run the crawl they name, the crontab line runs under cron's bare
environment (no virtual environment, PATH=/usr/bin:/bin), and a run that finds another crawl
still writing the archive exits 75, which the service counts as success.

The recipes name /opt/police-news-archive (the checkout), /srv/police-archive (the archive's
folder) and the model site; the tests put this checkout, a temporary folder and the fixture site
on 127.0.0.1 in their place, and nothing else.
"""

from __future__ import annotations

import configparser
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sample_site import build_site, serve_site
from tests.crawl_check import loopback_env

ROOT = Path(__file__).parent.parent
DEPLOY = ROOT / "deploy"
SEED = "https://www.policeoracle.com/news/"
# fast settings for the fixture site only (the recipes keep the polite defaults)
FAST = "-s DOWNLOAD_DELAY=0 -s AUTOTHROTTLE_ENABLED=False"


def localise(text: str, srv: Path, seed: str) -> str:
    return (
        text.replace("/opt/police-news-archive", str(ROOT))
        .replace("/srv/police-archive", str(srv))
        .replace("User=police-archive", f"User={os.environ.get('USER', 'root')}")
        .replace("--no-progress", f"--no-progress {FAST}")
        .replace(SEED, seed)
    )


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text())
    return parser


def cron_env(tmp_path: Path) -> dict[str, str]:
    """What cron gives a job: a bare PATH, HOME, SHELL; no virtual environment."""
    env = {k: v for k, v in loopback_env(None).items() if "proxy" in k.lower()}
    return {**env, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SHELL": "/bin/sh"}


def test_the_systemd_units_say_what_the_issue_asks():
    service = unit(DEPLOY / "systemd" / "police-archive.service")["Service"]
    timer = unit(DEPLOY / "systemd" / "police-archive.timer")["Timer"]
    assert service["Type"] == "oneshot" and "75" in service["SuccessExitStatus"].split()
    assert service["KillSignal"] == "SIGINT"
    assert timer["Persistent"] == "true" and timer["OnCalendar"]
    assert "police-archive crawl" in service["ExecStart"] and SEED in service["ExecStart"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_analyze_verifies_the_units(tmp_path):
    for name in ("police-archive.service", "police-archive.timer"):
        text = (DEPLOY / "systemd" / name).read_text()
        (tmp_path / name).write_text(localise(text, tmp_path, "http://127.0.0.1:9/news/"))
    result = subprocess.run(
        ["systemd-analyze", "verify", str(tmp_path / "police-archive.timer"),
         str(tmp_path / "police-archive.service")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    ours = [line for line in result.stderr.splitlines() if "police-archive" in line]
    assert result.returncode == 0 and not ours, result.stderr
    bad = (tmp_path / "police-archive.service").read_text().replace("Type=oneshot", "Type=x")
    (tmp_path / "broken.service").write_text(bad)
    result = subprocess.run(["systemd-analyze", "verify", str(tmp_path / "broken.service")],
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert "broken.service" in result.stderr  # the check can fail


def test_the_recipes_commands_crawl_and_a_second_run_waits_its_turn(tmp_path):
    site = build_site(12, seed=2, hazards=False, markup="lite")
    with serve_site(site) as server:
        seed = site.listing_url(1, server.origin)
        service = unit(DEPLOY / "systemd" / "police-archive.service")["Service"]
        command = shlex.split(localise(service["ExecStart"], tmp_path, seed))
        first = subprocess.run(command, cwd=tmp_path, env=cron_env(tmp_path),
                               capture_output=True, text=True, timeout=300)  # fmt: skip
        assert first.returncode == 0, first.stderr[-2000:]
        assert (tmp_path / "police.db").exists() and list((tmp_path / "warc").glob("*.warc.gz"))
        assert "Crawl 1 finished (finished)" in first.stdout

        lines = [
            line
            for line in (DEPLOY / "cron" / "police-archive.cron").read_text().splitlines()
            if line.strip() and not line.startswith("#")
        ]
        assert len(lines) == 1
        fields = lines[0].split(None, 5)
        assert len(fields) == 6 and all(f.replace("*", "").replace(",", "").isdigit() or f == "*"
                                        for f in fields[:5])  # fmt: skip
        job = localise(fields[5], tmp_path, seed)
        result = subprocess.run(["/bin/sh", "-c", job], env=cron_env(tmp_path),
                                capture_output=True, text=True, timeout=300)  # fmt: skip
        assert result.returncode == 0, (tmp_path / "crawl.log").read_text()[-2000:]
        assert "Crawl 2 finished (finished)" in (tmp_path / "crawl.log").read_text()

        holder = subprocess.Popen(
            [sys.executable, "-c",
             "import sys, time; from archive import lock; lock.acquire(sys.argv[1]); "
             "print('held', flush=True); time.sleep(120)", str(tmp_path / "police.db")],
            stdout=subprocess.PIPE, text=True, cwd=ROOT,
        )  # fmt: skip
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
            busy = subprocess.run(command, cwd=tmp_path, env=cron_env(tmp_path),
                                  capture_output=True, text=True, timeout=120)  # fmt: skip
        finally:
            holder.kill()
            holder.wait()
            assert holder.stdout is not None
            holder.stdout.close()
        assert busy.returncode == 75, busy.stderr
        assert str(busy.returncode) in service["SuccessExitStatus"].split()
        assert "another crawl is writing" in busy.stderr
