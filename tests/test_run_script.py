"""The ``./run`` entry point explains itself before it installs anything."""
from __future__ import annotations

import os
import subprocess

import pytest

from tests.support.paths import REPO


@pytest.mark.parametrize("arg", ["help", "-h", "--help"])
def test_run_prints_its_own_help_without_setting_up(arg, tmp_path):
    env = {**os.environ, "GOVNEWS_VENV": str(tmp_path / "no-venv")}   # setup would create it
    proc = subprocess.run(["bash", str(REPO / "run"), arg], env=env, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert "./run demo" in proc.stdout and "./run test" in proc.stdout and "package index" in proc.stdout
    assert "GNU bash" not in proc.stdout
    assert not (tmp_path / "no-venv").exists()
