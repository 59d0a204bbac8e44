"""Screenshots of the region tree admin and the on-time rate view, from a running demo.
    python3 scripts/screenshots_regions.py http://127.0.0.1:8080 docs/screenshots"""
import sys
from playwright.sync_api import sync_playwright
from shotkit import Kit, launch

base, out = sys.argv[1], sys.argv[2]
kit = Kit(base, out)
with sync_playwright() as p:
    b = launch(p)
    ctx, page = kit.login(b, "admin")
    page.goto(base + "/admin/regions")
    kit.shot(page, "admin-regions.png", full=True)
    page.goto(base + "/cases/on-time?scope=region:1&from=2026-10-01")
    kit.shot(page, "on-time-region.png", full=True)
    ctx.close()
    ctx, page = kit.login(b, "dlsupervisor")
    page.goto(base + "/cases/on-time")
    kit.shot(page, "on-time-city-supervisor.png")
    ctx.close()
    b.close()
