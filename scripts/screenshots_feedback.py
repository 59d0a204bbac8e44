"""Screenshots of the feedback screens (一事一评, 服务补救, 评价异常, 外评导入) for
docs/screenshots/, against a fresh demo hall (`servicehall demo`):
    python3 scripts/screenshots_feedback.py http://127.0.0.1:8080 docs/screenshots
A clerk finishes a visit through the real API; the customer's phone then rates it.
Needs `pip install playwright` and Debian's chromium (no browser download)."""
import json, os, shutil, sys, tempfile
from playwright.sync_api import sync_playwright
from shotkit import Kit, launch, api_json as api

base, out = sys.argv[1:3]
kit = Kit(base, out, size=(1366, 768), wait_ms=900)
shot, login = kit.shot, kit.login


with sync_playwright() as p:
    b = launch(p)

    # A clerk on duty finishes one visit; its slip code goes to the phone.
    code = None
    for n in range(1, 6):
        _, clerk = login(b, f"clerk{n}")
        clerk.goto(base + "/counter")
        _, hall = api(clerk, "GET", "/api/v1/halls/DL-XG")
        counter = next(c for c in hall["counters"] if c["number"] == n)
        api(clerk, "POST", f"/api/v1/counters/{counter['id']}/open")
        _, issued = api(clerk, "POST", "/api/v1/halls/DL-XG/tickets", {"business_type": "payment"})
        status, t = api(clerk, "POST", f"/api/v1/counters/{counter['id']}/call-next")
        print("clerk", n, "call-next", status)
        if status != 200 or not t:
            continue
        api(clerk, "POST", f"/api/v1/tickets/{t['id']}/start")
        status, _ = api(clerk, "POST", f"/api/v1/tickets/{t['id']}/finish",
                        {"amount_due_fen": 12860, "amount_received_fen": 20000})
        print("finish", status)
        # The slip code is in the answer only (call-next leaves it out).
        code = t.get("code") or (issued.get("code") if issued and issued.get("id") == t["id"] else None)
        if not code:
            continue
        break
    assert code, "no clerk could call a ticket"

    pctx = b.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", bypass_csp=True,
                         device_scale_factor=2, is_mobile=True, has_touch=True)
    phone = pctx.new_page()
    phone.goto(f"{base}/t/{code}/rate")
    shot(phone, "phone-rate.png")
    phone.click("#r-overall button[data-level='2']")
    phone.click("#r-reasons input[value='long_wait']")
    phone.click(".stars[data-tp='waiting'] button[data-level='1']")
    phone.click(".stars[data-tp='counter'] button[data-level='4']")
    phone.fill("#r-phone", "13912345678")
    phone.evaluate("document.getElementById('r-why').scrollIntoView()")
    shot(phone, "phone-rate-bad.png")
    phone.click("#r-submit")
    phone.wait_for_selector("#r-closed:not([hidden])")
    phone.evaluate("window.scrollTo(0, 0)")
    shot(phone, "phone-rate-thanks.png")

    _, mgr = login(b, "manager")
    mgr.goto(base + "/feedback/recovery")
    shot(mgr, "recovery-list.png")
    mgr.goto(base + "/manager")
    shot(mgr, "manager-dashboard-callbacks.png")

    _, sup = login(b, "supervisor")
    sup.goto(base + "/feedback/flags?hall=DL-XG")
    shot(sup, "rating-flags.png")
    sup.goto(base + "/feedback/import")
    csv = ("source_row_id,hall_code,date,level,business_type,touchpoint,reasons,comment,customer_phone\n"
           "DEMO-1,DL-XG,2025-11-20 10:00,5,payment,counter,,服务很好,\n"
           "DEMO-2,DL-XG,2025-11-20 11:00,不满意,payment,waiting,等候时间长,,13700001111\n"
           "DEMO-3,DL-XG,2025-11-21,9,payment,,,,\n"
           "DEMO-4,DL-XX,2025-11-21,4,,,,,\n")
    path = os.path.join(tempfile.mkdtemp(), "外评示例.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(csv)
    sup.set_input_files("#imp-file", path)
    sup.click("#imp-submit")
    sup.wait_for_selector("#imp-summary, #imp-error")
    shot(sup, "external-import.png")
    b.close()
