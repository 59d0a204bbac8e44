"""Screenshots of the hall manager's dashboard (值班看板) for docs/screenshots/: the hourly
charts against the usual day, the counter and clerk rows, and the pause dialog.
    python3 scripts/screenshots_dashboard.py http://127.0.0.1:8080 docs/screenshots
Run against a demo (`servicehall demo`) on a weekday, so the same weekday of the weeks before
has visits. It first makes some activity through the real API (the guide issues tickets,
four clerks open their counters and serve). With the demo run under a faked date (e.g.
`faketime -f "@2026-12-07 02:40:00" servicehall demo …` for a Monday morning), pass the same
instant as a third argument (`2026-12-07T02:40:00Z`) so the browser's clock agrees. Needs `pip install playwright` and
Debian's chromium (no browser download)."""
import sys
from playwright.sync_api import sync_playwright
from shotkit import Kit, launch, api, api_json

base, out = sys.argv[1:3]
now = sys.argv[3] if len(sys.argv) > 3 else None


def at_now(page):
    """The browser's clock at the demo's (faked) time, so "更新于" matches the hall's day."""
    if now:
        page.clock.set_fixed_time(now)
kit = Kit(base, out, size=(1366, 768), wait_ms=1500)

with sync_playwright() as p:
    b = launch(p)
    gctx, guide = kit.login(b, "guide")
    for code in ["payment", "payment", "inquiry", "new_residential", "payment", "repair", "invoice", "payment"]:
        api(guide, "POST", "/api/v1/halls/DL-XG/tickets", {"business_type": code})
    counters = {c["number"]: c["id"] for c in api_json(guide, "GET", "/api/v1/halls/DL-XG/queue")[1]["counters"]}
    for n in range(1, 5):
        ctx, page = kit.login(b, f"clerk{n}")
        page.goto(base + "/counter")
        api(page, "POST", f"/api/v1/counters/{counters[n]}/open", {})
        if n <= 2:
            api(page, "POST", f"/api/v1/counters/{counters[n]}/call-next")
    # 1366×768: the counter console's screen size, where the manager often looks.
    mctx, manager = kit.login(b, "manager")
    at_now(manager)
    manager.goto(base + "/manager")
    kit.shot(manager, "manager-dashboard.png", full=True)
    manager.click("#counters button[data-act=pause]")
    kit.shot(manager, "manager-dashboard-pause.png")
    manager.click("#act-form button[value=cancel]")
    manager.click(".topbar details.menu summary")
    kit.shot(manager, "staff-menu.png")
    big = Kit(base, out, size=(1920, 1080), wait_ms=1500)
    bctx, wide = big.login(b, "manager")
    at_now(wide)
    wide.goto(base + "/manager")
    big.shot(wide, "manager-dashboard-1920x1080.png")
    b.close()
