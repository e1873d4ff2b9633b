"""Kommunerne på banen: the report's analysis and rendering library."""

import sys

__version__ = "0.1.0"

# nbformat (papermill's notebook reader) imports jsonschema, whose format checkers import
# `rfc3987_syntax` where it is installed (JupyterLab's dependencies install it). That package
# builds some thirty parsers for IRIs when it is imported: 0.8 s of CPU in every process that
# reads a notebook, the batch's main process and each worker. Notebook validation uses no IRI
# format, so the report's processes go without that checker; jsonschema skips a checker whose
# package cannot be imported. A process that imported the package before this one keeps it.
sys.modules.setdefault("rfc3987_syntax", None)
