"""Screenshots of rectification (整改) for docs/screenshots/: the hall's list filtered to the
overdue cases (1366×768), and one case on a tablet (1024×768) with its photos before and after,
waiting for the supervisor's verification. Run against a demo hall (`servicehall demo`):
    python3 scripts/screenshots_rectification.py http://127.0.0.1:8080 docs/screenshots
Needs `pip install playwright` and Debian's chromium (no browser download)."""
import sys

from playwright.sync_api import sync_playwright
from shotkit import Kit, api_json, launch

base, out = sys.argv[1:3]
kit = Kit(base, out, size=(1366, 768), wait_ms=900)

with sync_playwright() as p:
    b = launch(p)
    _, s = kit.login(b, "supervisor")
    s.goto(base + "/rectifications?hall=DL-XG&state=overdue")
    kit.shot(s, "rectification-list.png")
    # A case fixed and waiting: the supervisor's verify buttons show.
    _, page = api_json(s, "GET", "/api/v1/halls/DL-XG/rectifications?state=to_verify&limit=1")
    items = page["items"]
    if items:
        _, t = kit.login(b, "supervisor", 1024, 768)
        t.goto(base + f"/rectifications/{items[0]['case_id']}")
        kit.shot(t, "rectification-tablet.png")
    b.close()
