"""The package layout is the architecture: imports point one way, down the request's path.

Reads every module's imports (module level, inside functions and under TYPE_CHECKING alike) with
`ast` and fails on an import circle between modules, or on an import from a lower layer into a
higher one. The layers, bottom first, are `LAYERS`; packages on one floor are peers that do not
import each other.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "mock_server"

# Bottom first. A module may import its own package and anything on a lower floor.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors",),
    ("settings",),
    ("contracts",),
    ("media",),
    ("generate",),
    ("state",),
    ("behaviours",),
    ("serve",),
    ("admin", "check", "proxy"),
    ("app",),
    ("integrations", "watch"),
    ("server", "connexion"),  # mock_server.connexion: the public alias of integrations/connexion
    ("cli",),
    ("__main__", "__init__"),
)
MAX_TOP_LEVEL_MODULES = 8


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that `name` imports, resolved to module names ('' is the package)."""
    is_package = path.name == "__init__.py"
    here = name.split(".") if name != "__init__" else []
    base = here if is_package else here[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        targets: list[str] = []
        if isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                stem = [*anchor, *(node.module.split(".") if node.module else [])]
            elif node.module and (node.module == "mock_server" or node.module.startswith("mock_server.")):
                stem = node.module.split(".")[1:]
            else:
                continue
            targets = [".".join([*stem, alias.name]) for alias in node.names] + [".".join(stem)]
        elif isinstance(node, ast.Import):
            targets = [alias.name.split(".", 1)[1] for alias in node.names if alias.name.startswith("mock_server.")]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports_of(name, path, set(found)) for name, path in found.items()}


def floor(module: str) -> int:
    top = module.split(".")[0]
    for index, names in enumerate(LAYERS):
        if top in names:
            return index
    raise AssertionError(f"mock_server.{module} is in no layer of LAYERS: give its package a floor")


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_import_circles() -> None:
    edges = graph()
    package_edges: dict[str, set[str]] = {}
    for source, targets in edges.items():
        # a package's __init__ re-exports its modules; that is not a dependency of theirs on it
        package_edges[source] = {t for t in targets if not source.startswith(t + ".")}
    assert circles(package_edges) == []


def test_imports_point_down_the_layers() -> None:
    wrong = []
    for source, targets in sorted(graph().items()):
        for target in sorted(targets):
            same_package = source.split(".")[0] == target.split(".")[0]
            if not same_package and floor(target) >= floor(source):
                wrong.append(f"mock_server.{source} imports mock_server.{target}")
    assert wrong == []


def test_at_most_eight_modules_at_the_top() -> None:
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top


@pytest.mark.parametrize("package", sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()))
def test_every_package_says_what_it_owns_and_may_not_import(package: str) -> None:
    docstring = " ".join((ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text())) or "").split())
    assert "May not import" in docstring or "may not import" in docstring, f"{package}/__init__.py"


def test_the_check_itself_sees_a_circle_and_a_wrong_direction() -> None:
    """The checks above must be able to fail."""
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert floor("serve.pipeline") > floor("behaviours.context") > floor("contracts.index")


# Not a2wsgi: connexion brings it, but uvicorn imports it too whenever it is installed.
LOADED = 'import sys; print(sorted(m for m in ("connexion", "flask", "werkzeug") if m in sys.modules))'
SERVE = "from mock_server.server import serving_app; from mock_server.settings import ServeSettings; " \
        "serving_app(ServeSettings()); import mock_server.cli, mock_server.integrations"


@pytest.mark.parametrize(("code", "loaded"), [
    (SERVE, "[]"),
    ("import mock_server.connexion", "['connexion', 'flask', 'werkzeug']"),  # the check can fail
], ids=["serve", "the-resolver"])
def test_only_the_connexion_integration_imports_connexion(code: str, loaded: str) -> None:
    """connexion and Flask are imported by integrations/connexion/ alone, so `serve` with its own
    engine starts as fast and as small as it did before connexion became a dependency."""
    result = subprocess.run([sys.executable, "-c", f"{code}; {LOADED}"], cwd=PACKAGE.parent, capture_output=True,
                            text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == loaded
