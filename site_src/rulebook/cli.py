"""The ``rulebook`` command: one entry point, one small module per subcommand.

Exit codes: 0 success, 1 problems in the rules (or disagreeing vectors), 2 bad input or bad usage;
each subcommand states its own in its parser's epilog, which ``--help`` prints and from which the
site's command-line page is generated (:func:`build_parser` is that one source). Every error an
editor can cause prints as text; no traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__
from .commands import HelpFormatter, calc, check, compare, exit_status, generate, loan, vectors

__all__ = ["build_parser", "command_reference", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: every subcommand, argument, option and exit code."""
    parser = argparse.ArgumentParser(
        prog="rulebook", description="Rule tables → knowledge-base pages and calculator.",
        epilog=exit_status({0: "--version printed the rules and engine version",
                            2: "no command or an unknown one (the help is printed)",
                            130: "interrupted (Ctrl-C)"}),
        formatter_class=HelpFormatter)
    parser.add_argument("--version", action="store_true", help="print the rules/engine version and exit")
    parser.add_argument("--rules", default="rules", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (check, calc, compare, loan, vectors, generate):
        module.register(sub)
    return parser


def command_reference() -> str:
    """Markdown for the site's *Command line* page (a ``rulebook.page_globals`` entry point)."""
    from .commands.reference import command_reference as render

    return render(build_parser())


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from .rules import load_rules

        rules, _ = load_rules(args.rules)
        print(rules.version if rules is not None else __version__)
        return 0
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        result: int = args.run(args)
        return result
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
