"""``rulebook generate DIR``: write the complete docs tree, for MkDocs, Zensical or any compatible engine."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from . import HelpFormatter, exit_status

__all__ = ["register", "run"]


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "generate", help="write the complete docs tree (Markdown, rules.json, assets) into DIR",
        description="Render content/, macros/ and the rule tables into a plain docs tree (pages, rules.json, the engine "
                    "and front-end assets) that MkDocs, Zensical or any MkDocs-compatible engine can build.",
        epilog=exit_status({0: "the tree was written",
                            1: "the rules or pages have problems (one file:line: message line each); DIR is left as it was",
                            2: "bad arguments"}),
        formatter_class=HelpFormatter)
    parser.add_argument("out_dir", metavar="DIR", help="folder to write; replaced only when generation succeeds")
    parser.add_argument("--project", default=".", metavar="DIR",
                        help="project folder holding mkdocs.yml, rules/, content/, macros/ (default: .)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..site.generator import BuildError, generate

    try:
        generated = generate(Path(args.project), Path(args.out_dir))
    except BuildError as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        return 1
    print(f"wrote {len(generated.pages)} pages to {generated.out_dir} ({generated.rules.version})")
    return 0
