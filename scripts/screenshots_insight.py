"""Screenshots of the satisfaction screens for docs/screenshots/ (run against `servicehall demo`):
    python3 scripts/screenshots_insight.py http://127.0.0.1:8080 docs/screenshots
Satisfaction view and emotion curve (desktop, manager and supervisor), the observation form
and one observation, the survey administration, and a customer's survey on a phone."""
import json, os, shutil, sys
from playwright.sync_api import sync_playwright
from shotkit import Kit, launch, api

base, out = sys.argv[1:3]
kit = Kit(base, out, size=(1366, 768), wait_ms=1200)
shot, login = kit.shot, kit.login


with sync_playwright() as p:
    b = launch(p)
    _, m = login(b, "manager")
    m.goto(base + "/insight")
    shot(m, "insight-satisfaction.png")
    shot(m, "insight-satisfaction-full.png", full=True)
    m.goto(base + "/insight?by=staff")
    shot(m, "insight-by-clerk.png", full=True)
    m.goto(base + "/insight/curve")
    shot(m, "insight-emotion-curve.png")
    shot(m, "insight-emotion-curve-full.png", full=True)

    _, s = login(b, "supervisor")
    s.goto(base + "/observations")
    shot(s, "observations-list.png")
    s.goto(base + "/observations/new?hall=DL-XG")
    s.select_option("#ob-counter", index=2)
    s.select_option("#ob-clerk", index=2)
    s.check("tr[data-code=grooming] input[value=met]")
    s.check("tr[data-code=greet_farewell] input[value=met]")
    s.check("tr[data-code=standard_phrases] input[value=met]")
    s.check("tr[data-code=read_back] input[value=not_met]")
    s.fill("tr[data-code=read_back] input.note", "收费 86.50 元，找零 13.50 元未唱付")
    s.fill("#ob-evidence", "10:05 2号窗口办理电费缴纳，客户递交 100 元")
    shot(s, "observation-form.png", full=True)
    s.click("#ob-submit")
    s.wait_for_url(lambda u: u.split("/")[-1].isdigit())
    shot(s, "observation-detail.png")

    _, a = login(b, "admin")
    a.goto(base + "/admin/surveys")
    shot(a, "admin-surveys.png", full=True)

    # A customer's survey on a phone: a visit finished at counter 6, the counter sends the link.
    hall = json.loads(m.evaluate("""async () => await (await fetch('/api/v1/halls/DL-XG')).text()"""))
    c6 = [c for c in hall["counters"] if c["number"] == 6][0]["id"]
    st, body = api(m, "POST", "/api/v1/halls/DL-XG/tickets", {"business_type": "inquiry"})
    print("issue", st)
    print("open", api(m, "POST", f"/api/v1/counters/{c6}/open")[0])
    st, body = api(m, "POST", f"/api/v1/counters/{c6}/call-next")
    tid = json.loads(body)["ticket"]["id"] if "ticket" in json.loads(body) else json.loads(body)["id"]
    print("start", api(m, "POST", f"/api/v1/tickets/{tid}/start")[0])
    print("finish", api(m, "POST", f"/api/v1/tickets/{tid}/finish", {})[0])
    st, body = api(m, "POST", f"/api/v1/tickets/{tid}/survey")
    print("invite", st, body[:200])
    link = json.loads(body)["path"]
    pctx = b.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", bypass_csp=True, is_mobile=True)
    phone = pctx.new_page()
    phone.goto(base + link)
    shot(phone, "survey-phone.png")
    shot(phone, "survey-phone-full.png", full=True)
    for key, v in [("welcome", 5), ("triage", 5), ("waiting_env", 4), ("waiting_time", 3), ("counter", 5), ("payment", 5), ("farewell", 4), ("nps", 9)]:
        phone.check(f"input[name=a_{key}][value='{v}']", force=True)
    phone.click("#survey-form button[type=submit]")
    phone.wait_for_load_state("load")
    shot(phone, "survey-phone-thanks.png")
    api(m, "POST", f"/api/v1/counters/{c6}/close")
    b.close()
