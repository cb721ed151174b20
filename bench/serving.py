"""gunicorn serving the app on loopback for a benchmark: started without a control socket,
ready once `/healthz` answers, and stopped with its whole process group (workers included)
whatever happened."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve(
    env: dict[str, str], workers: int = 2, log: Path | None = None, ready_within: float = 60
) -> Iterator[tuple[int, subprocess.Popen]]:
    """The app under gunicorn with `env` added to this process's environment; yields its
    port and the master process."""
    port = free_port()
    with open(log or os.devnull, "wb") as output:
        server = subprocess.Popen(
            [
                str(GUNICORN),
                "--no-control-socket",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "app:create_app()",
            ],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=output if log else None,
            stderr=subprocess.STDOUT if log else None,
            start_new_session=True,
        )
        try:
            _wait_until_serving(port, server, ready_within)
            yield port, server
        finally:
            stop(server)


def _wait_until_serving(port: int, server: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on port {port} within {seconds:.0f} s")


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the process group, SIGKILL after 30 s (no worker is left behind)."""
    for signal_, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal_)
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue
