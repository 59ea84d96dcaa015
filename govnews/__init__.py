"""govnews: the ``govnews`` command (``govnews.cli``) and its subcommands, one module
``<name>_cmd.py`` each (``clean``, ``refresh``, ``demo``, ``reclean``, ``export``, ``show``,
``serve``, ``sites`` — a group whose sub-commands are the modules of ``sites/``), with
``inputs`` (finding and reading saved pages for ``clean``), ``warc_input`` (the articles WARC
files hold, for ``clean`` and ``reclean``), ``storeargs`` (the reading commands' store
options), ``exporting`` and ``jsonvalues`` (records out as JSON lines or CSV), ``textdiff``
(an article's versions), ``overview`` (the sites at a glance), ``alerts`` (the health
webhook) and ``web/`` (the review page of ``serve``)."""

__version__ = "0.1.0"
