"""The ``rapport`` command line: render, validate, list municipalities, import exports."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from analysis.batch.request import (DEFAULT_TIMEOUT, DEFAULT_WEBSERVER_URL, ENGINES, FORMATS,
                                    RenderRequest, parse_formats)
from analysis.core import paths, settings
from analysis.core.problems import InputError


# What an answer column of `rapport kommuner --svar` shows where there is no valid answer:
# a blank cell of the answer file (a question the skip logic did not ask, or a municipality
# without a completed response) is "–" (answer_selection.NO_ANSWER); a missing code of the
# codebook (9 = "Ikke besvaret") is its label.
NOT_ASKED = "–"
NOT_ASKED_MEANS = ("not asked of this municipality (the survey's skip logic, asked_if in the "
                   "codebook), or it did not answer the survey")
NOT_ANSWERED = "Ikke besvaret"
NOT_ANSWERED_MEANS = "asked, but not answered"


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
    render.add_argument("--format", default=",".join(FORMATS), help="comma-separated: html,pdf")
    render.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="parallel workers (default: number of cores)")
    render.add_argument("--data", type=Path, default=None, help="data directory")
    render.add_argument("--out", type=Path, default=None, help="output directory")
    render.add_argument("--engine", choices=list(ENGINES),
                        default=settings.engine(),
                        help="auto (Quarto where it is on PATH, else pandoc), pandoc or quarto "
                             "(default: $RAPPORT_ENGINE or auto)")
    render.add_argument("--scheduler", metavar="tcp://HOST:8786",
                        default=settings.scheduler(),
                        help="render on this Dask cluster instead of local workers "
                             "(default: $RAPPORT_SCHEDULER; without it, local workers)")
    render.add_argument("--force", action="store_true", help="render even if nothing changed")
    render.add_argument("--k", type=int, default=None,
                        help="minimum answers in a group figure (disclosure control)")
    render.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help="seconds allowed per report")
    # How municipal reports are delivered (analysis.delivery): sealed packages by default.
    render.add_argument("--offentlige-kommunerapporter", action="store_true",
                        help="publish municipal reports openly, linked from index.html (only "
                             "for a study whose respondents agreed; the reports say so)")
    render.add_argument("--webserver", metavar="DIR", default=None,
                        help="also write web-server access rules into each package, for the "
                             "absolute folder DIR on the server that will hold kommuner/")
    render.add_argument("--webserver-url", metavar="PATH", default=DEFAULT_WEBSERVER_URL,
                        help="URL path under which DIR is served (default /kommuner)")
    rotate = sub.add_parser("rotate-passphrase",
                            help="give one municipality a new passphrase and reseal its package")
    rotate.add_argument("kommune", metavar="NAME_OR_CODE")
    rotate.add_argument("--data", type=Path, default=None)
    rotate.add_argument("--out", type=Path, default=None)

    validate = sub.add_parser("validate", help="check every input and list every problem")
    validate.add_argument("--data", type=Path, default=None)

    kommuner = sub.add_parser(
        "kommuner", help="list municipalities with data and report status",
        description="One line per municipality in the register: its kommunekode, its name, "
                    "whether it answered the survey (answered / no answer), the status of its "
                    "report in the output folder, and with --svar its answers. To find the "
                    "municipalities whose reports get a passage, e.g. rapport kommuner --hvor "
                    "koordinator_placering=fagforvaltning --svar internt_forum; read one's "
                    "report with rapport preview --kommune NAME.",
        epilog=f"In an answer column: {NOT_ASKED} = {NOT_ASKED_MEANS}; {NOT_ANSWERED} = "
               f"{NOT_ANSWERED_MEANS} (Ved ikke and the codebook's other missing codes "
               "likewise count as no answer). A line under the table says so.")
    kommuner.add_argument("--data", type=Path, default=None, metavar="DIR",
                          help="the data folder (default: the project's data/, or "
                               "$RAPPORT_DATA_DIR)")
    kommuner.add_argument("--out", type=Path, default=None, metavar="DIR",
                          help="the output folder whose reports' status is shown (default: "
                               "outputs/, as for rapport render)")
    kommuner.add_argument("--svar", action="append", default=[], metavar="QUESTION[=ANSWER]",
                          help="add a column with each municipality's answer to QUESTION (a "
                               "question id of the codebook); with =ANSWER (a code, label or "
                               "answer group) list only those that gave it (repeatable)")
    kommuner.add_argument("--hvor", action="append", default=[], metavar="QUESTION=ANSWER",
                          help="list only municipalities whose answer to QUESTION is ANSWER "
                               "(a code, label or answer group; repeatable: all must hold)")

    qdpx = sub.add_parser("import-qdpx", help="coded excerpts from a REFI-QDA export")
    qdpx.add_argument("file", type=Path)
    qdpx.add_argument("--codebook", type=Path, default=None, help="a REFI-QDA codebook (.qdc)")
    qdpx.add_argument("--out", type=Path, default=None,
                      help="output directory (default: data/interviews/)")
    qdpx.add_argument("--data", type=Path, default=None)

    preview = sub.add_parser(
        "preview", help="render one report, serve it on 127.0.0.1 and render it again on every "
                        "save of a notebook, the data or a template")
    preview.add_argument("--kommune", metavar="NAME_OR_CODE", default=None,
                         help="a municipality by name or kommunekode (default: the national "
                              "report)")
    preview.add_argument("--port", type=int, default=None,
                         help="port on 127.0.0.1 (default 8000, or a free one if it is taken)")
    preview.add_argument("--no-browser", action="store_true", help="do not open a browser")
    preview.add_argument("--pdf", action="store_true", help="also write the PDF on each render")
    preview.add_argument("--data", type=Path, default=None, help="data directory")

    codebook = sub.add_parser(
        "codebook", help="draft a survey codebook from a survey export (.sav, .zsav, SurveyXact "
                         ".xlsx, csv bundle folder or .zip, or a dataset .csv)")
    codebook.add_argument("--from", dest="export", type=Path, required=True)
    codebook.add_argument("--id", dest="id_column", metavar="COLUMN", default=None,
                          help="the respondent-id column (default: guessed)")
    codebook.add_argument("--kommune", dest="kommune_column", metavar="COLUMN", default=None,
                          help="the municipality-code column (default: guessed)")
    codebook.add_argument("--completed", metavar="COLUMN[=CODE]", default=None,
                          help="the completion column and the code for completed (default 1), "
                               "or 'none' if the export has no completion column "
                               "(default: guessed)")
    codebook.add_argument("--out", type=Path, default=None,
                          help="write the draft to this file (default: standard output)")
    return parser


def _validate(args) -> int:
    from analysis.inputs.dataset import load_dataset
    from analysis.stats.results import build_national

    dataset = load_dataset(args.data)
    # A dry run of the national analysis, so "OK" means render gets past its figures too.
    build_national(dataset, 5)
    survey = dataset.survey
    print(f"OK: {len(dataset.kommuner)} municipalities, {len(dataset.register)} in the "
          f"helhedsplan register, {len(survey.answers)} completed survey responses "
          f"({survey.source}), {len(dataset.excerpts)} interview excerpts.")
    for note in survey.notes:
        print(f"note: {note}")
    from analysis.inputs import consistency

    for note in consistency.notes(dataset):     # worth a look, but no reason to refuse the data
        print(f"note: {note}")
    return 0


def _kommuner(args) -> int:
    from analysis.batch import runner as batch

    lines = batch.status_lines(args.data, args.out or paths.default_out_dir(),
                               show=tuple(args.svar), where=tuple(args.hvor))
    for line in lines:
        print(line)
    if args.svar and lines:
        print(_legend(args.data, args.svar), file=sys.stderr)
    chosen = [text for text in (*args.svar, *args.hvor) if "=" in text]
    if chosen:
        print(f"{len(lines)} municipalit{'y' if len(lines) == 1 else 'ies'} with "
              f"{' and '.join(chosen)}", file=sys.stderr)
    return 0


def _legend(data_dir: Path | None, shown: list[str]) -> str:
    """The line under ``rapport kommuner --svar``'s table: what ``–`` and the labels of the
    missing codes of the questions shown (``Ikke besvaret``, ``Ved ikke``) mean."""
    from analysis.inputs.codebook import load_survey_codebook

    labels: list[str] = []
    try:
        codebook = load_survey_codebook(paths.survey_codebook_file(
            data_dir or paths.default_data_dir()))
        names = {text.partition("=")[0].strip() for text in shown}
        for q in codebook.questions.values():
            if q.id in names:
                labels += [label for label in q.missing.values() if label not in labels]
    except Exception:            # the table was written from the same codebook: never here
        labels = [NOT_ANSWERED]
    parts = [f"{NOT_ASKED} = {NOT_ASKED_MEANS}"]
    parts += [f"{label} = {NOT_ANSWERED_MEANS}" if label == NOT_ANSWERED
              else f"{label} = asked, answered »{label.lower()}«" for label in labels]
    return "; ".join(parts) + "."


def render_request(args) -> RenderRequest:
    """The one place the command line's options become what a render needs."""
    return RenderRequest(
        data_dir=(args.data or paths.default_data_dir()).resolve(),
        out_dir=(args.out or paths.default_out_dir()).resolve(),
        all_reports=args.all, kommuner=tuple(args.kommune), formats=parse_formats(args.format),
        engine=args.engine, workers=args.jobs, scheduler=args.scheduler or None,
        force=args.force, k=args.k, timeout=args.timeout,
        public=args.offentlige_kommunerapporter, webserver=args.webserver,
        webserver_url=args.webserver_url)


def _render(args) -> int:
    from analysis.batch import manifest

    # Nothing changed? Decided from file hashes and the manifest, before anything heavy loads.
    t0 = time.perf_counter()
    request = render_request(args)
    unchanged = manifest.unchanged(request)
    if unchanged is not None:
        print(f"0 rendered, {len(unchanged)} skipped (unchanged), 0 failed in "
              f"{time.perf_counter() - t0:.1f} s", file=sys.stderr)
        print(request.out_dir / manifest.INDEX)
        return 0
    from analysis.batch import runner as batch

    return batch.render_command(request)


def _preview(args) -> int:
    from analysis.preview.run import Options, preview

    return preview(Options(kommune=args.kommune, data_dir=args.data, port=args.port,
                           browser=not args.no_browser, pdf=args.pdf))


def _rotate_passphrase(args) -> int:
    from analysis import delivery
    from analysis.inputs.dataset import load_dataset
    from analysis.inputs.municipalities import resolve

    dataset = load_dataset(args.data)
    code = resolve(args.kommune, dataset.kommuner)
    name = dict(zip(dataset.kommuner["kommunekode"], dataset.kommuner["kommunenavn"]))[code]
    out_dir = (args.out or paths.default_out_dir()).resolve()
    try:
        store = delivery.KeyStore(delivery.default_path(), out_dir)
        resealed = delivery.rotate(store, code, name, paths.report_dir(out_dir, code, name))
    except (delivery.KeyFileError, delivery.PackageError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    from analysis.batch import manifest

    recipients = delivery.write_recipients(manifest.read(out_dir), out_dir, store)
    print(f"{name}: new passphrase in {store.path}"
          + (f"; package {paths.report_dir(out_dir, code, name)} sealed with it" if resealed
             else "; no package yet (the next render uses it)")
          + (f"; recipients in {recipients}" if recipients else ""))
    return 0


def _import_qdpx(args) -> int:
    from analysis.inputs import qdpx

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
    from analysis.inputs import survey_exports
    from analysis.core.problems import Problem

    column, code = args.completed, None
    if column and "=" in column:
        column, _, text = column.partition("=")
        try:
            code = int(text)
        except ValueError:
            raise InputError([Problem("--completed", None, None, args.completed,
                                      "COLUMN=CODE with a whole-number code, e.g. Finished=1")]
                             ) from None
    draft = survey_exports.draft_codebook(
        args.export, id_column=args.id_column, kommune_column=args.kommune_column,
        completion_column=column, completed_code=code)
    if args.out is None:
        sys.stdout.write(draft.text)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(draft.text, encoding="utf-8")
    for message in draft.messages:
        print(message, file=sys.stderr)
    if args.out is not None:
        print(f"draft written to {args.out}", file=sys.stderr)
    return 0


COMMANDS = {"render": _render, "validate": _validate, "kommuner": _kommuner,
            "import-qdpx": _import_qdpx, "codebook": _codebook,
            "rotate-passphrase": _rotate_passphrase, "preview": _preview}


# Exit codes: 0 done, 1 bad input or a report failed, 2 bad command line (argparse),
# 3 an unexpected error (its traceback is written to a log file), 130 interrupted.
EXIT_UNEXPECTED = 3
EXIT_INTERRUPTED = 130


def _log_unexpected(command: str, argv: list[str], err: BaseException) -> str:
    """Write the full traceback to a log file; return one line saying what failed and where."""
    import tempfile
    import traceback

    frames = traceback.extract_tb(err.__traceback__)
    ours = [f for f in frames if "/analysis/" in f.filename.replace("\\", "/")] or frames
    where = f" at {Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else ""
    text = "".join(traceback.format_exception(err))
    try:
        folder = Path(tempfile.gettempdir()) / "rapport-logs"
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f"{command}-{time.strftime('%Y%m%d-%H%M%S')}-",
                                    suffix=".log", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(f"rapport {' '.join(argv)}\n\n{text}")
        log = f"full traceback in {name}"
    except OSError as log_err:
        log = f"the traceback could not be written ({log_err.strerror})"
    what = " ".join(f"{type(err).__name__}: {err}".split())
    if len(what) > 300:
        what = what[:297] + "..."
    return (f"error: rapport {command} stopped unexpectedly ({what}{where}); {log}. "
            "No report was left half-written.")


def _is_render_error(err: Exception) -> bool:
    """A renderer that is missing or refused (a clear message of its own, exit 1)."""
    try:
        from analysis.render import RenderError
    except Exception:       # the failure may be that the renderer cannot be imported
        return False
    return isinstance(err, RenderError)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        notice = settings.project_notice()    # another checkout than the installed one: say so
        if notice:
            print(notice, file=sys.stderr)
        return COMMANDS[args.command](args)
    except InputError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(f"{len(err.problems)} problem(s) found.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"rapport {args.command}: interrupted; finished reports are kept, the next run "
              "renders the rest.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as err:
        if _is_render_error(err):
            print(f"error: {err}", file=sys.stderr)
            return 1
        print(_log_unexpected(args.command, sys.argv[1:] if argv is None else list(argv),
                              err), file=sys.stderr)
        return EXIT_UNEXPECTED
