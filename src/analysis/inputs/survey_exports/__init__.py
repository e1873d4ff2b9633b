"""Read survey exports as the canonical survey answers frame.

Researchers get their survey data out of SurveyXact (Rambøll) as an Excel workbook, as a bundle
of three csv files, or as an SPSS ``.sav`` file. :func:`read_export` turns any of them into the
canonical frame the rest of the code validates and analyses: one row per respondent with
``respondentid`` (int), ``kommunekode`` (string, zero-padded to 3 digits), the SurveyXact status
flags ``statoverall_1``..``statoverall_5`` (0/1) and one nullable ``Int64`` column of answer codes
per question or multiple-choice option (``Float64`` for numbers with decimals). Missing codes
such as 8 ("Ved ikke"), 9 ("Ikke besvaret") or SPSS user-missing values stay codes; the codebook
marks them missing. A blank cell means the question was not asked. The export's own id,
municipality and completion columns are named by a :class:`Layout` (from the codebook's
``survey:``), and :func:`map_columns` renames the variables codebook entries map with
``column:`` to the report's question ids.

What SurveyXact writes (as NIFU's readSX test files show it):

* xlsx: sheet ``Dataset`` (header row + one row per respondent; very wide surveys are split over
  ``Dataset(1)``, ``Dataset(2)``, ... which are joined side by side), sheet ``Labels`` (variable,
  value, label; usually without a header row) and sheet ``Structure`` or ``Variables``
  (variable -> question text).
* csv bundle (folder or .zip): ``dataset.csv`` (with header), ``labels.csv`` (no header) and
  ``structure.csv`` (header ``questionName, variableName, questionType, subType, questionText,
  choiceValue, choiceText``; the comma dialect ends every data row with an extra empty field), in
  three dialects: comma + ANSI (cp1252), semicolon + ISO-8859-1 and tab + UTF-16 with BOM.
* SPSS .sav/.zsav: value labels, variable labels, measure levels, user-defined missing values
  and ranges, date formats and multiple-response sets (dichotomy and category sets).
* a lone dataset .csv: the data only, no labels.

:func:`draft_codebook` drafts a codebook YAML for every variable of an export, for the researcher
to finish (``rapport codebook --from``).

One module per job: :mod:`.formats` (which format a path is), :mod:`.xlsx`, :mod:`.csv_bundle`
and :mod:`.spss` (reading each), :mod:`.raw` (what they read into, and the tables they share),
:mod:`.canonical` (checking and converting to the canonical frame), :mod:`.mapping` (the
codebook's ``column:`` names) and :mod:`.draft` (``rapport codebook``).
"""

from analysis.inputs.survey_exports.canonical import incomplete_note, read_export
from analysis.inputs.survey_exports.draft import NO_COMPLETION, Draft, draft_codebook
from analysis.inputs.survey_exports.formats import detect_format, load_raw
from analysis.inputs.survey_exports.mapping import canonical_codebook, map_columns, name_columns
from analysis.inputs.survey_exports.raw import (BUNDLE_MEMBERS, COMPLETED_CODE, COMPLETION_COLUMN,
                                                ID_COLUMN, KOMMUNE_COLUMN, OPTION_LABELS,
                                                STATUS_COLUMNS, STRUCTURE_HEADER, ExportResult,
                                                Layout, RawExport)

__all__ = ["BUNDLE_MEMBERS", "COMPLETED_CODE", "COMPLETION_COLUMN", "Draft", "ExportResult",
           "ID_COLUMN", "KOMMUNE_COLUMN", "Layout", "NO_COMPLETION", "OPTION_LABELS", "RawExport",
           "STATUS_COLUMNS", "STRUCTURE_HEADER", "canonical_codebook", "detect_format",
           "draft_codebook", "incomplete_note", "load_raw", "map_columns", "name_columns",
           "read_export"]
