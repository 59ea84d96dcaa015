"""The ``govnews`` command. Each subcommand is a module ``govnews/<name>_cmd.py`` exposing
``add_parser(subparsers)``, which registers its parser and sets ``func=run``
(``run(args) -> int`` is the exit status). Adding a subcommand is adding such a module.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

import govnews

FIRST = ("clean", "refresh", "demo")   # listed in this order in --help, the rest after


def command_modules(package=govnews, first=FIRST) -> list[str]:
    """The names of the subcommand modules of ``package`` (``clean`` for ``govnews/clean_cmd.py``)."""
    names = [m.name[:-4] for m in pkgutil.iter_modules(package.__path__) if m.name.endswith("_cmd")]
    return sorted(names, key=lambda n: (first.index(n) if n in first else len(first), n))


def add_commands(subparsers, package=govnews, first=FIRST) -> None:
    """Register the subcommands of ``package`` (a command group, such as ``govnews sites``,
    is a package of such modules too)."""
    for name in command_modules(package, first):
        try:
            module = importlib.import_module(f"{package.__name__}.{name}_cmd")
        except Exception as exc:
            _unavailable(subparsers, name, exc)
            continue
        module.add_parser(subparsers)


def add_command(subparsers, name: str, help: str, module_doc: str, add_arguments, run) -> argparse.ArgumentParser:
    """Register the subcommand ``name``: its ``--help`` is the module's docstring, its options
    come from ``add_arguments(parser)``, and ``run(args)`` does it."""
    parser = subparsers.add_parser(name, help=help, description=module_doc,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    parser.set_defaults(func=run)
    return parser


def _unavailable(subparsers, name: str, error: BaseException) -> None:
    """A placeholder for a subcommand whose module does not import, so the others still work."""
    reason = f"{type(error).__name__}: {error}"
    parser = subparsers.add_parser(name, help=f"(unavailable: {reason})", add_help=False)
    parser.add_argument("rest", nargs=argparse.REMAINDER)

    def run(args) -> int:
        print(f"govnews {name}: unavailable, its module failed to import: {reason}", file=sys.stderr)
        return 1
    parser.set_defaults(func=run)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govnews", description="Crawl and clean Chinese government sci-tech news.",
        epilog="`govnews COMMAND --help` describes a command.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {govnews.__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    add_commands(subparsers)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help(sys.stderr)
        return 2
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
