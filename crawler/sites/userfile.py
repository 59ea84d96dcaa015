"""The user's site registry: ``$GOVNEWS_SITES``, else ``$GOVNEWS_DATA_DIR/sites.json``.

    {"sites": [{"name": …, "cms": …, "start_urls": […], "columns": […],
                "verified": "2026-12-02"}, …],
     "checks": {"zhangye-kjj": {"verified": false, "broken": "start URL … answered HTTP 404"}}}

``sites`` are the sites added by the user (full entries, in the shipped registry's format);
``checks`` the last check of shipped sites, which live in package data and are never
written. Writes go to a temporary file renamed over the old one, so a crash leaves either.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from storage import data_dir


class RegistryError(ValueError):
    """The registries cannot be read together (a bad file, a name given twice)."""


def user_registry_path() -> Path:
    """Where the user's registry is (it may not exist)."""
    return Path(os.environ["GOVNEWS_SITES"]).expanduser() if os.environ.get("GOVNEWS_SITES") \
        else data_dir() / "sites.json"


def read(path: Path) -> dict:
    """The user's registry as ``{"sites": [...], "checks": {...}}`` (empty when there is none)."""
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except FileNotFoundError:
        return {"sites": [], "checks": {}}
    except (OSError, ValueError) as exc:
        raise RegistryError(f"{path}: not a readable site registry: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("sites", []), list):
        raise RegistryError(f"{path}: not a site registry (want an object with a \"sites\" list)")
    return {"sites": list(data.get("sites") or []), "checks": dict(data.get("checks") or {})}


def write(path: Path, data: dict) -> None:
    """Replace the user's registry with ``data`` in one rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"sites": data.get("sites", []), "checks": data.get("checks", {})},
                      ensure_ascii=False, indent=1) + "\n"
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=path.name + ".",
                                     delete=False) as handle:
        handle.write(text)
    os.replace(handle.name, path)


def add_site(path: Path, entry: dict) -> None:
    data = read(path)
    if any(s.get("name") == entry["name"] for s in data["sites"]):
        raise ValueError(f"{path}: a site named {entry['name']!r} is already there")
    data["sites"].append(entry)
    write(path, data)


def record_check(path: Path, name: str, verified: str | bool, broken: str | None) -> None:
    """Store a check's outcome: in the user's entry, or in ``checks`` for a shipped site."""
    data = read(path)
    state = {"verified": verified, "broken": broken}
    for entry in data["sites"]:
        if entry.get("name") == name:
            entry.update(state)
            if broken is None:
                entry.pop("broken", None)
            break
    else:
        data["checks"][name] = {k: v for k, v in state.items() if v is not None}
    write(path, data)
