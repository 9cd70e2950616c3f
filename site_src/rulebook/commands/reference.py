"""The command-line reference page, generated from the ``rulebook`` parser itself.

argparse already holds every subcommand, argument, option, default and, in each parser's epilog,
the exit codes (:func:`rulebook.commands.exit_status`); this module renders them as Markdown for
the site's *Command line* page, so the page cannot drift from what ``rulebook COMMAND --help``
prints. A subcommand registered in :func:`rulebook.cli.build_parser` appears on the next build with
no change here. argparse has no public way to list subcommands or actions, so this reads its
long-stable ``_actions`` list, as argparse's own help formatter does.

The site may not import the command layer (``tests/test_architecture.py``), so the page reaches
this through the generator's extension point: :func:`rulebook.cli.command_reference` is declared in
``pyproject.toml`` as the ``command_reference`` entry of the ``rulebook.page_globals`` group.
"""

from __future__ import annotations

import argparse
import re

from . import EXIT_STATUS_HEADING

__all__ = ["command_reference", "exit_codes", "subcommands", "usage"]

USAGE_WIDTH = 70  # fixed (the page must not depend on the terminal that built it), and fits the content column


def subcommands(parser: argparse.ArgumentParser) -> dict[str, tuple[argparse.ArgumentParser, str]]:
    """Each subcommand's name → (its parser, its one-line help), in the order they were registered."""
    found: dict[str, tuple[argparse.ArgumentParser, str]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, sub in action.choices.items():
                found[name] = (sub, helps.get(name, ""))
    return found


def usage(parser: argparse.ArgumentParser) -> str:
    """The usage line(s) as ``--help`` prints them, without the ``usage:`` prefix, at a fixed width."""
    formatter = argparse.HelpFormatter(parser.prog, width=USAGE_WIDTH)
    formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups, prefix="")
    return formatter.format_help().strip()


def exit_codes(parser: argparse.ArgumentParser) -> dict[str, str]:
    """The exit codes stated in the parser's epilog (code → when), or an empty dict if it states none."""
    lines = (parser.epilog or "").splitlines()
    if EXIT_STATUS_HEADING not in lines:
        return {}
    codes: dict[str, str] = {}
    for line in lines[lines.index(EXIT_STATUS_HEADING) + 1:]:
        match = re.match(r"\s+(\d+)\s+(.*)", line)
        if not match:
            break
        codes[match.group(1)] = match.group(2)
    return codes


def command_reference(parser: argparse.ArgumentParser) -> str:
    """Markdown for the whole command line: the program, then one section per subcommand."""
    parts = [f"## `{parser.prog}`\n\n{_prose(parser.description or '')}", _usage_block(parser), _arguments(parser),
             _exit_table(parser)]
    for name, (sub, summary) in subcommands(parser).items():
        parts.append(f"## `{parser.prog} {name}`\n\n{_prose(sub.description or summary)}")
        parts += [_usage_block(sub), _arguments(sub), _exit_table(sub)]
    return "\n\n".join(part for part in parts if part) + "\n"


def _usage_block(parser: argparse.ArgumentParser) -> str:
    return f"```text\n{usage(parser)}\n```"


def _arguments(parser: argparse.ArgumentParser) -> str:
    rows = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._SubParsersAction) or action.help == argparse.SUPPRESS:
            continue
        rows.append(f"| `{_invocation(action)}` | {_cell(_prose(action.help or '') + _default(action))} |")
    if not rows:
        return ""
    return "\n".join(["| argument | meaning |", "|---|---|", *rows])


def _invocation(action: argparse.Action) -> str:
    if isinstance(action.metavar, str):
        value = action.metavar
    elif action.choices:
        value = "{" + ",".join(map(str, action.choices)) + "}"
    else:
        value = action.dest.upper() if action.option_strings else action.dest
    if not action.option_strings:
        return f"[{value}]" if action.nargs == "?" else value
    names = ", ".join(action.option_strings)
    return names if action.nargs == 0 else f"{names} {value}"


def _default(action: argparse.Action) -> str:
    """The default, when the help text does not already say it."""
    if action.default in (None, False, argparse.SUPPRESS) or "default" in (action.help or ""):
        return ""
    return f" (default: `{action.default}`)"


def _exit_table(parser: argparse.ArgumentParser) -> str:
    codes = exit_codes(parser)
    if not codes:
        return ""
    rows = [f"| {code} | {_cell(_prose(meaning))} |" for code, meaning in codes.items()]
    return "\n".join(["| exit code | when |", "|---:|---|", *rows])


def _prose(text: str) -> str:
    """Help text as Markdown: option names as code, so ``--stale-after`` reads as what you type."""
    return re.sub(r"(?<![\w`-])(--[a-z][a-z-]*)", r"`\1`", " ".join(text.split()))


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
