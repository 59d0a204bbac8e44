"""Screenshots of the customer's screens changed for issue 14 — the kiosk (large text,
icons), the lobby display (scrolling waiting numbers), the phone page (notice, on my way,
leaving) and the rating's recovery case, and the hall form's notice threshold — against a
fresh demo hall (`servicehall demo`), passing the kiosk and display pairing URLs it printed:
    python3 scripts/screenshots_phone.py http://127.0.0.1:8080 docs/screenshots KIOSK_URL DISPLAY_URL
Needs `pip install playwright` and Debian's chromium (no browser download)."""
import sys
from playwright.sync_api import sync_playwright
from shotkit import Kit, launch, api_json as api

base, out, kiosk_url, display_url = sys.argv[1:5]
kit = Kit(base, out, size=(1440, 900), wait_ms=1200)
shot, login = kit.shot, kit.login

with sync_playwright() as p:
    b = launch(p)

    # Activity: five clerks open their counters; the guide issues a busy morning's tickets.
    clerks = {}
    for n in range(1, 6):
        _, clerk = login(b, f"clerk{n}")
        clerk.goto(base + "/counter")
        _, hall = api(clerk, "GET", "/api/v1/halls/DL-XG")
        counter = next(c for c in hall["counters"] if c["number"] == n)
        api(clerk, "POST", f"/api/v1/counters/{counter['id']}/open")
        clerks[n] = (clerk, counter["id"])
    _, guide = login(b, "guide")
    guide.goto(base + "/guide")
    codes = []
    for code in ["payment", "payment", "inquiry", "new_residential", "payment", "repair", "invoice",
                 "transfer", "payment", "solar", "payment", "ev_charger", "payment", "inquiry",
                 "payment", "repair", "payment", "invoice", "payment", "new_business", "payment",
                 "payment", "inquiry", "payment"]:
        _, t = api(guide, "POST", "/api/v1/halls/DL-XG/tickets", {"business_type": code})
        codes.append((code, t["code"]))
    for n in (1, 2):
        clerk, cid = clerks[n]
        api(clerk, "POST", f"/api/v1/counters/{cid}/call-next")

    # The kiosk, in portrait: its tiles with icons, large text, and a number in large text.
    kctx = b.new_context(viewport={"width": 1080, "height": 1920}, locale="zh-CN", bypass_csp=True)
    kiosk = kctx.new_page(); kiosk.goto(kiosk_url); shot(kiosk, "kiosk-portrait.png")
    kiosk.click("#btn-large"); shot(kiosk, "kiosk-large-text.png")
    kiosk.click("#btn-large")
    kiosk.dblclick("#tiles .tile")
    shot(kiosk, "kiosk-ticket.png")

    # The lobby display: every waiting number, scrolling; then a burst of calls.
    dctx = b.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN", bypass_csp=True)
    display = dctx.new_page(); display.goto(display_url); display.wait_for_timeout(800)
    clerk, cid = clerks[3]
    api(clerk, "POST", f"/api/v1/counters/{cid}/call-next")
    shot(display, "lobby-display-1920x1080.png")
    for n in (4, 5):
        clerk, cid = clerks[n]
        api(clerk, "POST", f"/api/v1/counters/{cid}/call-next")
    display.wait_for_timeout(6000)
    shot(display, "lobby-display-burst.png")

    # The phone: a ticket far back, one near the front (the notice), on my way, leaving.
    pctx = b.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", bypass_csp=True,
                         device_scale_factor=2, is_mobile=True, has_touch=True)
    phone = pctx.new_page()
    far = [c for k, c in codes if k == "payment"][-1]
    phone.goto(f"{base}/t/{far}"); shot(phone, "phone-follow.png")
    near = [c for k, c in codes if k == "payment"][4]
    phone.goto(f"{base}/t/{near}"); shot(phone, "phone-follow-near.png")
    phone.click("#f-on-way"); phone.click("#f-leave")
    phone.evaluate("document.getElementById('f-confirm').scrollIntoView()")
    shot(phone, "phone-leave-confirm.png")

    # A finished visit rated badly on the phone: the recovery case to follow.
    clerk, cid = clerks[1]
    status, t = api(clerk, "GET", f"/api/v1/counters/{cid}/console")
    current = (t or {}).get("ticket") or (t or {}).get("current")
    if current:
        api(clerk, "POST", f"/api/v1/tickets/{current['id']}/start")
        api(clerk, "POST", f"/api/v1/tickets/{current['id']}/finish",
            {"amount_due_fen": 12860, "amount_received_fen": 20000})
        code = next(c for k, c in codes if k == "payment")
        phone.goto(f"{base}/t/{code}/rate")
        phone.click("#r-overall button[data-level='2']")
        phone.click("#r-reasons input[value='long_wait']")
        phone.fill("#r-phone", "13912345678")
        phone.click("#r-submit")
        phone.wait_for_selector("#r-closed:not([hidden])")
        phone.evaluate("window.scrollTo(0, 0)")
        shot(phone, "phone-rate-thanks.png")
    else:
        print("no ticket at counter 1; phone-rate-thanks.png not retaken", status, t)

    # The hall form with the notice threshold (提前提醒), as scripts/screenshots.py takes it.
    _, admin = login(b, "admin")
    admin.goto(base + "/admin/halls/1")
    shot(admin, "admin-hall.png")
    b.close()
