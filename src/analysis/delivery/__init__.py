"""Delivering municipal reports: public where the study allows it, otherwise one sealed
package per municipality (see :mod:`.packages`), with passphrases (:mod:`.passphrases`),
encryption (:mod:`.sealed`) and web-server access rules (:mod:`.hosting`).

:func:`prepare` is what the batch calls before rendering: it decides, per job, how the report
is delivered, and makes sure every municipality in the batch has a passphrase.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from analysis.delivery.hosting import WebServer
from analysis.delivery.packages import PackageError, Sealing, rotate, write_recipients
from analysis.delivery.passphrases import KeyFileError, KeyStore, default_path

__all__ = ["KeyFileError", "KeyStore", "PackageError", "Sealing", "WebServer", "default_path", "prepare",
           "rotate", "write_recipients"]


def prepare(jobs: list, out_dir: Path, *, public: bool = False,
            webserver: WebServer | None = None,
            keys: Path | None = None) -> tuple[list, KeyStore | None]:
    """The jobs with their delivery set, and the passphrase file used (None if none was).

    Municipal jobs are published openly with ``public`` (the notebooks get ``offentlig``
    = True and the report says so on its front page); otherwise each gets a
    :class:`Sealing` with its municipality's passphrase, created where missing.
    The national report is always public and unchanged.
    """
    municipal = {job.kommune: job.name for job in jobs if job.kommune is not None}
    if public:
        return [dataclasses.replace(job, offentlig=True) if job.kommune else job
                for job in jobs], None
    if not municipal:
        return list(jobs), None
    store = KeyStore(keys or default_path(), out_dir)
    store.ensure(municipal)
    rows = store.read()
    return [dataclasses.replace(job, delivery=Sealing(rows[job.kommune]["adgangsfrase"],
                                                      webserver, rows[job.kommune]["noegle_id"]))
            if job.kommune else job for job in jobs], store


def prepare_checked(jobs: list, out_dir: Path, *, public: bool, webserver_dir: str | None,
                    webserver_url: str) -> tuple[list, KeyStore | None]:
    """:func:`prepare` with the options as the user gave them (``--offentlige-kommunerapporter``,
    ``--webserver``, ``--webserver-url``); a bad combination is an input error."""
    from analysis.core.problems import InputError, Problem

    directory = webserver_dir
    webserver = None
    if directory is not None:
        if public:
            raise InputError([Problem("--webserver", None, None, directory,
                                      "no --offentlige-kommunerapporter: access rules are for "
                                      "confidential reports")])
        try:
            webserver = WebServer(str(directory), webserver_url)
        except ValueError as err:
            raise InputError([Problem(str(err).split(":")[0], None, None, str(directory),
                                      str(err).split(": ", 1)[1])]) from None
    try:
        return prepare(jobs, out_dir, public=public, webserver=webserver)
    except KeyFileError as err:
        raise InputError([Problem(str(err.file), err.row, None, None, err.expected)]) from None
