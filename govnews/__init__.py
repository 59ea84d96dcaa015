"""govnews: the command line (``govnews.cli``), the article store shared by the CLI and the
crawler (``govnews.storage``) and the embedded default database (``govnews.embedded``)."""

__version__ = "0.1.0"
