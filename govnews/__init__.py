"""govnews: the ``govnews`` command (``govnews.cli``) and its subcommands, one module
``<name>_cmd.py`` each (``clean``, ``refresh``, ``demo``), with ``inputs`` (finding and
reading saved pages for ``clean``)."""

__version__ = "0.1.0"
