"""govnews: the ``govnews`` command (``govnews.cli``) and its subcommands, one module
``<name>_cmd.py`` each (``clean``, ``refresh``, ``demo``, ``reclean``), with ``inputs``
(finding and reading saved pages for ``clean``) and ``warc_input`` (the articles WARC files
hold, for ``clean`` and ``reclean``)."""

__version__ = "0.1.0"
