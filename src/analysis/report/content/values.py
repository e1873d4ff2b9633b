"""What each value the notebooks use means and what it counts, kept with the value.

Every field of a content dataclass is declared with :func:`value`: what it means (``doc``) and
what it counts or comes from (``base``, in Danish as the report would say it, e.g. ``kommuner
med en koordinator``). :func:`described` makes a class's ``help()`` list them (for an object,
with each value as it is now) and gives every share (:class:`~analysis.report.content.common.
Stat`) in such a field its base, so ``help(koord.coordinator)`` and its repr read ``37 af 41
kommuner med et gyldigt svar på …``. ``docs/values.md`` is written from the same texts
(``python -m devtools.values_reference``).
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from typing import Any, NamedTuple

from analysis.report import danish


def value(doc: str, base: str, *, example: str | None = None, keeps_base: bool = False,
          **kwargs: Any) -> Any:
    """A field of a content dataclass with what it means and what it counts.

    ``doc``: what the value means (a sentence). ``base``: what it counts, or where it comes
    from, in Danish as the report says it (``kommuner med en helhedsplan``). ``example``: the
    example docs/values.md prints, for a value that changes with every commit (else the value
    is computed from the shipped data). ``keeps_base``: a share in this field keeps the base it
    was made with (``base`` only describes it here). Other keywords go to
    :func:`dataclasses.field`.
    """
    metadata = {"doc": doc, "base": base, "keeps_base": keeps_base}
    if example is not None:
        metadata["example"] = example
    return dataclasses.field(metadata=metadata, **kwargs)


class Member(NamedTuple):
    """One value of a content class: a field, a property or a method."""

    name: str
    kind: str                 # "field", "property" or "method"
    type: str                 # its type as annotated
    doc: str                  # what it means (one paragraph)
    base: str                 # what it counts ("" for a property or method that says it)
    example: str | None = None
    signature: str = ""       # a method's arguments: "(partner)"


def _paragraph(text: str | None) -> str:
    """A docstring as one paragraph of running text."""
    return " ".join((text or "").split())


def _annotation(function) -> str:
    returned = getattr(function, "__annotations__", {}).get("return", "")
    return returned if isinstance(returned, str) else getattr(returned, "__name__",
                                                               str(returned))


def members(cls: type) -> list[Member]:
    """The class's values as a notebook uses them: fields (in order), then properties and
    methods (inherited ones first, then in the order they are defined); private names and
    constructors are left out."""
    out = [Member(f.name, "field", str(f.type), f.metadata.get("doc", ""),
                  f.metadata.get("base", ""), f.metadata.get("example"))
           for f in dataclasses.fields(cls) if not f.name.startswith("_")]
    seen = {m.name for m in out}
    for klass in reversed(cls.__mro__[:-1]):
        for name, attr in vars(klass).items():
            if name.startswith("_") or name in seen:
                continue
            if isinstance(attr, property):
                out.append(Member(name, "property", _annotation(attr.fget),
                                  _paragraph(inspect.getdoc(attr)), ""))
            elif inspect.isfunction(attr):
                signature = inspect.signature(attr)
                arguments = [p.name + ("" if p.default is p.empty else f"={p.default!r}")
                             for p in signature.parameters.values() if p.name != "self"]
                out.append(Member(name, "method", _annotation(attr),
                                  _paragraph(inspect.getdoc(attr)), "",
                                  signature=f"({', '.join(arguments)})"))
            else:
                continue
            seen.add(name)
    return out


def shown(obj: object, limit: int = 90) -> str:
    """A value as a notebook's ``{eval}`` prints it, shortened for a table or ``help()``."""
    if obj is None or isinstance(obj, bool):
        text = repr(obj)
    elif isinstance(obj, int):
        text = danish.integer(obj)
    elif isinstance(obj, float):
        text = repr(round(obj, 4))
    elif isinstance(obj, str):
        text = obj or '""'
    elif hasattr(obj, "_with_base"):            # a Stat: count of n, share
        text = obj._brief
    elif hasattr(obj, "p_value") and isinstance(getattr(obj, "test", None), str):
        text = f"{obj.test}, {danish.p_value(obj.p_value)}"         # a Comparison
    elif dataclasses.is_dataclass(obj) and getattr(type(obj), "__module__", "").startswith(
            "analysis.report.content"):
        text = f"({type(obj).__name__})"
    elif isinstance(obj, tuple | list | dict | set | frozenset):
        text = repr(_rounded(obj))
    else:
        text = f"({type(obj).__name__})"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _rounded(obj: object) -> object:
    """Floats inside tuples, lists and dicts to 3 decimals; a share as ``count af n = pct``;
    sets sorted."""
    if isinstance(obj, float):
        return round(obj, 3)
    if hasattr(obj, "_with_base"):
        return _Text(obj._brief)
    if isinstance(obj, tuple | list):
        return type(obj)(_rounded(v) for v in obj)
    if isinstance(obj, dict):
        return {k: _rounded(v) for k, v in obj.items()}
    if isinstance(obj, set | frozenset):
        return _Text("{" + ", ".join(sorted(repr(_rounded(v)) for v in obj)) + "}")
    return obj


class _Text(str):
    def __repr__(self) -> str:
        return str(self)


def help_text(cls: type, obj: object = None) -> str:
    """The class's docstring and its values: what each means and counts; for ``obj``, each
    field's value as it is now."""
    intro = inspect.cleandoc(cls.__dict__.get("_docstring") or "")
    lines = [intro, "", "Values (what each means; what it counts):", ""]
    for m in members(cls):
        head = m.name + (m.signature if m.kind == "method" else "") \
            + (f" ({m.kind})" if m.kind != "field" else "") + (f": {m.type}" if m.type else "")
        lines.append(f"  {head}")
        text = m.doc + (f" Counts: {m.base}." if m.base else "")
        lines.append(f"      {text}")
        if obj is not None and m.kind != "method":
            try:
                now = shown(getattr(obj, m.name))
            except Exception as err:          # a property of a suppressed value, say
                now = f"– ({type(err).__name__})"
            lines.append(f"      Here: {now}")
    return "\n".join(lines).strip() + "\n"


class _Doc:
    """``__doc__`` of a described class: :func:`help_text` of the class, or of an object with
    its values (and, for an object with a ``summary``, that first)."""

    def __get__(self, obj, cls):
        if obj is None:
            return help_text(cls)
        summary = getattr(obj, "_summary", None)
        text = help_text(cls, obj)
        return f"{summary}\n\n{text}" if isinstance(summary, str) else text


def described(cls: type) -> type:
    """Class decorator (above ``@dataclass``): ``help()`` lists the class's values with what
    each means and counts, and each share in a field gets the field's base."""
    cls._docstring = cls.__dict__.get("__doc__") or ""
    cls.__doc__ = _Doc()
    bases = {f.name: f.metadata["base"] for f in dataclasses.fields(cls)
             if f.metadata.get("base") and not f.metadata.get("keeps_base")}
    init = cls.__init__

    @functools.wraps(init)
    def __init__(self, *args, **kwargs):
        init(self, *args, **kwargs)
        for name, base in bases.items():
            current = getattr(self, name)
            if hasattr(current, "_with_base"):
                object.__setattr__(self, name, current._with_base(base))
            elif isinstance(current, dict) and any(hasattr(v, "_with_base")
                                                   for v in current.values()):
                object.__setattr__(self, name, {k: v._with_base(base)
                                                if hasattr(v, "_with_base") else v
                                                for k, v in current.items()})

    cls.__init__ = __init__
    return cls
