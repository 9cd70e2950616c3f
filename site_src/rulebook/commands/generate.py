"""``rulebook generate DIR``: write the complete docs tree, for MkDocs, Zensical or any compatible engine.

With ``--zensical-config FILE`` it also writes the configuration Zensical builds DIR with, derived
from ``mkdocs.yml`` (see :mod:`rulebook.site.zensical_config`), so that ``zensical build
--config-file FILE`` follows with no hand-kept second configuration.
"""

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
    parser.add_argument("--zensical-config", metavar="FILE",
                        help="also write FILE, mkdocs.yml adapted for Zensical to build DIR (DIR must be inside FILE's folder)")
    parser.add_argument("--site-url", metavar="URL",
                        help="with --zensical-config: the site_url to build for, e.g. the address it will be served at")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..site.generator import BuildError, generate
    from ..site.zensical_config import check_layout, write_zensical_config, zensical_config

    out_dir = Path(args.out_dir)
    if args.zensical_config:
        problem = check_layout(out_dir, Path(args.zensical_config))
        if problem:
            print(f"rulebook generate: {problem}", file=sys.stderr)
            return 2
    elif args.site_url:
        print("rulebook generate: --site-url is only used with --zensical-config", file=sys.stderr)
        return 2
    try:  # the configuration is read first: a failure leaves DIR as it was
        config = zensical_config(Path(args.project), out_dir, Path(args.zensical_config), args.site_url) \
            if args.zensical_config else None
        generated = generate(Path(args.project), out_dir)
    except BuildError as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        return 1
    print(f"wrote {len(generated.pages)} pages to {generated.out_dir} ({generated.rules.version})")
    if config is not None:
        written = write_zensical_config(config, Path(args.zensical_config))
        print(f"wrote {written}: build it with zensical build --strict --config-file {written}")
    return 0
