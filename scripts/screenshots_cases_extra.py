"""Screenshots of the case-limits editor and of documents on the case page for
docs/screenshots/.

Run against a demo hall (`servicehall demo`):
    python3 scripts/screenshots_cases_extra.py http://127.0.0.1:8080 docs/screenshots
Needs `pip install playwright` and Debian's chromium (no browser download)."""
import os, sys, tempfile
from playwright.sync_api import sync_playwright
from shotkit import Kit, api_json, launch

base, out = sys.argv[1:3]
kit = Kit(base, out, size=(1366, 768), wait_ms=900)
shot, login = kit.shot, kit.login

# A tiny valid PNG and PDF, as a scanner would hand them over.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
                    "0000000c4944415408d763f8cfc000000301010018dd8db00000000049454e44ae426082")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

with sync_playwright() as p:
    b = launch(p)

    # The administrator's editor, on the high-voltage dual-supply connection process.
    actx, admin = login(b, "manager")
    admin.goto(base + "/admin/cases")
    admin.wait_for_selector("#pick option", state="attached")
    idx = admin.evaluate("""() => [...document.querySelectorAll('#pick option')]
        .findIndex(o => o.textContent.includes('高压双电源') && o.textContent.includes('新装'))""")
    if idx >= 0:
        admin.select_option("#pick", str(idx))
    shot(admin, "admin-case-limits.png", full=True)

    # A clerk's open case: upload an ID card photo and a form, supersede the photo.
    cctx, clerk = login(b, "clerk1")
    clerk.goto(base + "/cases")
    status, mine = api_json(clerk, "GET", "/api/v1/halls/DL-XG/cases?view=mine")
    if not mine:
        status, mine = api_json(clerk, "POST", "/api/v1/halls/DL-XG/cases", {
            "kind": "complaint", "customer_name": "周女士", "customer_phone": "13904113388",
            "summary": "电费异常，要求核查"})
        mine = [mine]
    cid = mine[0]["id"]
    clerk.goto(f"{base}/cases/{cid}")
    clerk.wait_for_selector("#doc-file")
    tmp = tempfile.mkdtemp()
    for name, data, note in (("身份证正面.png", PNG, "正面"), ("用电申请表.pdf", PDF, "客户签字")):
        path = os.path.join(tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        clerk.set_input_files("#doc-file", path)
        clerk.fill("#upload-note", note)
        clerk.click("#doc-upload")
        clerk.wait_for_function(f"document.getElementById('documents').textContent.includes('{name}')")
    clerk.click("#documents button[data-supersede]")
    clerk.fill("#sup-reason", "扫描不清，已重新上传")
    clerk.click("#sup-ok")
    clerk.wait_for_selector("#documents li.superseded")
    clerk.wait_for_timeout(600)
    shot(clerk, "case-documents.png", full=True)

    # The same page on a phone.
    pctx, phone = login(b, "clerk1", 390, 844)
    phone.goto(f"{base}/cases/{cid}")
    phone.wait_for_selector("#documents li")
    shot(phone, "case-page-phone.png")
    b.close()
