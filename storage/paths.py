"""Where govnews keeps its local data, and the folders inside it.

``data_dir()`` is ``$GOVNEWS_DATA_DIR``, else ``$XDG_DATA_HOME/govnews``, else
``~/.local/share/govnews``. Inside it: ``mongo/`` (the embedded database), ``spool/`` (the
crawler's write-ahead spool), ``files/`` (downloaded attachments), ``warc/`` (the crawl's WARC
archive, unless ``$GOVNEWS_WARC_DIR`` names another folder). Nothing is created here.

>>> [str(p.relative_to(data_dir())) for p in (mongo_dir(), spool_dir(), files_dir())]
['mongo', 'spool', 'files']
"""
from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """govnews' local data directory (not created here)."""
    if os.environ.get("GOVNEWS_DATA_DIR"):
        return Path(os.environ["GOVNEWS_DATA_DIR"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base).expanduser() / "govnews"


def mongo_dir() -> Path:
    """The embedded database's files."""
    return data_dir() / "mongo"


def spool_dir() -> Path:
    """The crawler's write-ahead spool of records not yet stored."""
    return data_dir() / "spool"


def files_dir() -> Path:
    """Downloaded attachments."""
    return data_dir() / "files"


def warc_dir() -> Path:
    """The crawl's WARC archive (``$GOVNEWS_WARC_DIR`` overrides it)."""
    if os.environ.get("GOVNEWS_WARC_DIR"):
        return Path(os.environ["GOVNEWS_WARC_DIR"]).expanduser()
    return data_dir() / "warc"
