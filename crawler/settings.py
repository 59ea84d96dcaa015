"""Scrapy settings for govnews: polite defaults for government sites.

Own settings carry the ``GOVNEWS_`` prefix. Every one can be overridden on the command
line (``-s GOVNEWS_MONGO_ENABLED=0``) or, for the storage URI, by the environment
(``GOVNEWS_MONGO_URI``).

The defaults of the govnews components live here and only here: the components read their
settings without a fallback, as Scrapy's own do, so a crawler built by hand starts from these
(``scrapy.utils.project.get_project_settings()`` with ``SCRAPY_SETTINGS_MODULE=crawler.settings``).
"""
import os

from crawler import gc_tuning

BOT_NAME = "govnews"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# -- politeness -------------------------------------------------------------------------
GOVNEWS_CONTACT_URL = os.environ.get("GOVNEWS_CONTACT_URL", "https://github.com/govnews/govnews")
USER_AGENT = f"govnews/0.1 (+{GOVNEWS_CONTACT_URL}; sci-tech news archive)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5           # each delay is DOWNLOAD_DELAY × 0.5–1.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Only http(s) is ever fetched: no local files (file://), no inline data: URLs, no S3. A start
# URL or redirect naming one fails with NotSupported (govnews/download_error/unsupported_scheme).
# http(s) through crawler.handlers: Scrapy's handler without Twisted's silent second try on a
# reused connection, so every attempt is a counted, bounded retry.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "s3": None,
                     "http": "crawler.handlers.CountedHTTP11DownloadHandler",
                     "https": "crawler.handlers.CountedHTTP11DownloadHandler"}
COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = os.environ.get("GOVNEWS_LOG_LEVEL", "INFO")

# -- govnews components -----------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # robots.txt per RFC 9309: 5xx / 429 / no answer = disallow all (Scrapy's own allows all)
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.robots.StrictRobotsTxtMiddleware": 100,
    "crawler.middlewares.retry_after.RetryAfterMiddleware": 555,     # sees 429/503 before RetryMiddleware (550)
    "crawler.middlewares.antibot.AntiBotMiddleware": 560,            # after retries
    "crawler.middlewares.conditional.ConditionalGetMiddleware": 580,
    "crawler.middlewares.warc.WarcMiddleware": 595,                  # answers as received: after redirects, before decompression
    "crawler.middlewares.failures.DownloadFailureStatsMiddleware": 590,  # every failed attempt, by reason
}
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.conditional.KnownArticlesMiddleware": 600,
}
ITEM_PIPELINES = {
    "crawler.pipelines.clean.CleanPipeline": 100,
    "crawler.pipelines.quality.QualityStatsPipeline": 150,     # figures for the site's health
    "crawler.pipelines.validate.ValidatePipeline": 200,
    "crawler.pipelines.attachments.AttachmentsPipeline": 250,   # off unless GOVNEWS_ATTACHMENTS_DOWNLOAD
    "crawler.pipelines.attachment_text.AttachmentTextPipeline": 260,   # reads what 250 downloaded
    "crawler.pipelines.mongo.MongoPipeline": 300,
}
EXTENSIONS = {
    "crawler.extensions.reactor_lag.ReactorLag": 500,
    "crawler.extensions.gc_stats.GcStats": 505,        # before StatsFile: its closing stats get written
    "crawler.extensions.runs.RunRecorder": 507,        # the run summary + health flags; before StatsFile too
    "crawler.extensions.stats_file.StatsFile": 510,
}

GOVNEWS_REGISTRY = ""                 # path of the site registry; "" = crawler/sites/registry.json
GOVNEWS_MAX_PAGES_PER_LIST = 200      # list pages followed per column (pagination bound)
GOVNEWS_MAX_ARTICLE_PAGES = 30        # pages merged into one multi-page article
GOVNEWS_ATTACHMENTS_DOWNLOAD = False  # attachments are recorded; set True to fetch them too
GOVNEWS_ATTACHMENTS_DIR = ""          # where downloaded attachments go ("" = $GOVNEWS_DATA_DIR/files)
GOVNEWS_ATTACHMENTS_TEXT_ENABLED = True   # read the text inside downloaded attachments
GOVNEWS_ATTACHMENTS_MAXSIZE = 32 * 1024 * 1024   # bytes: a bigger file (or archive member) is too_large
GOVNEWS_ATTACHMENTS_TIMEOUT = 30.0    # CPU seconds one file may take (wall time: 5 s more)
GOVNEWS_ATTACHMENTS_MEMORY = 1024     # MiB of memory one reading process may add
GOVNEWS_ATTACHMENTS_MAXCHARS = 500_000          # text kept per attachment
GOVNEWS_ATTACHMENTS_RECORD_MAXCHARS = 2_000_000   # attachment text kept per record (MongoDB: 16 MB a record)
GOVNEWS_ATTACHMENTS_READERS = 1       # files read at once (each in its own process)

GOVNEWS_CLEAN_ENABLED = True
GOVNEWS_CLEAN_WORKERS = -1            # processes for cleaning: -1 = one per core, 0 = inline
GOVNEWS_CLEAN_NICE = 5                # niceness of the cleaning workers (0 = same as the crawler)
GOVNEWS_CLEAN_BATCH = 16              # items sent to a cleaning worker as one task, at most (while all are busy)
GOVNEWS_GC_THRESHOLD = gc_tuning.THRESHOLD  # young-generation GC threshold after startup (0 = CPython default 700)
GOVNEWS_VALIDATE_ENABLED = True
GOVNEWS_QUALITY_ENABLED = True        # share of records with a date / source / title, median text length
GOVNEWS_RUNS_ENABLED = True           # one summary per crawl in the runs collection, with health flags
GOVNEWS_RUNS_COLLECTION = "runs"
GOVNEWS_RUNS_HISTORY = 50             # earlier runs of the site a new run is compared with

GOVNEWS_MONGO_ENABLED = True
GOVNEWS_MONGO_URI = os.environ.get("GOVNEWS_MONGO_URI", "")   # "" = embedded SecantusDB
GOVNEWS_MONGO_DB = "govnews"
GOVNEWS_MONGO_COLLECTION = "articles"
GOVNEWS_MONGO_BATCH = 100             # records per bulk upsert
GOVNEWS_SPOOL_DIR = ""                # write-ahead spool of unstored records ("" = $GOVNEWS_DATA_DIR/spool)
GOVNEWS_MONGO_WRITE_TIMEOUT = 5.0     # seconds per bulk write try; unreachable = keep spooled, retry
GOVNEWS_MONGO_RETRY_MAX = 30.0        # longest wait between tries while MongoDB is away
GOVNEWS_MONGO_OUTAGE_WAIT = 120.0     # on close, wait this long for MongoDB; then leave the spool

# -- republished copies: signatures and clusters (cleaners/signature.py, storage/clusters.py) --
# Read by crawler/dedupe.py for the crawl, `govnews clean`, `govnews reclean` and `govnews dedupe`.
GOVNEWS_DEDUPE_ENABLED = os.environ.get("GOVNEWS_DEDUPE_ENABLED", "1").strip().lower() in ("1", "true", "yes", "on")
GOVNEWS_DEDUPE_THRESHOLD = float(os.environ.get("GOVNEWS_DEDUPE_THRESHOLD") or 0.8)   # estimated Jaccard of a copy
# ...or the shorter text's share inside the longer (a cut paragraph, an added note); 0 = Jaccard only
GOVNEWS_DEDUPE_CONTAINMENT = float(os.environ.get("GOVNEWS_DEDUPE_CONTAINMENT") or 0.9)

# -- frontier: resumable from JOBDIR (-s JOBDIR=...), even after a kill; or shared in Redis --
SCHEDULER = "crawler.frontier.FrontierScheduler"
GOVNEWS_REDIS_URL = os.environ.get("GOVNEWS_REDIS_URL", "")   # set = scrapy-redis shared frontier
GOVNEWS_REDIS_JOB = os.environ.get("GOVNEWS_REDIS_JOB", "default")  # a new value = a new crawl round
GOVNEWS_REDIS_TTL = 6 * 3600          # frontier keys expire this long after the last process used them

GOVNEWS_CONDITIONAL_ENABLED = True    # If-None-Match / If-Modified-Since for stored articles
GOVNEWS_LOOKUP_TIMEOUT = 2.0          # seconds a lookup of stored validators may take
GOVNEWS_LOOKUP_BACKOFF = 30.0         # after a failed lookup (MongoDB away), none for this long
GOVNEWS_SEEN_BATCH = 500              # articles answered 304 whose last_seen is set in one update
GOVNEWS_REACTOR_LAG_ENABLED = True    # measure how long the event loop is held up
GOVNEWS_STATS_FILE = ""               # write the final stats here as JSON (govnews refresh sets it)
GOVNEWS_ROBOTSTXT_STRICT_ENABLED = True  # robots.txt answering 5xx/429 or not at all = disallow all
GOVNEWS_RETRY_AFTER_ENABLED = True    # wait as asked by Retry-After on 429/503 before retrying...
GOVNEWS_RETRY_AFTER_MAX = 60.0        # ...up to this many seconds; longer = give the URL up this crawl
GOVNEWS_FAILURE_STATS_ENABLED = True  # govnews/download_error/<reason> for every failed attempt

# -- WARC archive of what was fetched (crawler/middlewares/warc.py) ---------------------------
# On for `govnews refresh` (it sets it unless GOVNEWS_WARC is in the environment); a bare
# `scrapy crawl` writes WARC only with GOVNEWS_WARC=1 in the environment or -s GOVNEWS_WARC=1.
GOVNEWS_WARC = os.environ.get("GOVNEWS_WARC", "0").strip().lower() in ("1", "true", "yes", "on")
GOVNEWS_WARC_DIR = ""                 # "" = $GOVNEWS_WARC_DIR, else $GOVNEWS_DATA_DIR/warc
GOVNEWS_WARC_MAX_BYTES = 1_000_000_000  # a new .warc.gz file once the current one is this large
GOVNEWS_WARC_LISTS = False            # also archive list pages (articles always are)
