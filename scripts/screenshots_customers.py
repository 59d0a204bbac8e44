"""Screenshots of the customer screens for docs/screenshots/ (and the two screens the\nrecognition panel was added to, guide-desk.png and counter-console.png): the manager's register (1366×768),
one customer's page, the supervisor's counts by segment, and the recognition panel at the guide
desk (1366×768) and at the counter console (1366×768) recognising 刘建国 (残障: green channel,
an open complaint, a missing document last time). Run against a demo hall:
    python3 scripts/screenshots_customers.py http://127.0.0.1:8080 docs/screenshots
Needs `pip install playwright` and Debian's chromium (no browser download)."""
import sys

from playwright.sync_api import sync_playwright
from shotkit import Kit, api, launch

base, out = sys.argv[1:3]
kit = Kit(base, out, size=(1366, 768))

with sync_playwright() as p:
    b = launch(p)
    _, m = kit.login(b, "manager")
    m.goto(base + "/customers")
    kit.shot(m, "customers-register.png")
    m.click("#cust-list a:has-text('0218')")
    m.wait_for_load_state("load")
    kit.shot(m, "customers-page.png", full=True)
    _, s = kit.login(b, "supervisor")
    s.goto(base + "/customers")
    kit.shot(s, "customers-counts.png")
    # The guide desk as screenshots.py shows it (1440×900, tickets issued), with the panel.
    _, g = kit.login(b, "guide", 1440, 900)
    g.goto(base + "/guide")
    for code in ["payment", "payment", "inquiry", "new_residential", "payment"]:
        api(g, "POST", "/api/v1/halls/DL-XG/tickets", {"business_type": code})
    g.reload()
    kit.shot(g, "guide-desk.png")
    g.set_viewport_size({"width": 1366, "height": 768})
    g.fill("#recognise-q", "13898765432")
    g.click("#recognise-form button")
    g.wait_for_selector("#recognise-green")
    kit.shot(g, "customers-guide.png")
    _, c = kit.login(b, "clerk1")
    c.goto(base + "/counter")
    c.wait_for_timeout(800)
    btn = c.query_selector("#open-list button:not([disabled])")
    if btn:
        btn.click()
    try:
        c.wait_for_selector("#console:not([hidden])", timeout=5000)
    except Exception:
        # Before the day's pre-shift check (e.g. run after midnight) the counter stays shut.
        print("counter not opened:", c.inner_text("#open-error"))
    else:
        c.keyboard.press("F1")
        c.wait_for_timeout(800)
        c.keyboard.press("F3")
        kit.shot(c, "counter-console.png")
        c.fill("#recognise-q", "0411300218")
        c.click("#recognise-form button")
        c.wait_for_selector(".recognise-missing")
        kit.shot(c, "customers-counter.png")
    b.close()
