"""clean() pauses CPython's cyclic collector for the page and leaves it as it found it."""
from __future__ import annotations

import gc

import pytest

from cleaners import clean, pipeline

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


def test_a_page_leaves_no_garbage_cycles():
    """The reason the pause costs no memory: what a page allocates dies by reference counting."""
    page = PAGE.format("会议部署了今年的科技创新工作。" * 20 + "<a href='/a'>相关阅读</a><table><tr><td>1</td></tr></table>")
    clean(page.encode())                # imports, caches
    gc.disable()
    try:
        gc.collect()
        clean(page.encode())
        assert gc.collect() == 0
    finally:
        gc.enable()
