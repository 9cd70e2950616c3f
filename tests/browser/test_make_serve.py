"""``PORT=… make serve`` serves the live site on that port, with Material's instant navigation intact.

Material silently falls back to full page loads when ``site_url`` does not name the origin being
served; ``mkdocs serve`` sets ``site_url`` to its own address, and this test holds the Makefile to
that on a port other than the configured 8000. It runs the real ``make serve`` (``-o setup``:
nothing is installed) in its own process group, and stops that group when done.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.tools import missing

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 180  # mkdocs serve builds the whole site before it answers

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    if shutil.which("make") is None:
        missing("make is not installed (apt-get install make)")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env["PORT"] = str(port)  # as a reader types it: PORT=… make serve
    process = subprocess.Popen(["make", "--no-print-directory", "-s", "-o", "setup", "serve"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(base, timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read() if process.poll() is not None and process.stdout else ""
                    pytest.fail(f"make serve did not serve {base} (exit {process.poll()}):\n{output}", pytrace=False)
                time.sleep(0.5)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the group started above: make and the mkdocs it runs
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        if process.stdout:
            process.stdout.close()


def test_make_serve_on_another_port_keeps_instant_navigation(browser: Any, served: str) -> None:
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        page.goto(served)
        page.evaluate("window.__sameTab = 'yes'")
        page.locator('.md-nav--primary a[href$="taxes/"]').first.dispatch_event("click")
        page.wait_for_url("**/taxes/")
        assert page.evaluate("window.__sameTab") == "yes", "Material fell back to a full page load: site_url does not match"
        sitemap = page.request.get(served + "sitemap.xml").text()
        assert f"<loc>{served}" in sitemap
    finally:
        context.close()
