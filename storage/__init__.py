"""Storage of article records, shared by the crawler and the ``govnews`` commands.

- :mod:`storage.articles`: :class:`ArticleStore`, the one write path into MongoDB (keyed
  upserts, history of changed versions, ``last_seen`` of unchanged ones);
- :mod:`storage.embedded`: the embedded default database (a SecantusDB server) and
  :func:`mongo_uri`, which picks a URI or starts that server;
- :mod:`storage.spool`: the crawler's write-ahead spool of records not yet stored;
- :mod:`storage.warc`, :mod:`storage.warcread`: the crawl's WARC archive of what it fetched,
  written and read;
- :mod:`storage.paths`: the local data directory and the folders inside it;
- :mod:`storage.redact`: connection strings with their passwords hidden, for logs;
- :mod:`storage.runs`: the ``runs`` collection, one summary per crawl of a site with its
  health flags;
- :mod:`storage.queries`: reading articles (filters, streaming, one record, per-site figures);
- :mod:`storage.dedupe`: the store's dedupe options (how it signs records), apart from the
  clustering in :mod:`storage.clusters`.

It imports neither the cleaner, the crawler nor the commands: records come in as dicts. The
names below are imported when first asked for: a crawl's cleaning worker imports
:mod:`storage.dedupe` without pymongo (0.16 s of its start).
"""
from importlib import import_module

_HOMES = {"ArticleStore": "storage.articles", "UpsertResult": "storage.articles", "record_key": "storage.articles",
          "mongo_uri": "storage.embedded", "data_dir": "storage.paths", "ArticleFilter": "storage.queries",
          "connect": "storage.queries", "redact_uri": "storage.redact", "RunStore": "storage.runs"}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'storage' has no attribute {name!r}")
    value = globals()[name] = getattr(import_module(home), name)
    return value
