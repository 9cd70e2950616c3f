"""The Zensical configuration for a generated docs tree, derived from the project's ``mkdocs.yml``.

Zensical (the successor of Material for MkDocs, by the same team) reads ``mkdocs.yml`` but runs no
MkDocs plugin: it skips ours without a word, so pointed at the project's own ``mkdocs.yml`` it would
build the unrendered templates in ``content/``. ``rulebook generate DIR --zensical-config FILE``
writes FILE instead: every setting of ``mkdocs.yml`` (site, theme, palette, features, Markdown
extensions, nav, validation), which stays the one place they are declared, pointed at DIR, with
these changes:

- ``plugins`` without ``rulebook``: its work is done, DIR is its output.
- no ``theme.custom_dir``: our overrides are copies of Material 9.8 partials made for axe-core and
  html-validate; Zensical's own partials differ, and its search is a dialog of its own that the
  copied search form replaces and breaks.
- ``theme.variant: classic``: Material's design, which our stylesheets were written and audited
  against (Zensical's default, "modern", is another design).
- ``site_dir: site`` beside FILE (Zensical wants both folders inside the config's folder) and,
  when given, ``site_url``, which Zensical writes into the sitemap and each page's canonical link.
  (Unlike Material's, Zensical's instant navigation and search links do not depend on it: a build
  for port 8000 served on another port still navigated instantly in Chromium.)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from .generator import BuildError

__all__ = ["check_layout", "write_zensical_config", "zensical_config"]

_HEADER = ("# Written by `rulebook generate --zensical-config` from mkdocs.yml: edit mkdocs.yml, not this file.\n"
           "# Build with: zensical build --strict --config-file {name}\n")


def zensical_config(project: Path, docs_dir: Path, config_file: Path, site_url: str | None = None) -> dict[str, Any]:
    """The settings of ``project``'s ``mkdocs.yml`` for Zensical building ``docs_dir`` (see the module's docstring)."""
    source = Path(project) / "mkdocs.yml"
    try:
        config = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise BuildError([f"{source}: cannot be read as the site's configuration ({exc})"]) from None
    if not isinstance(config, dict):
        raise BuildError([f"{source}:1: expected a mapping of MkDocs settings"])
    config["docs_dir"] = _inside(Path(docs_dir), Path(config_file).parent)
    config["site_dir"] = "site"
    if site_url:
        config["site_url"] = site_url if site_url.endswith("/") else site_url + "/"
    config["plugins"] = [p for p in config.get("plugins") or [] if _plugin_name(p) != "rulebook"]
    theme = config.setdefault("theme", {})
    if isinstance(theme, str):
        theme = config["theme"] = {"name": theme}
    theme.pop("custom_dir", None)
    theme["variant"] = "classic"
    return config


def write_zensical_config(config: dict[str, Any], config_file: Path) -> Path:
    """Write ``config`` (from :func:`zensical_config`) to ``config_file`` and return its path."""
    config_file = Path(config_file)
    config_file.parent.mkdir(parents=True, exist_ok=True)
    text = _HEADER.format(name=config_file.name) + yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
    config_file.write_text(text, encoding="utf-8")
    return config_file


def check_layout(docs_dir: Path, config_file: Path) -> str | None:
    """Why ``docs_dir`` cannot be built from ``config_file``'s folder, or ``None`` when it can."""
    try:
        _inside(Path(docs_dir), Path(config_file).parent)
    except BuildError as exc:
        return exc.lines[0]
    return None


def _inside(docs_dir: Path, root: Path) -> str:
    relative = os.path.relpath(docs_dir.resolve(), root.resolve())
    if relative == "." or relative.split(os.sep)[0] == "..":
        raise BuildError([f"{docs_dir} must be a folder inside {root}, the folder of the Zensical "
                          "configuration (Zensical builds only docs inside its configuration's folder)"])
    return Path(relative).as_posix()


def _plugin_name(entry: Any) -> str:
    return str(next(iter(entry))) if isinstance(entry, dict) else str(entry)
