"""What is said to the kernel: its name, and the code sent to it as text (run there, not
here)."""

from __future__ import annotations

import json

KERNEL_NAME = "python3"
# Clears the user's names (like %reset -f, without its slow full garbage collection) and any
# open figures, so each notebook starts from an empty namespace.
RESET = """\
_ip = get_ipython()
import sys as _sys
if "analysis.report.notebook" in _sys.modules:
    _sys.modules["analysis.report.notebook"]._CURRENT = None
for _name in [n for n in _ip.user_ns if not n.startswith('_') and n not in _ip.user_ns_hidden]:
    del _ip.user_ns[_name]
import sys as _sys
if 'matplotlib.pyplot' in _sys.modules:
    _sys.modules['matplotlib.pyplot'].close('all')
del _ip, _sys
"""


# Executes a notebook's cells in one request (see analysis.report.in_kernel), after RESET.
RUN_NOTEBOOK = "__import__('analysis.report.in_kernel', fromlist=['run_notebook']).run_notebook"
# What the notebooks import, loaded while the kernel waits for its first notebook: the report
# stage's preload list, so this stage need not know the report's modules.
PRELOAD = "import analysis.report.notebook; analysis.report.notebook.preload()"
# Which of the cell tags (dialect.AUDIENCE_TAGS) the report in the kernel is for.
AUDIENCE_EXPRESSION = "__import__('analysis.report.notebook', fromlist=['audience']).audience()"


def evaluation(plan: list) -> str:
    """The expression that evaluates a run's plan in the kernel (see
    ``analysis.report.in_kernel.evaluate``)."""
    return (f"__import__('analysis.report.in_kernel', fromlist=['evaluate'])"
            f".evaluate({json.dumps(plan, ensure_ascii=False)!r})")
