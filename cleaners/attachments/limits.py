"""The bounds every attachment is read within (crawl settings ``GOVNEWS_ATTACHMENTS_*``,
``govnews clean --attachments``)."""
from __future__ import annotations

from dataclasses import dataclass, replace

MiB = 1024 * 1024
RECORD_CHARS = 2_000_000    # attachment text kept per record: a record stays far below MongoDB's 16 MB


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 32 * MiB       # a file, and anything unpacked from it, may be this big
    seconds: float = 30.0           # CPU time of one reading process (and wall time, plus a grace)
    memory_mib: int = 1024          # address space a reading process may add to what it starts with
    max_chars: int = 500_000        # text kept per attachment
    max_members: int = 50           # files read from one archive
    nice: int = 5                   # reading runs behind the crawl's event loop

    @property
    def max_unpacked(self) -> int:
        """All the members of one archive together.

        >>> Limits(max_bytes=MiB).max_unpacked // MiB
        4
        """
        return 4 * self.max_bytes


def within_record(limits: Limits, record_chars: int, used: int) -> Limits | None:
    """The limits for a record's next attachment when ``used`` characters of attachment text
    are kept already out of ``record_chars``; None when none are left.

    >>> within_record(Limits(max_chars=500), 1200, 1000).max_chars, within_record(Limits(), 1200, 1200)
    (200, None)
    """
    left = record_chars - used
    return replace(limits, max_chars=min(limits.max_chars, left)) if left > 0 else None
