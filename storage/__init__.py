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
- :mod:`storage.queries`: reading articles (filters, streaming, one record, per-site figures).

It imports neither the cleaner, the crawler nor the commands: records come in as dicts.
"""
from storage.articles import ArticleStore, UpsertResult, record_key
from storage.embedded import mongo_uri
from storage.paths import data_dir
from storage.queries import ArticleFilter, connect
from storage.redact import redact_uri
from storage.runs import RunStore

__all__ = ["ArticleFilter", "ArticleStore", "RunStore", "UpsertResult", "connect", "data_dir", "mongo_uri",
           "record_key", "redact_uri"]
