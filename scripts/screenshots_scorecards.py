"""Screenshots of the scorecards (考核 · 红黑榜) at a desk (1366×768) for docs/screenshots/: a
hall's scorecard explained line by line, a clerk's card, a counter's card, the region's ranking with its arrows,
the weights editor and the appeals. Run against a demo hall (`servicehall demo`):
    python3 scripts/screenshots_scorecards.py http://127.0.0.1:8080 docs/screenshots
Needs `pip install playwright` and Debian's chromium (no browser download)."""
import sys

from playwright.sync_api import sync_playwright
from shotkit import Kit, launch

base, out = sys.argv[1:3]
kit = Kit(base, out, size=(1366, 768))

with sync_playwright() as p:
    b = launch(p)
    _, m = kit.login(b, "manager")
    m.goto(base + "/scorecards")
    kit.shot(m, "scorecard-hall.png", full=True)
    m.goto(base + "/scorecards?tab=clerk")
    kit.shot(m, "scorecard-clerks.png", full=True)
    m.goto(base + "/scorecards?tab=counter")
    kit.shot(m, "scorecard-counter.png", full=True)
    _, s = kit.login(b, "dlsupervisor")
    s.goto(base + "/ranking")
    kit.shot(s, "scorecard-ranking.png", full=True)
    s.goto(base + "/admin/scorecard-schemes")
    kit.shot(s, "scorecard-schemes.png", full=True)
    s.goto(base + "/appeals")
    kit.shot(s, "scorecard-appeals.png", full=True)
    _, c = kit.login(b, "clerk1", 390, 844)
    c.goto(base + "/scorecards")
    kit.shot(c, "scorecard-clerk-phone.png", full=True)
    b.close()
