"""Embedding backends, each declared once where it is defined.

A backend registers a factory with :func:`backend`, naming itself and saying what
argument it takes (``lsa:1.5``, ``model2vec:PATH``) and what it needs. The command
line's help, :func:`~trendkit.embed.get_embedder`'s errors, the contract test and the
benchmarks all read :data:`BACKENDS`. Adding a backend is one module with a decorated
factory (and its tests)::

    @backend("mybackend", help="what it is, in a few words", argument="PATH",
             required=True)
    def _make(argument: str, random_state: int) -> Embedder:
        return MyEmbedder(argument)

The backend modules import scikit-learn and model libraries only when they embed,
so the command line can list the backends without loading them. The package's
``__init__`` imports every backend module; this module imports none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Backend:
    """One embedding backend.

    Attributes
    ----------
    name : str
        What ``--embedding`` takes (before any ``:argument``).
    help : str
        A few words for the help text.
    make : callable
        ``make(argument, random_state) -> Embedder``; ``argument`` is what followed
        ``name:`` (``""`` if nothing).
    argument : str
        What may follow ``name:`` (``"P"``, ``"N"``, ``"PATH"``); ``""`` for nothing.
    required : bool
        The argument must be given (a model folder).
    aliases : tuple of str
        Other names for it.
    exact : bool
        ``transform`` reproduces ``fit_transform``'s rows (to float precision), whatever
        the batch. False for int8 ONNX (activation scales follow the batch) and for the
        mapped MiniLM (its sample keeps true rows, the map only approximates them).
    """

    name: str
    help: str
    make: Callable
    argument: str = ""
    required: bool = False
    aliases: tuple[str, ...] = ()
    exact: bool = True

    @property
    def spelling(self) -> str:
        """``name``, ``name[:ARG]`` or ``name:ARG``, as help texts show it."""
        if not self.argument:
            return self.name
        return f"{self.name}:{self.argument}" if self.required else \
            f"{self.name}[:{self.argument}]"


BACKENDS: dict[str, Backend] = {}


def backend(name: str, *, help: str, argument: str = "", required: bool = False,
            aliases: tuple[str, ...] = (), exact: bool = True):
    """Register the decorated factory as the embedding backend ``name``."""
    def register(make: Callable) -> Callable:
        BACKENDS[name] = Backend(name, help, make, argument, required, aliases, exact)
        return make
    return register


def registered() -> dict[str, Backend]:
    """Every backend (``trendkit.embed`` imports every backend module, which registers it)."""
    return BACKENDS


def backends_help() -> str:
    """``auto (...), distilled (...), ...``: every backend with its help, for the CLI.

    Examples
    --------
    >>> backends_help().startswith("auto (")
    True
    """
    found = registered()
    order = sorted(found, key=lambda name: (name != DEFAULT, name))  # the default first
    return ", ".join(f"{found[n].spelling} ({found[n].help})" for n in order)


# What --embedding means when not given: chosen per corpus (trendkit.embed.choose).
DEFAULT = "auto"
