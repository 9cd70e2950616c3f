"""Non-blocking check: does Zensical (Material's successor) build the tree `rulebook generate` writes?

Prints what happened and always exits 0: Zensical is not a dependency, and its compatibility is
recorded in the README rather than enforced. Usage: ``python bench/check_zensical.py [ZENSICAL]``
(default: ``zensical`` on PATH; install it in a separate venv with ``pip install zensical``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    zensical = sys.argv[1] if len(sys.argv) > 1 else shutil.which("zensical")
    if not zensical or not Path(zensical).exists():
        print("zensical: not installed; skipped (pip install zensical in a separate venv)")
        return 0
    zensical = str(Path(zensical).resolve())  # the build runs in a temporary folder
    version = subprocess.run([zensical, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        tree = work / "docs"
        subprocess.run([sys.executable, "-m", "rulebook", "generate", str(tree), "--project", str(ROOT)], check=True,
                       capture_output=True)
        config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
        config["docs_dir"] = "docs"
        config["plugins"] = ["search"]
        config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
        (work / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        start = time.perf_counter()
        done = subprocess.run([zensical, "build", "--strict"], cwd=work, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        pages = len(list((work / "site").rglob("index.html"))) if (work / "site").exists() else 0
    status = "ok" if done.returncode == 0 else f"FAILED (exit {done.returncode})"
    print(f"zensical {version}: build --strict {status}, {pages} pages in {seconds:.1f} s")
    if done.returncode != 0:
        print((done.stdout + done.stderr)[-3000:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
