"""Screenshots of every ServiceHall screen, as its users see them, for docs/screenshots/.

Run against a demo hall (`servicehall demo`), passing the pairing URLs it printed:
    python3 scripts/screenshots.py http://127.0.0.1:8080 docs/screenshots KIOSK_URL DISPLAY_URL EVALUATOR_URL
It first creates some activity through the real API (a guide issues tickets, clerks open
counters and call), then captures each screen at the size it is used. Needs
`pip install playwright` and Debian's chromium (no browser download)."""
import json, os, shutil, sys, urllib.request
from playwright.sync_api import sync_playwright
from shotkit import Kit, launch, api

base, out, kiosk_url, display_url, pad_url = sys.argv[1:6]
kit = Kit(base, out, size=(1440, 900), wait_ms=1200)
shot, login = kit.shot, kit.login


with sync_playwright() as p:
    b = launch(p)

    # Activity: the guide issues tickets, five clerks open their counters, two call.
    gctx, guide = login(b, "guide")
    guide.goto(base + "/guide")
    for code in ["payment", "payment", "inquiry", "new_residential", "payment", "repair", "invoice", "transfer", "payment", "solar"]:
        api(guide, "POST", "/api/v1/halls/DL-XG/tickets", {"business_type": code})
    api(guide, "POST", "/api/v1/halls/DL-XG/tickets", {"business_type": "payment", "priority": "green", "green_reason": "老年人 Elderly"})
    shot(guide, "guide-desk.png")
    clerks = {}
    for n in range(1, 6):
        ctx, page = login(b, f"clerk{n}")
        page.goto(base + "/counter")
        page.wait_for_timeout(300)
        btn = page.query_selector("#open-list button:not([disabled])")
        if btn:
            btn.click()
            page.wait_for_timeout(800)
        clerks[n] = page
    clerks[2].click("#btn-call")
    clerks[2].wait_for_timeout(500)
    clerks[1].click("#btn-call")
    clerks[1].wait_for_timeout(500)
    clerks[1].click("#btn-start")
    shot(clerks[1], "counter-console.png")
    # The customer recognition panel at the counter console's own size (1366×768):
    # 刘建国 by his account number — green channel, an open complaint, a missing paper.
    clerks[1].set_viewport_size({"width": 1366, "height": 768})
    clerks[1].fill("#recognise-q", "0411300218")
    clerks[1].click("#recognise-form button")
    clerks[1].wait_for_selector(".recognise-missing")
    shot(clerks[1], "counter-recognise.png")
    clerks[1].set_viewport_size({"width": 1440, "height": 900})

    # Devices: pair and capture at their real sizes.
    kctx = b.new_context(viewport={"width": 1080, "height": 1920}, locale="zh-CN", bypass_csp=True)
    kiosk = kctx.new_page(); kiosk.goto(kiosk_url); shot(kiosk, "kiosk-portrait.png")
    # A customer taps twice: one ticket, the number held on screen, a second tap says so.
    kiosk.dblclick("#tiles .tile")
    shot(kiosk, "kiosk-ticket.png")
    dctx = b.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN", bypass_csp=True)
    display = dctx.new_page(); display.goto(display_url); display.wait_for_timeout(800)
    clerks[3].click("#btn-call")
    shot(display, "lobby-display-1920x1080.png")
    # Two more counters call within seconds: all three calls show, the latest large.
    clerks[4].click("#btn-call"); clerks[5].click("#btn-call")
    shot(display, "lobby-display-burst.png")
    ectx = b.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", bypass_csp=True)
    pad = ectx.new_page(); pad.goto(pad_url); shot(pad, "evaluator-idle.png")
    clerks[1].click("#btn-finish")
    clerks[1].wait_for_timeout(400)
    clerks[1].fill("#due", "128.60"); clerks[1].fill("#received", "200")
    clerks[1].click("#finish-confirm")
    shot(pad, "evaluator-rating.png")
    shot(clerks[1], "counter-readback.png")

    # The slip and the phone page of a waiting ticket.
    status, body = api(guide, "POST", "/api/v1/halls/DL-XG/tickets", {"business_type": "ev_charger"})
    code = json.loads(body)["code"]
    sctx = b.new_context(viewport={"width": 420, "height": 900}, locale="zh-CN", bypass_csp=True)
    slip = sctx.new_page(); slip.goto(f"{base}/slip/{code}"); shot(slip, "ticket-slip-80mm.png")
    phone = sctx.new_page(); phone.set_viewport_size({"width": 390, "height": 844}); phone.goto(f"{base}/t/{code}"); shot(phone, "phone-follow.png")

    # The manager's dashboard: scripts/screenshots_dashboard.py (1366×768 and 1920×1080).
    mctx, manager = login(b, "manager")
    manager.goto(base + "/manager")
    manager.wait_for_timeout(500); manager.query_selector("#estimate-accuracy").screenshot(path=os.path.join(out, "manager-estimate-accuracy.png"))
    actx, admin = login(b, "admin")
    admin.goto(base + "/admin"); shot(admin, "admin-halls.png")
    admin.goto(base + "/admin/halls/1"); shot(admin, "admin-hall.png")
    hctx = b.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", bypass_csp=True)
    home = hctx.new_page(); home.goto(base + "/login"); shot(home, "login.png")
    home.goto(base + "/manager"); shot(home, "login-then-back.png")
    home.goto(base + "/no-such-page"); shot(home, "not-found.png")
    admin.goto(base + "/admin#hall-file"); shot(admin, "admin-hall-file.png", full=True)
    b.close()
