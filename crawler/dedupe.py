"""The store's dedupe options (:class:`storage.dedupe.Dedupe`) from the settings.

``GOVNEWS_DEDUPE_ENABLED`` (on by default) makes every store write sign the record's text
(:func:`cleaners.signature.signature`) and put it in a cluster of republished copies;
``GOVNEWS_DEDUPE_THRESHOLD`` (0.8) is the estimated Jaccard similarity from which two texts
are copies, or ``GOVNEWS_DEDUPE_CONTAINMENT`` (0.9) the share of the shorter text's shingles
inside the longer one (a cut paragraph, an added note; 0 turns it off). A crawl reads them from its Scrapy settings; the ``govnews`` commands from the
project's settings with the environment applied at call time.

>>> dedupe_options({"GOVNEWS_DEDUPE_ENABLED": "0"}) is None
True
>>> dedupe_options({"GOVNEWS_DEDUPE_ENABLED": "1", "GOVNEWS_DEDUPE_THRESHOLD": "0.9",
...                 "GOVNEWS_DEDUPE_CONTAINMENT": "0"}).threshold
0.9
"""
from __future__ import annotations

import os

from scrapy.settings import BaseSettings, Settings

from cleaners.signature import VERSION, hash_is_stable, signature
from crawler import settings as project_settings
from storage.dedupe import Dedupe

NAMES = ("GOVNEWS_DEDUPE_ENABLED", "GOVNEWS_DEDUPE_THRESHOLD", "GOVNEWS_DEDUPE_CONTAINMENT")


def command_settings(environ=None) -> Settings:
    """The project's settings with the GOVNEWS_DEDUPE_* of the environment (``environ``)."""
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    environ = os.environ if environ is None else environ
    for name in NAMES:
        if environ.get(name, "").strip():
            settings.set(name, environ[name].strip(), priority="cmdline")
    return settings


def dedupe_options(settings=None) -> Dedupe | None:
    """A :class:`Dedupe` for the store, or None when dedupe is off. ``settings``: a crawl's
    (Scrapy settings or a dict); None = :func:`command_settings`."""
    if settings is None:
        settings = command_settings()
    elif not isinstance(settings, BaseSettings):
        settings = BaseSettings(settings)
    if not settings.getbool("GOVNEWS_DEDUPE_ENABLED"):
        return None
    threshold = settings.getfloat("GOVNEWS_DEDUPE_THRESHOLD")
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"GOVNEWS_DEDUPE_THRESHOLD must be in (0, 1], not {threshold}")
    containment = settings.getfloat("GOVNEWS_DEDUPE_CONTAINMENT")
    if not 0.0 <= containment <= 1.0:
        raise ValueError(f"GOVNEWS_DEDUPE_CONTAINMENT must be in [0, 1], not {containment}")
    if not hash_is_stable():
        raise RuntimeError("this Python hashes differently from the one the stored signatures were made with; "
                           "cleaners.signature needs a new VERSION")
    return Dedupe(signer=signature, threshold=threshold, containment=containment, version=VERSION)
