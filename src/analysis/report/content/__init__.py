"""The report's content: for each part of the report, functions that turn results into
prose, figures, tables and quotes (``analysis.report.present`` objects) for the notebooks to show."""
