"""Screenshots of the layout map (定置图) for docs/screenshots/: today's half-done map walk on a
tablet (1024×768) and on a phone (390×844), the overview with the findings by zone and item,
and the editor (1366×768). Run against a demo hall (`servicehall demo`):
    python3 scripts/screenshots_layout_map.py http://127.0.0.1:8080 docs/screenshots
Needs `pip install playwright` and Debian's chromium (no browser download)."""
import sys

from playwright.sync_api import sync_playwright
from shotkit import Kit, api_json, launch

base, out = sys.argv[1:3]
kit = Kit(base, out, size=(1024, 768), wait_ms=900)

with sync_playwright() as p:
    b = launch(p)
    _, m = kit.login(b, "manager")
    m.goto(base + "/layout-map")
    # The demo leaves today's walk half done: the newest open one in the list.
    href = m.eval_on_selector("#lm-walks tr.lm-open a", "a => a.getAttribute('href')")
    m.goto(base + href)
    m.wait_for_selector("#lm-panel:not([hidden])")
    kit.shot(m, "layout-map-walk-tablet.png")
    m.goto(base + "/layout-map")
    kit.shot(m, "layout-map-overview.png", full=True)
    _, ph = kit.login(b, "manager", 390, 844)
    ph.goto(base + href)
    ph.wait_for_selector("#lm-panel:not([hidden])")
    kit.shot(ph, "layout-map-walk-phone.png", full=True)
    _, ed = kit.login(b, "manager", 1366, 768)
    ed.goto(base + "/admin/layout-map")
    ed.click("#lm-map g[data-item='umbrellas'] circle")
    kit.shot(ed, "layout-map-editor.png")
    b.close()
