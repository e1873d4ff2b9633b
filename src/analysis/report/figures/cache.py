"""The figure cache: a report figure is drawn once per process for each distinct set of
arguments, keyed from the drawing function's bound arguments (so no argument can be left out
of the key by hand)."""

from __future__ import annotations

import functools
import inspect

import numpy as np
import pandas as pd

from analysis.report.present import Figure

_CACHE: dict[tuple, Figure] = {}
_CACHE_SIZE = 512
# Figures served from the cache and drawn, since the process started (for measuring).
CACHE_COUNTS = {"hits": 0, "misses": 0}


class Unkeyable(TypeError):
    """An argument the figure cache cannot turn into a key (the figure is then drawn anew)."""


def cache_key(value) -> tuple | str:
    """A hashable key that is equal for two values exactly when they draw the same figure:
    their type and every element, in order (a dict's order is the order bars are drawn in).
    Frames and series are keyed by their columns, index, dtypes and every value; floats by
    their ``repr``, which tells every two floats apart.

    Raises
    ------
    Unkeyable
        For any other type of value.
    """
    if value is None or isinstance(value, (bool, int, str)):
        return (type(value).__name__, value)
    if isinstance(value, float):
        return ("float", repr(value))
    if isinstance(value, np.generic):
        return cache_key(value.item())
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, *(cache_key(v) for v in value))
    if isinstance(value, dict):
        return ("dict", *((cache_key(k), cache_key(v)) for k, v in value.items()))
    if isinstance(value, (set, frozenset)):
        return ("set", *sorted((cache_key(v) for v in value), key=repr))
    if isinstance(value, np.ndarray):
        return ("array", str(value.dtype), value.shape, cache_key(value.tolist()))
    if isinstance(value, pd.Series):
        return ("series", cache_key(value.name), _index_key(value.index), str(value.dtype),
                cache_key(value.tolist()))
    if isinstance(value, pd.DataFrame):
        return ("frame", _index_key(value.columns), _index_key(value.index),
                tuple(str(d) for d in value.dtypes),
                tuple(cache_key(value.iloc[:, j].tolist()) for j in range(value.shape[1])))
    raise Unkeyable(f"no figure cache key for a {type(value).__name__}")


def _index_key(index: pd.Index) -> tuple:
    return ("index", str(index.dtype), cache_key(list(index.names)), cache_key(index.tolist()))


def cached(draw):
    """Decorator: remember the :class:`Figure` that ``draw`` returns, for the life of the
    process, under a key built from the call's bound arguments (defaults applied) and the
    function's qualified name.

    A figure is a pure function of its drawing function's arguments, so every argument is in
    the key and none can be left out by hand. Many municipal reports share a figure (same size
    group and same answer), and a warm kernel draws each distinct figure once; a call whose
    arguments cannot be keyed (see :func:`cache_key`) is drawn anew. Arguments whose changes
    do not change the figure should not be arguments.
    """
    signature = inspect.signature(draw)
    name = f"{draw.__module__}.{draw.__qualname__}"

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        try:
            key = (name, cache_key(dict(bound.arguments)))
        except Unkeyable:
            return draw(*args, **kwargs)
        cache = _CACHE
        if key in cache:
            figure = cache.pop(key)       # most recently used last
            CACHE_COUNTS["hits"] += 1
        else:
            figure = draw(*args, **kwargs)
            CACHE_COUNTS["misses"] += 1
            while len(cache) >= _CACHE_SIZE:
                cache.pop(next(iter(cache)))
        cache[key] = figure
        return figure

    wrapper.uncached = draw
    return wrapper
