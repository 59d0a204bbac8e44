"""Screenshots of the counter's screens for docs/screenshots/: the clerk's console at
1366×768 (serving with the function keys, the no-show's undo, a pause counting up), the
evaluator pad at 1280×800 (idle with the clerk's photo, the rating with a payment's
read-back), the counter screen, and a staff photo set from the hall's staff list.

Run against a demo hall (`servicehall demo`), passing the pairing URLs it printed:
    python3 scripts/screenshots_counters.py http://127.0.0.1:8080 docs/screenshots SCREEN_URL EVALUATOR_URL
Needs `pip install playwright` and Debian's chromium (no browser download)."""
import os, struct, sys, tempfile, zlib
from playwright.sync_api import sync_playwright
from shotkit import Kit, launch, api

base, out, screen_url, pad_url = sys.argv[1:5]
kit = Kit(base, out, size=(1366, 768), wait_ms=900)
shot, login = kit.shot, kit.login


def portrait_png(w=240, h=320):
    """A drawn head-and-shoulders portrait (no photo of a real person in the docs)."""
    rows = []
    for y in range(h):
        row = bytearray([0])
        for x in range(w):
            head = (x - w / 2) ** 2 + (y - h * 0.38) ** 2 < (w * 0.22) ** 2
            body = (x - w / 2) ** 2 / (w * 0.42) ** 2 + (y - h * 1.02) ** 2 / (h * 0.38) ** 2 < 1
            row += bytes((236, 196, 160) if head else (30, 60, 110) if body else (214, 232, 244))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


with sync_playwright() as p:
    b = launch(p)
    # The hall's administrator sets clerk1's photo from the staff list.
    actx, admin = login(b, "admin")
    admin.goto(base + "/admin/halls/1")
    row = admin.query_selector("tr[data-username='clerk1']")
    staff_id = row.get_attribute("id").split("-")[1]
    row.query_selector("summary").click()
    path = os.path.join(tempfile.mkdtemp(), "clerk1.png")
    with open(path, "wb") as f:
        f.write(portrait_png())
    admin.set_input_files(f"#photo-form-{staff_id} input[type=file]", path)
    admin.click(f"#photo-form-{staff_id} button[type=submit]")
    admin.wait_for_timeout(1200)
    row.scroll_into_view_if_needed()
    shot(admin, "admin-staff-photo.png")

    # Customers waiting for counter 1 (payments), then clerk1 opens it.
    gctx, guide = login(b, "guide")
    guide.goto(base + "/guide")
    for code in ["payment", "payment", "payment", "payment"]:
        api(guide, "POST", "/api/v1/halls/DL-XG/tickets", {"business_type": code})
    sctx = b.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", bypass_csp=True)
    screen = sctx.new_page(); screen.goto(screen_url)
    ectx = b.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", bypass_csp=True)
    pad = ectx.new_page(); pad.goto(pad_url)
    cctx, clerk = login(b, "clerk1")
    clerk.goto(base + "/counter")
    clerk.wait_for_timeout(600)
    btn = clerk.query_selector("#open-list button:not([disabled])")
    if btn:
        btn.click()
        clerk.wait_for_timeout(1000)
    shot(pad, "evaluator-idle.png")
    clerk.keyboard.press("F1")
    clerk.wait_for_timeout(800)
    clerk.keyboard.press("F3")
    shot(clerk, "counter-console.png")
    shot(screen, "counter-screen.png")
    clerk.keyboard.press("F4")
    clerk.wait_for_timeout(400)
    clerk.keyboard.type("128.60")
    clerk.keyboard.press("Tab")
    clerk.keyboard.type("200")
    clerk.fill("#finish-contact", "139 0411 5678")
    clerk.focus("#received")
    shot(clerk, "counter-finish-outcome.png")
    clerk.keyboard.press("Enter")
    shot(pad, "evaluator-rating.png")
    shot(clerk, "counter-readback.png")
    # The next customer does not come: F8, and five seconds to take it back.
    clerk.keyboard.press("F1")
    clerk.wait_for_timeout(800)
    clerk.keyboard.press("F8")
    kit.wait_ms = 300
    shot(clerk, "counter-noshow-undo.png")
    clerk.keyboard.press("Escape")
    clerk.wait_for_timeout(500)
    # Lunch: the ticket is finished elsewhere, then a pause that counts up.
    clerk.keyboard.press("F8")
    clerk.wait_for_timeout(6500)
    clerk.keyboard.press("F9")
    clerk.wait_for_timeout(300)
    clerk.fill("#reason-input", "午休")
    clerk.keyboard.press("Enter")
    clerk.wait_for_timeout(3500)
    shot(clerk, "counter-paused.png")
    clerk.keyboard.press("F9")
    b.close()
