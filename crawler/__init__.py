"""The govnews Scrapy project: one ``site`` spider driven by a site registry kept as data.

``settings`` (every default), ``sites/`` (the registry), ``spiders/``, ``cms/`` (links on
government CMSs), ``middlewares/``, ``pipelines/`` (clean → quality → validate → attachments →
mongo), ``extensions/``, ``health`` (a run's summary and its flags next to the site's recent
runs) and ``runs`` (recording them), ``frontier`` and ``jobdir`` (the scheduler: shared through Redis, or
resumable), ``database`` (the crawl's shared ArticleStore), ``handlers`` (HTTP without hidden
retries), ``runner`` (a crawl in its own process), ``fixtureserver`` (fixture sites on
loopback, for ``govnews demo``), ``gc_tuning``.

It imports the cleaner (``cleaners``) and storage (``storage``), never the commands.
"""
