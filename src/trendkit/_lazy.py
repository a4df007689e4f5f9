"""Names imported on first use, so importing a package costs nothing until a name is used."""

from __future__ import annotations

from importlib import import_module


def lazy_exports(package: str, exports: dict[str, str], renamed: dict[str, str] | None = None):
    """``(__getattr__, __dir__)`` for a package whose public names live in its submodules.

    ``exports`` maps a public name to the module (relative to ``package``) that defines
    it; ``renamed`` maps a public name to its name in that module where they differ.

    Examples
    --------
    >>> getattr_, _ = lazy_exports("trendkit", {"TrendkitError": "errors"})
    >>> getattr_("TrendkitError").__name__
    'TrendkitError'
    """
    renamed = renamed or {}
    namespace = import_module(package).__dict__

    def __getattr__(name: str):
        if name in exports:
            module = import_module(f".{exports[name]}", package)
            value = getattr(module, renamed.get(name, name))
            namespace[name] = value  # later lookups skip this function
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__():
        return sorted(set(namespace) | set(exports))

    return __getattr__, __dir__
