"""The only MkDocs-specific code: run the generator before each build, watch the sources in serve.

Events used: ``on_startup`` (to know whether this is ``serve``, and to keep one plugin instance
across rebuilds), ``on_config`` (generate the docs tree into a staging folder and point
``docs_dir`` at it) and ``on_serve`` (watch ``rules/``, ``content/`` and ``macros/`` instead of the
staging folder, which the generator rewrites). A problem in the rules or a template stops
``mkdocs build`` with ``file:line: message`` lines; under ``mkdocs serve`` it is logged and the last
good tree keeps being served until the file is fixed.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Literal

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from .generator import THEME_DIR, BuildError, generate

__all__ = ["RulebookPlugin", "RulebookPluginConfig"]

log = logging.getLogger("mkdocs.plugins.rulebook")


class RulebookPluginConfig(Config):  # type: ignore[no-untyped-call]
    """Settings of the ``rulebook`` plugin in ``mkdocs.yml``.

    ```yaml
    plugins:
      - rulebook:
          staging_dir: build/docs
    ```
    """

    staging_dir = c.Type(str, default="build/docs")
    """Where the generated docs tree is written, relative to ``mkdocs.yml``."""

    watch = c.ListOfItems(c.Type(str), default=["rules", "content", "macros"])
    """Folders whose changes trigger a rebuild under ``mkdocs serve``."""


class RulebookPlugin(BasePlugin[RulebookPluginConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.serving = False
        self.staging: Path | None = None
        self.generated_once = False

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        project = Path(config.config_file_path).resolve().parent
        self.staging = (project / self.config.staging_dir).resolve()
        try:
            generate(project, self.staging, live=self.serving)
            self.generated_once = True
        except BuildError as exc:
            if not (self.serving and self.generated_once):
                raise PluginError("the rules or pages have problems:\n" + "\n".join(exc.lines)) from None
            for line in exc.lines:
                log.error(line)
            log.warning("rulebook: serving the last good site until the problem is fixed")
        config.docs_dir = str(self.staging)
        return config

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        project = Path(config.config_file_path).resolve().parent
        if self.staging is not None:
            server.unwatch(str(self.staging))
        for folder in self.config.watch:
            path = project / folder
            if path.exists():
                server.watch(str(path))
        server.watch(str(THEME_DIR))
        return server
