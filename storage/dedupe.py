"""The store's dedupe options: how it signs a record and when two records are copies.

Apart from :mod:`storage.clusters` (which needs pymongo), so that a crawl's cleaning worker,
which signs records for the store, unpickles them without importing the database driver.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Dedupe:
    """How a store signs and clusters: ``signer(text) -> dedupe field`` and the threshold.
    ``version``: the signer's; a record that comes with a signature of that version (made
    where it was cleaned, off the writer's thread) is not signed again."""

    signer: Callable[[str], dict]
    threshold: float = 0.8
    containment: float = 0.9        # 0 = Jaccard only (see storage.clusters.copies)
    version: int | None = None

    def sign(self, record: dict) -> dict | None:
        """The record's signature: the one it brings, if of :attr:`version`, else made from its text.

        >>> d = Dedupe(lambda text: {"v": 2, "exact": text}, version=2)
        >>> d.sign({"text": "a", "dedupe": {"v": 2, "exact": "made before"}}), d.sign({"text": "a", "dedupe": {"v": 1}})
        ({'v': 2, 'exact': 'made before'}, {'v': 2, 'exact': 'a'})
        """
        text = record.get("text")
        if not isinstance(text, str) or not text.strip():
            return None
        given = record.get("dedupe")
        if self.version is not None and isinstance(given, dict) and given.get("v") == self.version:
            return given
        return self.signer(text)
