"""crawler.gc_tuning: the collector settings of crawler and cleaning processes."""
from __future__ import annotations

import gc
import subprocess
import sys

from crawler.gc_tuning import CollectionTimer


def test_tune_freezes_and_raises_the_young_threshold():
    # in a child process: the test process keeps CPython's defaults
    code = ("import gc; from crawler.gc_tuning import tune; keep = [[] for _ in range(1000)]; "
            "print(gc.get_threshold()[0], gc.get_freeze_count() > 0, tune(5000), "
            "gc.get_threshold()[0], gc.get_freeze_count() >= 1000)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["700", "False", "True", "5000", "True"]


def test_collection_timer_counts_collections():
    with CollectionTimer() as timer:
        gc.collect()
        gc.collect()
    gc.collect()                       # after exit: not counted
    assert timer.collections == 2 and timer.seconds >= 0
    assert timer not in gc.callbacks
