"""Screenshots of the staff lists (filters, pager, export and print) for docs/screenshots/.
Run against a demo hall (`servicehall demo`):
    python3 scripts/screenshots_lists.py http://127.0.0.1:8080 docs/screenshots
Needs `pip install playwright` and Debian's chromium (no browser download)."""
import sys
from playwright.sync_api import sync_playwright
from shotkit import Kit, launch

base, out = sys.argv[1:3]
kit = Kit(base, out, size=(1366, 768), wait_ms=600)
shot, login = kit.shot, kit.login

with sync_playwright() as p:
    b = launch(p)
    _, m = login(b, "manager")
    m.goto(base + "/feedback/recovery")
    shot(m, "recovery-list.png")
    m.goto(base + "/feedback/ratings?score=4")
    shot(m, "ratings-list.png")
    m.goto(base + "/cases/register?state=open")
    shot(m, "case-register.png")
    m.goto(base + "/manager/repeat-trips")
    shot(m, "repeat-trips.png")
    m.goto(base + "/cases/register?state=open&format=print")
    shot(m, "list-print.png")
    _, c = login(b, "clerk1", 1440, 900)
    c.goto(base + "/cases")
    shot(c, "case-list.png")
    _, s = login(b, "supervisor")
    s.goto(base + "/observations")
    shot(s, "observations-list.png")
    b.close()
