"""Screenshots of the catalogue field form (with its live preview, and a refused save with
the message next to its field) and of the counter's finish dialog asking the visit's outcome,
for docs/screenshots/.
    python3 scripts/screenshots_catalogue_form.py http://127.0.0.1:8140 docs/screenshots
Needs `pip install playwright` and Debian's chromium (no browser download)."""
import sys
from playwright.sync_api import sync_playwright
from shotkit import Kit, api, launch

base, out = sys.argv[1:3]
kit = Kit(base, out, size=(1366, 768), wait_ms=800)
shot, login = kit.shot, kit.login

with sync_playwright() as p:
    b = launch(p)

    # The administrator adds a document and a fee to next version of 居民新装.
    actx, admin = login(b, "admin")
    admin.goto(base + "/admin/catalogue/form?hall=DL-XG&type=new_residential")
    admin.click("button[data-add-doc=resident]")
    admin.keyboard.type("委托书（代办时）")
    admin.click("#add-fee")
    admin.fill("input[name='fees[1].item']", "复核验表（申请校验且表计合格时）")
    admin.fill("input[name='fees[1].yuan']", "20")
    admin.fill("input[name='fees[1].basis']", "示例：按省价格主管部门核定标准")
    admin.check("input[name='fees[1].sample']")
    admin.wait_for_timeout(900)
    shot(admin, "admin-catalogue-form.png")
    # A refused save: an amount that is not yuan, a fee without a basis.
    admin.fill("input[name='fees[1].yuan']", "20.005")
    admin.fill("input[name='fees[1].basis']", "")
    admin.click("#form-save")
    admin.wait_for_load_state("load")
    admin.locator("input[name='fees[1].yuan']").scroll_into_view_if_needed()
    shot(admin, "admin-catalogue-form-error.png")

    # A clerk serving a customer presses 办结: the outcome dialog.
    gctx, guide = login(b, "guide")
    guide.goto(base + "/guide")
    for code in ["new_residential", "payment", "inquiry", "transfer"]:
        api(guide, "POST", "/api/v1/halls/DL-XG/tickets", {"business_type": code})
    cctx, clerk = login(b, "clerk4")
    clerk.goto(base + "/counter")
    clerk.wait_for_timeout(600)
    btn = clerk.query_selector("#open-list button:not([disabled])")
    if btn:
        btn.click()
        clerk.wait_for_timeout(800)
    # Call until someone is served (the demo's counters serve different businesses).
    for _ in range(6):
        if clerk.query_selector("#btn-finish"):
            break
        for sel in ["#btn-call", "#btn-start"]:
            if clerk.query_selector(sel):
                clerk.click(sel)
                clerk.wait_for_timeout(900)
    clerk.click("#btn-finish")
    clerk.fill("#finish-contact", "139 0411 5678")
    clerk.focus("#finish-confirm")
    shot(clerk, "counter-finish-outcome.png")
    b.close()
