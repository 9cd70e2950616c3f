"""Read a built site folder the way a browser would: its pages, their anchors and where links lead.

Shared by the link, HTML and accessibility checks so all three see the same list of pages. Only
the standard library's ``html.parser``: no browser is needed to decide whether a link resolves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

__all__ = ["Link", "Page", "SiteIndex", "is_https_url", "read_site"]

# Attributes that make the browser fetch or navigate; (tag, attribute).
_LINK_ATTRS = {("a", "href"), ("area", "href"), ("link", "href"), ("script", "src"), ("img", "src"),
               ("iframe", "src"), ("source", "src"), ("video", "src"), ("audio", "src"), ("form", "action")}
# Of those, the ones the page loads by itself (a request to another origin would leave the site).
_FETCHED = {("link", "href"), ("script", "src"), ("img", "src"), ("iframe", "src"), ("source", "src"),
            ("video", "src"), ("audio", "src")}
_NOT_FETCHED_RELS = {"canonical", "alternate", "author", "license", "next", "prev", "search"}
_SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:")
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


@dataclass(frozen=True)
class Link:
    """One URL written in a page: where (page, line), in which tag and attribute, and its text."""

    page: str
    line: int
    tag: str
    attr: str
    url: str
    fetched: bool

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: <{self.tag} {self.attr}={self.url!r}>"


@dataclass
class Page:
    """A page's site path (``reference/routes/index.html``), its anchors and its links."""

    path: str
    anchors: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        for key in ("id", "name") if tag in ("a", "map") else ("id",):
            if key in values:
                self.page.anchors.add(values[key])
        for attr, url in values.items():
            if (tag, attr) in _LINK_ATTRS:
                rels = set(values.get("rel", "").lower().split())
                fetched = (tag, attr) in _FETCHED and not (tag == "link" and rels & _NOT_FETCHED_RELS)
                self.page.links.append(Link(self.page.path, self.getpos()[0], tag, attr, url.strip(), fetched))

    handle_startendtag = handle_starttag


@dataclass
class SiteIndex:
    """Every HTML page of a built site by path, plus every other file, to resolve links against."""

    root: Path
    pages: dict[str, Page]
    files: set[str]

    def resolve(self, base_page: str, url: str) -> tuple[str | None, str]:
        """The file path a same-site URL points at and its decoded fragment; ``None`` if external.

        ``base_page`` is the site path of the page the URL is written in (``""`` for the site
        root), so ``reference/routes/#hardship`` written in a trace resolves from the root.
        """
        if url.lower().startswith(_SKIPPED_SCHEMES):
            return None, ""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            return None, ""
        absolute = urlsplit(urljoin("http://site.invalid/" + base_page, url))
        target = unquote(absolute.path).lstrip("/")
        if target == "" or target.endswith("/"):
            target += "index.html"
        elif target not in self.files and target + "/index.html" in self.files:
            target += "/index.html"
        return target, unquote(absolute.fragment)

    def problem(self, base_page: str, url: str) -> str | None:
        """Why a same-site URL does not resolve to a file (and its anchor), or ``None`` when it does."""
        target, fragment = self.resolve(base_page, url)
        if target is None:
            return None
        if target not in self.files:
            return f"no file {target}"
        if fragment and target in self.pages and fragment not in self.pages[target].anchors:
            return f"no anchor #{fragment} in {target}"
        return None


def read_site(root: Path) -> SiteIndex:
    """Index every file under ``root`` and parse every ``.html`` file in it."""
    files = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    pages: dict[str, Page] = {}
    for path in sorted(f for f in files if f.endswith(".html")):
        page = Page(path)
        parser = _Parser(page)
        parser.feed((root / path).read_text(encoding="utf-8"))
        parser.close()
        pages[path] = page
    return SiteIndex(root, pages, files)


def is_https_url(url: str) -> bool:
    """One well-formed absolute https URL: a real host name, no spaces, no second URL glued on."""
    if not isinstance(url, str) or url != url.strip() or any(c.isspace() for c in url):
        return False
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or parts.username or parts.password:
        return False
    try:
        port = parts.port
    except ValueError:
        return False
    if port is not None or not _HOST.match(parts.hostname):
        return False
    rest = url[len("https://"):]
    return "http://" not in rest.lower() and "https://" not in rest.lower() and "," not in parts.netloc
