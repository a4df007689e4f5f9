"""Import costs and the direction of imports inside the package."""

import re
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "trendkit"


def test_import_trendkit_loads_no_heavy_library():
    code = ("import sys, trendkit; heavy = ['matplotlib.pyplot', 'umap', 'hdbscan', 'torch', "
            "'pandas', 'sklearn']; print([m for m in heavy if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_cli_module_loads_no_heavy_library():
    code = ("import sys, trendkit.cli; heavy = ['matplotlib.pyplot', 'umap', 'hdbscan', 'torch', "
            "'pandas', 'sklearn']; print([m for m in heavy if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_public_names_resolve_to_functions_even_after_submodule_imports():
    import trendkit
    import trendkit.embed  # noqa: F401  (binds the submodule on the package)
    import trendkit.load  # noqa: F401

    assert callable(trendkit.load) and callable(trendkit.embed)
    assert sorted(trendkit.__all__) == sorted(set(trendkit.__all__))
    for name in trendkit.__all__:
        assert getattr(trendkit, name) is not None


def test_no_module_imports_the_package_root():
    """Submodules import what they need from siblings, never via trendkit/__init__
    (the CLI is a user of the public API, so it may)."""
    offenders = []
    for path in SRC.rglob("*.py"):
        if path in (SRC / "__init__.py", SRC / "cli.py"):
            continue
        dots = "." * len(path.relative_to(SRC).parts)  # relative import of the root
        root = re.compile(rf"^\s*(from {re.escape(dots)} import|import trendkit\s*$|"
                          r"from trendkit import)", re.M)
        if root.search(path.read_text()):
            offenders.append(path.relative_to(SRC).as_posix())
    assert offenders == []


def test_modules_stay_small():
    sizes = {p.relative_to(SRC).as_posix(): len(p.read_text().splitlines())
             for p in SRC.rglob("*.py")}
    assert max(sizes.values()) <= 350, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]
    assert sizes["pipeline.py"] <= 200
