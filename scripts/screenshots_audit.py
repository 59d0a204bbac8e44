"""Screenshots of the audit page (防篡改记录) for a supervisor and a hall manager, from a
running demo, at the counter-console size staff use.
    python3 scripts/screenshots_audit.py http://127.0.0.1:8080 docs/screenshots"""
import sys
from playwright.sync_api import sync_playwright
from shotkit import Kit, launch

base, out = sys.argv[1], sys.argv[2]
kit = Kit(base, out)
with sync_playwright() as p:
    b = launch(p)
    for user, name in [("supervisor", "audit-supervisor.png"), ("manager", "audit-manager.png")]:
        ctx, page = kit.login(b, user, 1366, 768)
        page.goto(base + "/audit")
        kit.shot(page, name, full=True)
        ctx.close()
    b.close()
