"""The ``rapport`` command line: render, validate, list municipalities, import exports."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from analysis import paths
from analysis.problems import InputError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rapport",
        description="Render the report 'Kommunerne på banen' nationally and per municipality.")
    sub = parser.add_subparsers(dest="command", required=True)

    render = sub.add_parser("render", help="render the national report and/or municipal reports")
    render.add_argument("--kommune", action="append", default=[], metavar="NAME_OR_CODE",
                        help="a municipality by name or kommunekode (repeatable)")
    render.add_argument("--all", action="store_true",
                        help="the national report and every municipality in the register")
    render.add_argument("--format", default="html,pdf", help="comma-separated: html,pdf")
    render.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="parallel workers (default: number of cores)")
    render.add_argument("--data", type=Path, default=None, help="data directory")
    render.add_argument("--out", type=Path, default=None, help="output directory")
    render.add_argument("--engine", choices=["auto", "pandoc", "quarto"],
                        default=os.environ.get("RAPPORT_ENGINE") or "auto",
                        help="auto (Quarto where it is on PATH, else pandoc), pandoc or quarto "
                             "(default: $RAPPORT_ENGINE or auto)")
    render.add_argument("--force", action="store_true", help="render even if nothing changed")
    render.add_argument("--k", type=int, default=None,
                        help="minimum answers in a group figure (disclosure control)")
    render.add_argument("--timeout", type=float, default=600.0,
                        help="seconds allowed per report")

    validate = sub.add_parser("validate", help="check every input and list every problem")
    validate.add_argument("--data", type=Path, default=None)

    kommuner = sub.add_parser("kommuner", help="list municipalities with data and report status")
    kommuner.add_argument("--data", type=Path, default=None)
    kommuner.add_argument("--out", type=Path, default=None)

    qdpx = sub.add_parser("import-qdpx", help="coded excerpts from a REFI-QDA export")
    qdpx.add_argument("file", type=Path)
    qdpx.add_argument("--codebook", type=Path, default=None, help="a REFI-QDA codebook (.qdc)")
    qdpx.add_argument("--out", type=Path, default=None,
                      help="output directory (default: data/interviews/)")
    qdpx.add_argument("--data", type=Path, default=None)

    codebook = sub.add_parser("codebook", help="draft a survey codebook from a survey export")
    codebook.add_argument("--from", dest="export", type=Path, required=True)
    return parser


def _validate(args) -> int:
    from analysis.ingest import load_dataset
    from analysis.results import build_national

    dataset = load_dataset(args.data)
    # A dry run of the national analysis, so "OK" means render gets past its figures too.
    build_national(dataset, 5)
    survey = dataset.survey
    print(f"OK: {len(dataset.kommuner)} municipalities, {len(dataset.register)} in the "
          f"helhedsplan register, {len(survey.answers)} completed survey responses "
          f"({survey.source}), {len(dataset.excerpts)} interview excerpts.")
    for note in survey.notes:
        print(f"note: {note}")
    return 0


def _kommuner(args) -> int:
    from analysis import batch

    for line in batch.status_lines(args.data, args.out or paths.default_out_dir()):
        print(line)
    return 0


def _render(args) -> int:
    from analysis import batch

    return batch.render_command(args)


def _import_qdpx(args) -> int:
    from analysis import qdpx

    data_dir = args.data or paths.default_data_dir()
    out = args.out or paths.excerpts_file(data_dir).parent
    result = qdpx.import_qdpx(args.file, theme_codebook=paths.interview_codebook_file(data_dir),
                              kommuner=paths.kommuner_file(data_dir), qdc=args.codebook,
                              out_dir=out)
    for warning in result.warnings:
        print(f"warning: {warning}")
    print(f"{len(result.excerpts)} excerpts, {len(result.unmapped)} not mapped; "
          f"written to {out}")
    return 0


def _codebook(args) -> int:
    from analysis import survey_exports

    sys.stdout.write(survey_exports.draft_codebook(args.export))
    return 0


COMMANDS = {"render": _render, "validate": _validate, "kommuner": _kommuner,
            "import-qdpx": _import_qdpx, "codebook": _codebook}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except InputError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(f"{len(err.problems)} problem(s) found.", file=sys.stderr)
        return 1
    except Exception as err:
        from analysis.render import RenderError

        if isinstance(err, RenderError):
            print(f"error: {err}", file=sys.stderr)
            return 1
        raise
