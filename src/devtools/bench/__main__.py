"""``python -m devtools.bench`` (``make bench``); ``--profile [N]`` for one warm kernel;
``--preview`` for the preview's latency alone; ``--cluster-batch OUT`` is the LocalCluster
step's own process (see :func:`.many_reports.cluster`)."""

import sys

from devtools.bench.many_reports import _cluster_batch
from devtools.bench.one_report import profile
from devtools.bench.preview import main as preview_main
from devtools.bench.run import main

if __name__ == "__main__":
    if sys.argv[1:2] == ["--profile"]:
        raise SystemExit(profile(int(sys.argv[2]) if sys.argv[2:] else 10))
    if sys.argv[1:2] == ["--preview"]:
        raise SystemExit(preview_main())
    if sys.argv[1:2] == ["--cluster-batch"]:
        raise SystemExit(_cluster_batch(sys.argv[2]))
    raise SystemExit(main())
