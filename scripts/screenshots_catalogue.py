"""Screenshots of the catalogue screens (public hall page, one-time notice, counter screen,
catalogue editor, repeat trips) for docs/screenshots/.

Run against a demo hall (`servicehall demo`), passing the counter-screen pairing URL it
printed:
    python3 scripts/screenshots_catalogue.py http://127.0.0.1:8080 docs/screenshots COUNTER_SCREEN_URL
Needs `pip install playwright` and Debian's chromium (no browser download)."""
import os, shutil, sys
from playwright.sync_api import sync_playwright
from shotkit import Kit, launch

base, out, screen_url = sys.argv[1:4]
kit = Kit(base, out, size=(1366, 768), wait_ms=800)
shot, login = kit.shot, kit.login


with sync_playwright() as p:
    b = launch(p)

    # A clerk opens counter 1 so the public page and the counter screen show someone on duty.
    cctx, clerk = login(b, "clerk1")
    clerk.goto(base + "/counter")
    clerk.wait_for_timeout(500)
    btn = clerk.query_selector("#open-list button:not([disabled])")
    if btn:
        btn.click()
        clerk.wait_for_timeout(800)

    # Two more counters open and a few customers wait, so the live queue has figures.
    for n in (2, 3):
        ctx, page = login(b, f"clerk{n}")
        page.goto(base + "/counter")
        page.wait_for_timeout(500)
        btn = page.query_selector("#open-list button:not([disabled])")
        if btn:
            btn.click()
            page.wait_for_timeout(500)
    gctx, guide = login(b, "guide")
    guide.goto(base + "/guide")
    csrf = guide.eval_on_selector('meta[name="csrf-token"]', "m => m.content")
    for code in ["payment", "payment", "new_residential", "transfer", "payment", "inquiry"]:
        guide.evaluate("""async ([c, t]) => fetch('/api/v1/halls/DL-XG/tickets', {method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRF-Token': t}, body: JSON.stringify({business_type: c})})""", [code, csrf])

    # The public hall page on a phone, one guide opened; then in large-text mode.
    phone = b.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", bypass_csp=True, device_scale_factor=2)
    pg = phone.new_page()
    pg.goto(base + "/hall/DL-XG")
    shot(pg, "public-hall-phone.png")
    pg.locator("#h-queue").scroll_into_view_if_needed()
    pg.evaluate("document.getElementById('h-queue').scrollIntoView()")
    shot(pg, "public-hall-queue-phone.png")
    pg.click("details:has(#guide-new_residential) summary")
    pg.locator("#guide-new_residential").scroll_into_view_if_needed()
    shot(pg, "public-hall-guide-phone.png")
    pg.click("#large-text")
    pg.evaluate("window.scrollTo(0, 0)")
    shot(pg, "public-hall-large-text-phone.png")

    # The clerk gives a notice from the notice form; the notice on screen and as printed.
    clerk.goto(base + "/notice/new?type=new_business")
    clerk.check("input[name=nf-class][value=hv_single]")
    clerk.fill("#nf-contact", "13904115678")
    shot(clerk, "notice-form.png")
    clerk.click("#nf-give")
    clerk.wait_for_url("**/n/**")
    notice_url = clerk.url
    shot(clerk, "notice-screen.png")
    a5 = b.new_context(viewport={"width": 560, "height": 794}, locale="zh-CN", bypass_csp=True)
    n = a5.new_page()
    n.goto(notice_url + "?paper=a5")
    n.emulate_media(media="print")
    shot(n, "notice-a5-print.png", full=True)
    roll = b.new_context(viewport={"width": 302, "height": 900}, locale="zh-CN", bypass_csp=True)
    r = roll.new_page()
    r.goto(notice_url + "?paper=80mm")
    r.emulate_media(media="print")
    shot(r, "notice-80mm-print.png", full=True)

    # The counter screen (a small display over the counter).
    sctx = b.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", bypass_csp=True)
    s = sctx.new_page()
    s.goto(screen_url)
    s.wait_for_timeout(1500)
    shot(s, "counter-screen.png")

    # The administrator's catalogue, an entry's editor with its preview, the manager's repeat trips.
    actx, admin = login(b, "admin")
    admin.goto(base + "/admin/catalogue?hall=DL-XG")
    shot(admin, "admin-catalogue.png")
    admin.goto(base + "/admin/catalogue/edit?hall=DL-XG&type=new_residential")
    shot(admin, "admin-catalogue-edit.png")
    mctx, manager = login(b, "manager")
    manager.goto(base + "/manager/repeat-trips")
    shot(manager, "repeat-trips.png")
    b.close()
