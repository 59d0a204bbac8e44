"""Screenshots of every ServiceHall screen, as its users see them, for docs/screenshots/.

Run against a demo hall (`servicehall demo`), passing the pairing URLs it printed:
    python3 scripts/screenshots.py http://127.0.0.1:8080 docs/screenshots KIOSK_URL DISPLAY_URL EVALUATOR_URL
It first creates some activity through the real API (a guide issues tickets, clerks open
counters and call), then captures each screen at the size it is used. Needs
`pip install playwright` and Debian's chromium (no browser download)."""
import json, os, shutil, sys, urllib.request
from playwright.sync_api import sync_playwright

base, out, kiosk_url, display_url, pad_url = sys.argv[1:6]
os.makedirs(out, exist_ok=True)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def shot(page, name):
    page.wait_for_timeout(1200)
    page.screenshot(path=os.path.join(out, name), full_page=False)
    print("saved", name)


def login(browser, user, w=1440, h=900):
    ctx = browser.new_context(viewport={"width": w, "height": h}, locale="zh-CN")
    page = ctx.new_page()
    page.goto(base + "/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", "demo1234")
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state("load")
    return ctx, page


def api(page, method, path, body=None):
    csrf = page.eval_on_selector('meta[name="csrf-token"]', "m => m.content")
    return page.evaluate(
        """async ([m, p, b, c]) => { const r = await fetch(p, {method: m, headers: {'Content-Type': 'application/json', 'X-CSRF-Token': c}, body: b ? JSON.stringify(b) : undefined}); return [r.status, await r.text()]; }""",
        [method, path, body, csrf])


with sync_playwright() as p:
    b = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)

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

    # Devices: pair and capture at their real sizes.
    kctx = b.new_context(viewport={"width": 1080, "height": 1920}, locale="zh-CN")
    kiosk = kctx.new_page(); kiosk.goto(kiosk_url); shot(kiosk, "kiosk-portrait.png")
    dctx = b.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    display = dctx.new_page(); display.goto(display_url); display.wait_for_timeout(800)
    clerks[3].click("#btn-call")
    shot(display, "lobby-display-1920x1080.png")
    ectx = b.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
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
    sctx = b.new_context(viewport={"width": 420, "height": 900}, locale="zh-CN")
    slip = sctx.new_page(); slip.goto(f"{base}/slip/{code}"); shot(slip, "ticket-slip-80mm.png")
    phone = sctx.new_page(); phone.set_viewport_size({"width": 390, "height": 844}); phone.goto(f"{base}/t/{code}"); shot(phone, "phone-follow.png")

    mctx, manager = login(b, "manager")
    manager.goto(base + "/manager"); shot(manager, "manager-dashboard.png")
    actx, admin = login(b, "admin")
    admin.goto(base + "/admin"); shot(admin, "admin-halls.png")
    admin.goto(base + "/admin/halls/1"); shot(admin, "admin-hall.png")
    hctx = b.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    home = hctx.new_page(); home.goto(base + "/login"); shot(home, "login.png")
    b.close()
