"""Screenshots of the risk screens at the manager's desk (1366×768) for docs/screenshots/: the
register with its heat maps and notices, its KRIs with their 30-day charts, and one risk with
its form, KRIs, trend and history. Run against a demo hall (`servicehall demo`):
    python3 scripts/screenshots_risks.py http://127.0.0.1:8080 docs/screenshots
Needs `pip install playwright` and Debian's chromium (no browser download)."""
import sys

from playwright.sync_api import sync_playwright
from shotkit import Kit, launch

base, out = sys.argv[1:3]
kit = Kit(base, out, size=(1366, 768))

with sync_playwright() as p:
    b = launch(p)
    _, m = kit.login(b, "manager")
    m.goto(base + "/risks")
    kit.shot(m, "risk-register.png")
    m.locator("#kri-list").scroll_into_view_if_needed()
    kit.shot(m, "risk-kris.png")
    m.click("#risk-list tbody tr:first-child a")
    m.wait_for_load_state("load")
    kit.shot(m, "risk-page.png", full=True)
    b.close()
