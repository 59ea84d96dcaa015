"""What the README promises after `./run demo`: the records in a browser (`govnews serve`), in a
terminal (`govnews export --site NAME`) and the sites' runs (`govnews sites`), all on the
embedded default store, started as each command needs it."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import urllib.request

from tests.support.paths import REPO


def test_demo_then_serve_export_and_sites_on_the_embedded_store(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("GOVNEWS_MONGO_URI", "http_proxy", "HTTP_PROXY")}
    env.update(GOVNEWS_DATA_DIR=str(tmp_path / "data"), GOVNEWS_EMBEDDED_WAIT="5")

    def govnews(*args, timeout=300):
        return subprocess.run([sys.executable, "-m", "govnews.cli", *args], cwd=REPO, env=env, capture_output=True,
                              text=True, timeout=timeout)

    demo = govnews("demo", "--sites", "hebi-kjj")
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert "look at them: govnews serve" in demo.stdout

    export = govnews("export", "--site", "hebi-kjj")
    assert export.returncode == 0, export.stderr
    titles = sorted(json.loads(line)["title"] for line in export.stdout.splitlines())
    assert titles == [f"鹤壁市科技局召开科技创新专题会议（{n}）" for n in range(1, 9)]

    sites = govnews("sites")
    row = next(line.split() for line in sites.stdout.splitlines() if line.startswith("hebi-kjj"))
    assert row[1] == "8" and row[5] == "ok" and row[6] == "8" and row[-1] == "ok", sites.stdout

    serve = subprocess.Popen([sys.executable, "-m", "govnews.cli", "serve", "--port", "0"], cwd=REPO, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = serve.stdout.readline()
        base = re.search(r"http://127\.0\.0\.1:\d+", first).group(0)
        with urllib.request.urlopen(base + "/", timeout=30) as response:
            page = response.read().decode("utf-8")
        assert '<a href="/articles?site=hebi-kjj">8</a>' in page
        with urllib.request.urlopen(base + "/articles?site=hebi-kjj", timeout=30) as response:
            listed = re.findall(r'<a href="/article\?url=[^"]+">([^<]+)</a>', response.read().decode("utf-8"))
        assert sorted(listed) == titles
    finally:
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(60) in (0, 128 + signal.SIGTERM, -signal.SIGTERM), serve.stderr.read()
