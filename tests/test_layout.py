"""The package's layout keeps its promises (README.md, "Development"): its folders are stages that
never import each other in a circle, the shared modules import no stage, kinds/ holds only rule
kinds, modules stay small, and a poalint import inside a function says why it is there."""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "linter" / "poalint"
STAGES = ("reading", "analysis", "rules", "reporting", "run")
#: About 300 lines, as the issue that set the layout asks; a module past this wants splitting.
MAX_MODULE_LINES = 320


def _modules() -> dict[str, Path]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


MODULES = _modules()


def _imports(path: Path) -> list[tuple[str, ast.AST, ast.AST | None]]:
    """(module imported, import node, the function it sits in or None) for every poalint import."""
    tree = ast.parse(path.read_text("utf-8"))
    function_of = {id(node): function for function in ast.walk(tree)
                   if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef))
                   for node in ast.walk(function)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "poalint":
            for alias in node.names:
                whole = f"{node.module}.{alias.name}"
                found.append((whole if whole in MODULES else node.module, node, function_of.get(id(node))))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, node, function_of.get(id(node))) for alias in node.names
                         if alias.name.split(".")[0] == "poalint")
    return found


def _graph(key) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        for target, _, _ in _imports(path):
            if target in MODULES and key(target) != key(name):
                graph.setdefault(key(name), set()).add(key(target))
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (found := visit(target)):
                return found
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def _stage(module: str) -> str:
    """The stage folder a module is in; the command line ends the chain; the rest is shared."""
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in STAGES:
        return parts[1]
    return "cli" if module in ("poalint.cli", "poalint.__main__") else "shared"


def test_the_checks_see_what_they_check():
    # Guards the tests below against a walk that finds nothing: known modules and a known import.
    assert {"poalint.cli", "poalint.reading.markdown", "poalint.rules.kinds.existence"} <= set(MODULES)
    assert any(target == "poalint.reading.document" for target, _, _ in _imports(MODULES["poalint.reading.markdown"]))
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_module_imports_itself_back_in_a_circle():
    assert _cycle(_graph(lambda module: module)) is None


def test_the_stages_never_import_each_other_in_a_circle():
    graph = _graph(_stage)
    assert _cycle(graph) is None, graph


def test_the_shared_modules_import_no_stage():
    for name, path in MODULES.items():
        if _stage(name) == "shared":
            stages = {_stage(target) for target, _, _ in _imports(path)} - {"shared"}
            assert not stages, f"{name} imports {stages}"


def test_kinds_holds_only_rule_kinds():
    from poalint.rules.kinds import KINDS
    from poalint.rules.kinds.base import Rule

    modules = {p.stem for p in (PACKAGE / "rules" / "kinds").glob("*.py")} - {"__init__", "base"}
    for stem in modules:
        module = __import__(f"poalint.rules.kinds.{stem}", fromlist=["_"])
        kinds = [value for value in vars(module).values()
                 if isinstance(value, type) and issubclass(value, Rule) and value.__module__ == module.__name__]
        assert kinds and all(kind in KINDS.values() for kind in kinds), stem


def test_modules_stay_small():
    long = {name: n for name, path in MODULES.items()
            if (n := len(path.read_text("utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, long


def test_a_poalint_import_inside_a_function_says_why():
    """Allowed only where start-up needs it; a comment in the function, above the import or on its
    line, says so."""
    unexplained = []
    for name, path in MODULES.items():
        lines = path.read_text("utf-8").splitlines()
        for _, node, function in _imports(path):
            if function is not None and not any("#" in line for line in lines[function.lineno - 1:node.end_lineno]):
                unexplained.append(f"{name}:{node.lineno}")
    assert not unexplained, unexplained
