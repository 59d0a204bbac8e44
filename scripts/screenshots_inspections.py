"""Screenshot of the inspections screen on a tablet (1024×768) for docs/screenshots/: the hall
manager records a pre-shift grooming check for a clerk (one item failed, with its note) and
sees the score, the verdict and the rule. Run against a demo hall (`servicehall demo`):
    python3 scripts/screenshots_inspections.py http://127.0.0.1:8080 docs/screenshots
Needs `pip install playwright` and Debian's chromium (no browser download)."""
import sys

from playwright.sync_api import sync_playwright
from shotkit import Kit, launch

base, out = sys.argv[1:3]
kit = Kit(base, out, size=(1024, 768), wait_ms=900)

with sync_playwright() as p:
    b = launch(p)
    _, m = kit.login(b, "manager")
    m.goto(base + "/inspections")
    # The pre-shift grooming check is first and per person; clerks are first in the picker.
    m.select_option("#ins-subject", index=0)
    m.click("#ins-go")
    m.wait_for_selector("#ins-run:not([hidden]) .ins-item")
    keys = m.eval_on_selector_all(".ins-item", "es => es.map(e => e.dataset.key)")
    for i, k in enumerate(keys):
        r = "fail" if k == "badge" else "pass"
        m.click(f".ins-item[data-key='{k}'] .ins-{r}")
        m.wait_for_function("([n]) => document.querySelector('#ins-provisional').textContent.includes(n + '/')",
                            arg=[i + 1])
    m.fill(".ins-item[data-key='badge'] textarea", "工号牌忘在更衣柜，已取回佩戴")
    m.click("#ins-submit")
    m.wait_for_selector("#ins-result:not([hidden])")
    m.evaluate("window.scrollTo(0, 0)")
    kit.shot(m, "inspection-tablet.png")
    b.close()
