"""Screenshots of the site's figures and limits for docs/screenshots/: one hall's inspection
figures (1366×768 and a 1024×768 tablet), the region's halls side by side and the region's
rectifications as the supervisor sees them (1366×768), and the schedule with the rectification
limits (1024×768). Run against a demo hall (`servicehall demo`):
    python3 scripts/screenshots_site.py http://127.0.0.1:8080 docs/screenshots
Needs `pip install playwright` and Debian's chromium (no browser download)."""
import sys

from playwright.sync_api import sync_playwright
from shotkit import Kit, launch

base, out = sys.argv[1:3]
kit = Kit(base, out, size=(1366, 768), wait_ms=900)

with sync_playwright() as p:
    b = launch(p)
    _, m = kit.login(b, "manager")
    m.goto(base + "/inspections/figures")
    kit.shot(m, "inspection-figures.png", full=True)
    _, t = kit.login(b, "manager", 1024, 768)
    t.goto(base + "/inspections/figures?period=day")
    kit.shot(t, "inspection-figures-tablet.png")
    t.goto(base + "/inspections/schedule")
    kit.shot(t, "inspection-limits-tablet.png", full=True)
    _, s = kit.login(b, "supervisor")
    s.goto(base + "/inspections/figures/halls")
    kit.shot(s, "inspection-figures-halls.png")
    s.goto(base + "/rectifications?hall=all&state=open")
    kit.shot(s, "rectification-region.png")
    b.close()
