"""The text inside attachments: PDF, DOCX, DOC, WPS, XLSX, XLS, OFD, TXT and ZIP/RAR
archives of these, read into the fields an attachment entry gains (``status``, ``reason``,
``text``, ``text_length``, ``pages``, ``format``; ``members`` for archives).

``read_sandboxed`` reads one file in a child process within :class:`Limits` (what the crawl
and ``govnews clean --attachments`` use); ``read`` reads in this process (tests, benches).
One module per format family; see the README for which library or tool reads which."""
from cleaners.attachments.limits import RECORD_CHARS, Limits, within_record
from cleaners.attachments.reader import read
from cleaners.attachments.result import STATUSES, budget_spent
from cleaners.attachments.sandbox import read_sandboxed

__all__ = ["Limits", "RECORD_CHARS", "STATUSES", "budget_spent", "read", "read_sandboxed", "within_record"]
