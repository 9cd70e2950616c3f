"""``rulebook generate DIR``: write the complete docs tree, for MkDocs, Zensical or any compatible engine."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

__all__ = ["register", "run"]


def register(sub: Any) -> None:
    parser = sub.add_parser("generate", help="write the complete docs tree (Markdown, rules.json, assets) into DIR")
    parser.add_argument("out_dir", help="folder to write; replaced only when generation succeeds")
    parser.add_argument("--project", default=".", help="project folder holding rules/, content/, macros/ (default: .)")
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
