"""What tests that start servers of their own share: a free port on 127.0.0.1, and stopping a
server process politely, then for good."""

from __future__ import annotations

import socket
import subprocess


def free_port() -> int:
    """A TCP port nothing listens on at 127.0.0.1 (now: take it soon)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen, timeout: float = 10) -> None:
    """SIGTERM, then SIGKILL if it has not exited within `timeout` seconds; reaped either way."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
