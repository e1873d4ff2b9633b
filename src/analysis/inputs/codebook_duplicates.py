"""Ids defined twice in a codebook, found with their lines, so a problem names both places.

A YAML mapping that repeats a key is legal YAML, and a loader keeps whichever comes last; a
list of questions or themes may repeat an id. Either way the report would be built from one of
two definitions without a word, so each repeat is a Problem: where it is (row = line in the
file), and where the first one is.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from analysis.core.problems import Problem


def _compose(path: Path) -> yaml.Node | None:
    try:
        return yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None      # the loader reports why the file cannot be read


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def _scalar(node: yaml.Node) -> str | None:
    if not isinstance(node, yaml.ScalarNode):
        return None
    text = node.value.strip()
    return str(int(text)) if text.lstrip("-").isdigit() else text


def _repeated_keys(file: str, node: yaml.Node, where: str, seen_nodes: set,
                   problems: list[Problem]) -> None:
    """Every mapping in the tree that has a key twice."""
    if id(node) in seen_nodes:        # an anchor used again: checked once
        return
    seen_nodes.add(id(node))
    if isinstance(node, yaml.MappingNode):
        first: dict[str, yaml.Node] = {}
        for k, v in node.value:
            key = _scalar(k)
            if key is not None and key in first:
                problems.append(Problem(file, _line(k), where or "(top level)", key,
                                        f"a key used once here (also at row "
                                        f"{_line(first[key])})"))
            elif key is not None:
                first[key] = k
            _repeated_keys(file, v, f"{where}.{k.value}" if where else str(k.value),
                           seen_nodes, problems)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            ident = _get(item, "id") or _get(item, "code")
            label = f" ({ident.value})" if isinstance(ident, yaml.ScalarNode) else ""
            _repeated_keys(file, item, f"{where}[{i}]{label}", seen_nodes, problems)


def _items(root: yaml.Node | None, list_key: str, id_key: str):
    """(index, item node, id node) for each mapping in ``root[list_key]`` that has an id."""
    seq = _get(root, list_key)
    if not isinstance(seq, yaml.SequenceNode):
        return
    for i, item in enumerate(seq.value):
        ident = _get(item, id_key)
        if ident is not None and _scalar(ident):
            yield i, item, ident


def survey_duplicates(path: Path) -> list[Problem]:
    """Repeated keys, question ids, answer columns and answer codes in a survey codebook."""
    root, file = _compose(path), str(path)
    if root is None:
        return []
    problems: list[Problem] = []
    _repeated_keys(file, root, "", set(), problems)
    questions: dict[str, tuple[str, yaml.Node]] = {}
    columns: dict[str, tuple[str, yaml.Node]] = {}
    survey = _get(root, "survey")
    for key in ("id_column", "kommune_column", "completion_column"):
        node = _get(survey, key)
        if node is not None and _scalar(node):
            columns.setdefault(_scalar(node), (f"survey.{key}", node))
    for i, item, ident in _items(root, "questions", "id"):
        qid = _scalar(ident)
        where = f"questions[{i}] ({qid})"
        if qid in questions:
            other, node = questions[qid]
            problems.append(Problem(file, _line(ident), f"{where}.id", qid,
                                    f"a question id used once (also {other}, row "
                                    f"{_line(node)})"))
            continue
        questions[qid] = (f"questions[{i}]", ident)
        kind = _scalar(_get(item, "type")) if _get(item, "type") is not None else None
        options = _get(item, "options")
        own = [(k, f"{where}.options") for k, _ in options.value] \
            if kind == "multiple" and isinstance(options, yaml.MappingNode) else \
            [(ident, f"{where}.id")]
        for node, place in own:
            column = _scalar(node)
            if column is None:
                continue
            if column in columns and columns[column][1] is not node:
                other, first = columns[column]
                problems.append(Problem(file, _line(node), place, column,
                                        f"an answers-file column used by one question only "
                                        f"(also {other}, row {_line(first)})"))
            else:
                columns.setdefault(column, (place, node))
        codes: dict[str, tuple[str, yaml.Node]] = {}
        for part in ("answers", "missing"):
            mapping = _get(item, part)
            if not isinstance(mapping, yaml.MappingNode):
                continue
            for k, _ in mapping.value:
                code = _scalar(k)
                if code is None:
                    continue
                if code in codes and codes[code][0] != part:
                    other, first = codes[code]
                    problems.append(Problem(file, _line(k), f"{where}.{part}", code,
                                            f"an answer code used once in this question "
                                            f"(also in {other}, row {_line(first)})"))
                codes.setdefault(code, (part, k))
    return problems


def theme_duplicates(path: Path) -> list[Problem]:
    """Repeated keys, theme codes and aliases in an interview codebook."""
    root, file = _compose(path), str(path)
    if root is None:
        return []
    problems: list[Problem] = []
    _repeated_keys(file, root, "", set(), problems)
    names: dict[str, tuple[str, yaml.Node]] = {}
    for i, item, ident in _items(root, "themes", "code"):
        own = [(ident, f"themes[{i}].code")]
        aliases = _get(item, "aliases")
        if isinstance(aliases, yaml.SequenceNode):
            own += [(a, f"themes[{i}].aliases") for a in aliases.value]
        for node, place in own:
            name = _scalar(node)
            if name is None:
                continue
            if name in names and names[name][0].split(".")[0] != place.split(".")[0]:
                other, first = names[name]
                what = "a theme code" if place.endswith(".code") else "an alias"
                problems.append(Problem(file, _line(node), place, name,
                                        f"{what} that names one theme only (also {other}, "
                                        f"row {_line(first)})"))
            else:
                names.setdefault(name, (place, node))
    return problems
