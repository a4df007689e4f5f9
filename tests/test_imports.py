"""Import costs, and the shape of the import graph: stages flow forward, no circle."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "trendkit"
HEAVY = ["matplotlib.pyplot", "umap", "hdbscan", "torch", "pandas", "sklearn"]

# The pipeline's layers, bottom first: a module may import its own layer and those below.
LAYERS = [
    {"_version", "_lazy", "errors", "sampling", "timing", "text", "tokens", "cache", "result",
     "runs"},
    {"load"}, {"embed"}, {"cluster"}, {"label"}, {"model"}, {"trend"}, {"report"},
    {"execute"}, {"workflows", "bertopic_bridge", "demo"}, {"cli", "__main__", "__init__"},
]
LAYER = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(["trendkit", *parts])


def import_graph() -> dict[str, set[str]]:
    """Module -> trendkit modules it imports (anywhere in the file, lazy imports too)."""
    modules = {_module_name(p): p for p in SRC.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                           for a in node.names]
            else:
                continue
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    found.add(target)
        graph[name] = found
    return graph


def _stage(module: str) -> str:
    return module.split(".")[1] if module.count(".") else "__init__"


def test_import_trendkit_loads_no_heavy_library():
    code = f"import sys, trendkit; print([m for m in {HEAVY!r} if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_cli_module_and_its_registries_load_no_heavy_library():
    # the CLI's help lists the registered backends and formats: reading them stays light
    code = ("import sys, trendkit.cli; from trendkit.embed.registry import BACKENDS; "
            "from trendkit.load.formats import FORMATS; assert len(BACKENDS) > 8; "
            f"assert len(FORMATS) >= 9; print([m for m in {HEAVY!r} if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_public_names_resolve():
    import trendkit

    assert sorted(trendkit.__all__) == sorted(set(trendkit.__all__))
    for name in trendkit.__all__:
        assert getattr(trendkit, name) is not None
    # the stage packages are packages, and their entry points are named apart from them
    import trendkit.embed
    import trendkit.load

    assert callable(trendkit.load_corpus) and callable(trendkit.embed_texts)
    assert not callable(trendkit.load) and not callable(trendkit.embed)


def test_no_import_circle():
    graph = import_graph()
    state, cycles = {}, []

    def visit(node, stack):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_no_import_runs_back_up_the_stages():
    upward = [(module, target) for module, targets in import_graph().items()
              for target in targets if module != "trendkit"
              and LAYER[_stage(target)] > LAYER[_stage(module)]]
    assert upward == []


def test_every_module_has_a_layer():
    assert {_stage(m) for m in import_graph() if m != "trendkit"} <= set(LAYER)


def test_no_module_imports_the_package_root():
    """Submodules import what they need from siblings, never via trendkit/__init__."""
    offenders = [m for m, targets in import_graph().items() if "trendkit" in targets
                 and not m.startswith("trendkit.cli")]
    assert offenders == []


def test_modules_stay_small():
    sizes = {p.relative_to(SRC).as_posix(): len(p.read_text().splitlines())
             for p in SRC.rglob("*.py")}
    assert max(sizes.values()) <= 300, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]
