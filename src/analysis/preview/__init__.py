"""``rapport preview``: the report as its author works on it, rendered again on every save.

One report (a municipality's, or the national one) is rendered once in a warm kernel, served
at ``http://127.0.0.1:<port>/`` and rendered again whenever a notebook, the data folder or a
template changes; the open page reloads itself. A render that fails shows its notebook, cell,
expression and message above the last good render. The preview is never sealed and never
written into ``outputs/``: its files are in a private temporary folder, deleted at the end.

The modules, each using only those listed before it: ``watch`` (what changed, by polling),
``page`` (the served page: banner, error panel, reload script), ``state`` (what the server
shows, handed over between threads), ``server`` (the loopback web server), ``session`` (the
report rendered again in one kernel, executing only what a change needs) and ``run`` (the
command: the threads, Ctrl+C, the browser). The command is
:func:`analysis.preview.run.preview`; this package imports nothing itself, so its light modules
(``watch``, ``page``, ``state``, ``server``) load without the renderer.
"""
