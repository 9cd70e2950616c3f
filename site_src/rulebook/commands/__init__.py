"""One module per ``rulebook`` subcommand, each with ``register(subparsers)`` and a ``run``.

Each subcommand states its exit codes once, in its parser's epilog (:func:`exit_status`): ``--help``
prints them and the site's command-line page is generated from the same parser.
"""

from __future__ import annotations

import argparse
import re
import textwrap
from collections.abc import Mapping

__all__ = ["EXIT_STATUS_HEADING", "HelpFormatter", "exit_status"]

EXIT_STATUS_HEADING = "exit status:"


def exit_status(codes: Mapping[int, str]) -> str:
    """The epilog listing ``codes`` (exit code → when), one indented line each, as ``--help`` prints it."""
    width = max(len(str(code)) for code in codes)
    return "\n".join([EXIT_STATUS_HEADING, *(f"  {code:<{width}}  {meaning}" for code, meaning in codes.items())])


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, except that each line of a description or epilog stays a line.

    The default formatter folds the whole epilog into one paragraph, which would run the exit codes
    together. Each line is still wrapped to the terminal's width; an indented ``code  meaning`` line
    continues under its meaning.
    """

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines = []
        for line in text.splitlines():
            hanging = re.match(r"\s+\S+\s+", line)
            lead = hanging.group(0) if hanging else ""
            lines.append(textwrap.fill(line[len(lead):], width, initial_indent=indent + lead,
                                       subsequent_indent=indent + " " * len(lead)))
        return "\n".join(lines)
