"""`govnews sites …` as a process reaching the fixture host names through a proxy, with its
own data directory (where the user's site registry is)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.crawlenv import proxy_env
from tests.support.paths import REPO, SITES

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "DOWNLOAD_TIMEOUT=20"]


def sites_cmd(args: list[str], proxy_url: str, data_dir: Path, *, fast: bool = True, timeout: float = 180,
              **env: str) -> subprocess.CompletedProcess:
    child_env = {**proxy_env(proxy_url, GOVNEWS_DATA_DIR=str(data_dir)), **env}
    child_env.pop("GOVNEWS_SITES", None)
    extra = FAST if fast and args[0] in ("add", "check") else []
    return subprocess.run([sys.executable, "-P", "-m", "govnews.cli", "sites", *args, *extra], cwd=REPO,
                          env=child_env, capture_output=True, text=True, timeout=timeout)


def home_expectations() -> dict[str, dict]:
    """The fixture sites that have a home page: ``{family: _home.json}``."""
    out = {}
    for path in sorted(SITES.glob("*/_home.json")):
        data = json.loads(path.read_text("utf-8"))
        out[data["family"]] = data
    return out


def user_registry(data_dir: Path) -> dict:
    path = Path(data_dir) / "sites.json"
    return json.loads(path.read_text("utf-8")) if path.exists() else {}
