"""The ``govnews sites`` command group: one module ``<name>_cmd.py`` per sub-command
(``list``), each exposing ``add_parser(subparsers)`` like the top-level commands."""
