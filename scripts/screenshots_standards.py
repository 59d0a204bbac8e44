"""Screenshots of the standards screens (规章制度) for docs/screenshots/.

Run against a fresh demo hall (`servicehall demo`):
    python3 scripts/screenshots_standards.py http://127.0.0.1:8080 docs/screenshots
Needs `pip install playwright` and Debian's chromium (no browser download)."""
import os, shutil, sys
from playwright.sync_api import sync_playwright
from shotkit import Kit, launch

base, out = sys.argv[1:3]
kit = Kit(base, out, size=(1366, 768), wait_ms=800)
shot, login = kit.shot, kit.login


def search(page, q):
    page.fill("#std-q", q)
    page.wait_for_selector("#std-results li")


with sync_playwright() as p:
    b = launch(p)

    # A clerk who is behind: the documents to read come first.
    _, clerk = login(b, "clerk6")
    clerk.goto(base + "/standards")
    shot(clerk, "standards-to-read.png")
    search(clerk, "一次性告知")
    clerk.locator("[data-std-search]").scroll_into_view_if_needed()
    shot(clerk, "standards-search.png")

    # At the counter console: the quick search beside the queue.
    _, c1 = login(b, "clerk1")
    c1.goto(base + "/counter")
    c1.wait_for_timeout(600)
    btn = c1.query_selector("#open-list button:not([disabled])")
    if btn:
        btn.click()
        c1.wait_for_timeout(800)
    search(c1, "电费")
    shot(c1, "counter-standards-search.png")

    # The hall manager: who has not acknowledged.
    _, m = login(b, "manager")
    m.goto(base + "/standards/acks")
    shot(m, "standards-acks.png")
    m.goto(base + "/standards/acks/records?state=missing")
    shot(m, "standards-ack-records.png")

    # The administrator: a hall document with history, scheduled version and editor.
    _, a = login(b, "admin")
    a.goto(base + "/standards")
    a.click("text=营业厅交接班制度（2026年修订）")
    a.wait_for_load_state("load")
    shot(a, "standards-document.png", full=True)

    # The guide on a phone.
    _, g = login(b, "guide", 390, 844)
    g.goto(base + "/standards")
    shot(g, "standards-phone.png")
    b.close()
