"""Screenshots of the feedback settings, flags with findings, period views and the survey
offered after a visit, for docs/screenshots/, against a fresh demo hall (`servicehall demo`):
    python3 scripts/screenshots_review.py http://127.0.0.1:8130 docs/screenshots
Needs `pip install playwright` and Debian's chromium (no browser download)."""
import sys
from playwright.sync_api import sync_playwright
from shotkit import Kit, launch, api_json as api

base, out = sys.argv[1:3]
kit = Kit(base, out, size=(1366, 768), wait_ms=900)
shot, login = kit.shot, kit.login

with sync_playwright() as p:
    b = launch(p)

    # 评价设置: the administrator's screen, a rejected form, and the audit after a save.
    _, admin = login(b, "admin")
    admin.goto(base + "/admin/feedback-settings?hall=DL-XG")
    admin.fill("input[name=top_run]", "40")
    admin.click("#hall-settings-form button[type=submit]")
    admin.wait_for_load_state("load")
    admin.fill("input[name=w_environment]", "15")
    admin.fill("input[name=w_attitude]", "30")
    admin.fill("input[name=w_efficiency]", "25")
    admin.fill("input[name=w_professionalism]", "20")
    admin.fill("input[name=w_disclosure]", "10")
    admin.click("#figures-form button[type=submit]")
    admin.wait_for_load_state("load")
    shot(admin, "admin-feedback-settings.png", full=True)
    admin.fill("input[name=phone_window_hours]", "0")
    admin.fill("input[name=long_visit_s]", "30")
    admin.click("#hall-settings-form button[type=submit]")
    admin.wait_for_load_state("load")
    shot(admin, "admin-feedback-settings-error.png")
    admin.goto(base + "/admin/feedback-settings?hall=DL-XG")
    admin.fill("input[name=w_disclosure]", "5")
    admin.click("#figures-form button[type=submit]")
    admin.wait_for_load_state("load")
    admin.evaluate("document.getElementById('figures').scrollIntoView()")
    shot(admin, "admin-feedback-settings-weights.png")
    # Back to the demo's definitions, so the other screenshots keep their figures.
    admin.goto(base + "/admin/feedback-settings?hall=DL-XG")
    for k, v in [("w_environment", "20"), ("w_attitude", "20"), ("w_efficiency", "20"),
                 ("w_professionalism", "20"), ("w_disclosure", "20")]:
        admin.fill(f"input[name={k}]", v)
    admin.click("#figures-form button[type=submit]")
    admin.wait_for_load_state("load")

    _, mgr = login(b, "manager")
    mgr.goto(base + "/admin/feedback-settings")
    shot(mgr, "admin-feedback-settings-manager.png")

    # 评价异常: the supervisor records a finding on the first open flag.
    _, sup = login(b, "supervisor")
    sup.goto(base + "/feedback/flags?hall=DL-XG")
    form = sup.locator("form.finding-form").first
    form.locator("input[value=confirmed]").check()
    form.locator("textarea[name=note]").fill("调阅柜台录像：柜员在客户离开后自行点按“非常满意”。已约谈，纳入月度考核。")
    form.locator("button[type=submit]").click()
    sup.wait_for_load_state("load")
    sup.evaluate("document.querySelector('.flag.judged').scrollIntoView()")
    shot(sup, "rating-flags-finding.png")
    sup.goto(base + "/feedback/flags?hall=DL-XG")
    shot(sup, "rating-flags.png")

    # 满意度 by week, with the previous / next links.
    mgr.goto(base + "/insight?period=week&by=counter")
    shot(mgr, "insight-week.png")
    mgr.goto(base + "/insight?period=month")
    shot(mgr, "insight-month.png")

    # A finished visit: the follow page offers the survey beside the rating.
    code = None
    for n in range(1, 6):
        _, clerk = login(b, f"clerk{n}")
        clerk.goto(base + "/counter")
        _, hall = api(clerk, "GET", "/api/v1/halls/DL-XG")
        counter = next(c for c in hall["counters"] if c["number"] == n)
        api(clerk, "POST", f"/api/v1/counters/{counter['id']}/open")
        _, issued = api(clerk, "POST", "/api/v1/halls/DL-XG/tickets", {"business_type": "payment"})
        status, t = api(clerk, "POST", f"/api/v1/counters/{counter['id']}/call-next")
        if status != 200 or not t:
            continue
        api(clerk, "POST", f"/api/v1/tickets/{t['id']}/start")
        api(clerk, "POST", f"/api/v1/tickets/{t['id']}/finish",
            {"amount_due_fen": 12860, "amount_received_fen": 20000})
        # The slip code is in the answer only (call-next leaves it out).
        code = t.get("code") or (issued.get("code") if issued and issued.get("id") == t["id"] else None)
        if not code:
            continue
        break
    assert code, "no clerk could call a ticket"
    pctx = b.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", bypass_csp=True,
                         device_scale_factor=2, is_mobile=True, has_touch=True)
    phone = pctx.new_page()
    phone.goto(f"{base}/t/{code}")
    phone.wait_for_selector("#f-survey", timeout=10000)
    shot(phone, "phone-follow-survey.png")
    b.close()
