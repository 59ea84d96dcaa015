"""The ``govnews sites`` command group: one module ``<name>_cmd.py`` per sub-command
(``add``, ``check``, ``list``, ``health``), each exposing ``add_parser(subparsers)`` like the
top-level commands; ``probing`` holds what ``add`` and ``check`` share."""
