"""What every screenshot script shares: Debian's chromium started headless, sign-in as a demo
account, a screenshot into the output folder, and a JSON API call with the page's CSRF token.
    from shotkit import Kit, api, launch
Needs `pip install playwright` and Debian's chromium (no browser download)."""
import json, os, shutil

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def launch(p):
    return p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)


class Kit:
    """Screens of the demo at `base`, saved into `out`."""

    def __init__(self, base, out, size=(1366, 768), wait_ms=800):
        self.base, self.out, self.size, self.wait_ms = base, out, size, wait_ms
        os.makedirs(out, exist_ok=True)

    def shot(self, page, name, full=False):
        page.wait_for_timeout(self.wait_ms)
        page.screenshot(path=os.path.join(self.out, name), full_page=full)
        print("saved", name)

    def login(self, browser, user, w=None, h=None):
        ctx = browser.new_context(viewport={"width": w or self.size[0], "height": h or self.size[1]},
                                  locale="zh-CN", bypass_csp=True)
        page = ctx.new_page()
        page.goto(self.base + "/login")
        page.fill("input[name=username]", user)
        page.fill("input[name=password]", "demo1234")
        page.click("#login-form button[type=submit]")
        page.wait_for_load_state("load")
        return ctx, page


def api(page, method, path, body=None):
    """[status, body text] of a same-origin JSON request made by the signed-in page."""
    csrf = page.eval_on_selector('meta[name="csrf-token"]', "m => m.content")
    return page.evaluate(
        """async ([m, p, b, c]) => { const r = await fetch(p, {method: m, headers: {'Content-Type': 'application/json', 'X-CSRF-Token': c}, body: b ? JSON.stringify(b) : undefined}); return [r.status, await r.text()]; }""",
        [method, path, body, csrf])


def api_json(page, method, path, body=None):
    """(status, parsed body or None)."""
    status, text = api(page, method, path, body)
    return status, (json.loads(text) if text else None)
