"""Where the tests find the checkout's fixtures and the shared data beside the checkout.

``GOVNEWS_SHARED`` points at the shared folder (default: ``../shared`` beside the checkout);
``GOVNEWS_EVALSET`` at the evaluation set (default: its ``evalset/``), as in bench/evalset.py.
"""
from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"
SITES = FIXTURES / "sites"              # fixture web sites, served on loopback
PAGES = FIXTURES / "pages"              # single pages with expectations
SHARED = Path(os.environ.get("GOVNEWS_SHARED") or REPO.parent / "shared")
EVALSET = Path(os.environ.get("GOVNEWS_EVALSET") or SHARED / "evalset")
