"""How long headless Chromium takes to open an HTML report, and to search it.

Driven as the suite's browser tests drive it (tests/system/reports/test_reports_end_to_end.py):
Playwright for Python with Debian's ``chromium``, never a downloaded browser. Times the page's
``load`` event with scripts on and off, and a search (typing into the search box until the count
line under the filters changes).

    python benchmarks/page_load.py report.html --search item_12345
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def page_times(path: Path, search: str) -> dict[str, float] | str:
    """Seconds to open ``path`` (scripts on, off) and to search it; a sentence when Chromium is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "not timed: the playwright package is not installed (pip install -e '.[html-test]')"
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        return "not timed: no chromium browser here (Debian: apt-get install chromium)"
    times: dict[str, float] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS)
        for scripts in (True, False):
            context = browser.new_context(java_script_enabled=scripts)
            page = context.new_page()
            start = time.perf_counter()
            page.goto(path.resolve().as_uri(), wait_until="load", timeout=600_000)
            times["open" if scripts else "open, scripts off"] = time.perf_counter() - start
            if scripts:
                before = page.locator("#shown").inner_text()
                start = time.perf_counter()
                page.locator("#search").fill(search)
                page.wait_for_function(
                    "before => document.getElementById('shown').textContent !== before", arg=before, timeout=600_000
                )
                times["search"] = time.perf_counter() - start
            context.close()
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("page", type=Path)
    parser.add_argument("--search", default="item_1")
    args = parser.parse_args()
    found = page_times(args.page, args.search)
    print(found if isinstance(found, str) else ", ".join(f"{k} {v:.2f} s" for k, v in found.items()))


if __name__ == "__main__":
    main()
