"""clean() pauses CPython's cyclic collector for the page and leaves it as it found it."""
from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from cleaners import clean, pipeline

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PAGE = "<html><head><title>科技局召开会议</title></head><body><h1>科技局召开会议</h1><p>{}</p></body></html>"


@pytest.fixture
def seen(monkeypatch):
    """Whether the collector was on when the page reached its survey; ``raise`` makes it fail."""
    states, real = {"enabled": [], "raise": False}, pipeline.survey

    def watching(tree):
        states["enabled"].append(gc.isenabled())
        if states["raise"]:
            raise RuntimeError("stage failed")
        return real(tree)

    monkeypatch.setattr(pipeline, "survey", watching)
    return states


def test_paused_during_the_page_and_on_again_after(seen):
    assert gc.isenabled()
    record = clean(PAGE.format("会议部署了今年的科技创新工作。" * 20).encode())
    assert record["status"] == "ok"
    assert seen["enabled"] == [False]
    assert gc.isenabled()


def test_on_again_after_a_page_that_fails(seen):
    seen["raise"] = True
    record = clean(PAGE.format("正文。" * 40).encode())
    assert record["status"] == "error" and "stage failed" in record["reason"]
    assert gc.isenabled()


def test_a_caller_that_turned_it_off_keeps_it_off(seen):
    gc.disable()
    try:
        clean(PAGE.format("正文。" * 40).encode())
        assert seen["enabled"] == [False] and not gc.isenabled()
    finally:
        gc.enable()


def test_pages_leave_no_garbage_cycles():
    """Why the pause costs no memory: what a page allocates dies by reference counting. In a
    child process: in this one, other tests' threads may leave garbage at any time. The
    regex cache is emptied first (another library may have pushed the cleaner's out of it)."""
    code = f"""
import gc, re, sys
from pathlib import Path
from cleaners import clean
pages = sorted(Path({str(FIXTURES)!r}).rglob("*.htm*"))[:40]
for path in pages:
    clean(path.read_bytes())
gc.disable()
re.purge()
gc.collect()
left = {{}}
for path in pages:
    clean(path.read_bytes())
    left[path.name] = gc.collect()
print(len(pages), sum(left.values()), [name for name, n in left.items() if n])
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip().split(maxsplit=2)
    assert int(out[0]) >= 20
    assert out[1:] == ["0", "[]"]
