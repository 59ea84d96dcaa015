"""Decompression bombs through `govnews clean` on .gz dumps (issue 4 §2).

A dump directory holds two good pages (one plain, one .gz) around four bombs: a gzip bomb
(1 GiB of zeros in 1 MB), a gzip of that gzip bomb, the bomb under an ``.html`` name
(gzip is detected by content), and a two-member gzip (2 GiB). `govnews clean` runs as a
child process, serially and with worker processes; the kernel's peak RSS (``os.wait4``)
must stay under 500 MB, every bomb must become one error record with a reason, and the two
good pages must be cleaned (status ok).
"""
from __future__ import annotations

import json

import pytest

from tests.support import bombs

MAX_RSS_MB = 500


@pytest.fixture(scope="module")
def dump_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dumps")
    kinds = bombs.write_dump_batch(folder / "in")
    return folder, kinds


@pytest.mark.timeout(180)
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_gz_bombs_in_a_batch(dump_dir, jobs):
    folder, kinds = dump_dir
    out = folder / f"out-j{jobs}.jsonl"
    rc, seconds, peak_mb, stderr, timed_out = bombs.clean_with_rusage(
        [str(folder / "in"), "-o", str(out), "--no-progress", "-j", jobs])
    assert not timed_out and rc == 0, stderr
    assert peak_mb < MAX_RSS_MB, f"peak RSS {peak_mb:.0f} MB"
    records = {json.loads(line)["path"].rsplit("/", 1)[1]: json.loads(line) for line in out.read_text("utf-8").splitlines()}
    assert set(records) == set(kinds)                      # one record per file, none lost
    for name, kind in kinds.items():
        rec = records[name]
        if kind == "ok":
            assert rec["status"] == "ok", (name, rec["reason"])
        else:
            assert rec["status"] == "error" and rec["reason"], (name, rec)
            assert not rec["text"]
    for name in ("b_bomb.html.gz", "d_bomb_named_html.html", "e_multimember.html.gz"):
        assert records[name]["reason"] == "decompressed size exceeds 64 MiB"
    # the inner gzip is never inflated a second time: the outer layer's bytes are not HTML
    assert records["c_gzip_of_gzip.html.gz"]["reason"] == "binary data, not HTML"
    assert "2 ok, 0 empty, 0 blocked, 4 errors" in stderr
