// Kiosk and guide desk: issue a ticket, show it, print the slip (80 mm) through a hidden frame.
"use strict";
(() => {
  const d = SH.data();
  const $ = (id) => document.getElementById(id);
  let busy = false;
  // The number stays on screen at least this long (the server gives a kiosk's repeat tap on
  // the same business within 8 s the same ticket again).
  const SHOW_MS = 8000;
  let hideTimer = null, last = null;
  const hide = () => { $("issued").hidden = true; if (!d.guide) $("tiles").hidden = false; };
  const printSlip = (code) => {
    const f = document.createElement("iframe");
    f.style.cssText = "position:absolute;width:0;height:0;border:0";
    f.src = `/slip/${encodeURIComponent(code)}?print=1`;
    document.body.appendChild(f);
    setTimeout(() => f.remove(), 60000);
  };
  const issue = async (body) => {
    if (busy) return;
    busy = true;
    try {
      // One key per press: a retry after a timeout returns the same ticket.
      const key = (crypto.randomUUID && crypto.randomUUID()) || String(Date.now()) + Math.random();
      const res = await fetch(`/api/v1/halls/${encodeURIComponent(d.hall)}/tickets`, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": SH.csrf, "Idempotency-Key": key },
        body: JSON.stringify(body),
      });
      const t = await res.json();
      if (!res.ok) throw new Error(t.detail || res.statusText);
      $("issued-number").textContent = t.number;
      last = body.business_type;
      // A repeat tap: the same ticket again, and a way to take a second one on purpose.
      if (!d.guide) {
        $("issued-repeat").hidden = !t.repeat;
        $("issued-printing").hidden = !!t.repeat;
      }
      const wait = t.estimated_wait_s === null ? "暂无窗口服务 No counter open" : "预计等候 约" + SH.minutes(t.estimated_wait_s);
      $("issued-info").innerHTML = `${SH.esc(t.business_type)} · 前面还有 <strong>${t.waiting_ahead}</strong> 人 ahead · ${wait}`;
      $("issued").hidden = false;
      if (!d.guide) $("tiles").hidden = true;
      if (!t.repeat) printSlip(t.code);
      clearTimeout(hideTimer);
      hideTimer = setTimeout(hide, SHOW_MS);
      load();
    } catch (e) {
      SH.toast(e.message, true);
    } finally {
      busy = false;
    }
  };
  const load = async () => {
    try {
      const q = await SH.api("GET", `/api/v1/halls/${encodeURIComponent(d.hall)}/queue`);
      if (d.guide) {
        const sel = $("bt-select");
        if (!sel.options.length) {
          sel.innerHTML = q.types.map((t) => `<option value="${SH.esc(t.code)}">${SH.esc(t.prefix)} ${SH.esc(t.name_zh)} · ${SH.esc(t.name_en)}</option>`).join("");
        }
        $("waits").innerHTML = "<tr><th>业务 Business</th><th>等候 Waiting</th><th>最长 Longest</th><th>预计 Estimate</th></tr>" +
          q.types.map((t) => `<tr><td>${SH.esc(t.name_zh)}</td><td>${t.waiting}</td><td>${SH.fmtDur(t.longest_wait_s)}${t.over_target ? ' <span class="pill alert">超时</span>' : ""}</td><td>${t.estimated_wait_s === null ? "无窗口" : SH.minutes(t.estimated_wait_s)}</td></tr>`).join("");
      } else {
        $("tiles").innerHTML = q.types.map((t) =>
          `<button class="tile" data-code="${SH.esc(t.code)}">${SH.esc(t.name_zh)}<span class="en">${SH.esc(t.name_en)}</span>` +
          `<span class="wait">等候 ${t.waiting} 人 · ${t.estimated_wait_s === null ? "暂无窗口 No counter open" : t.estimated_wait_s === 0 ? "无需等候 No wait" : "约" + SH.minutes(t.estimated_wait_s)}</span></button>`).join("");
        document.querySelectorAll(".tile").forEach((b) => b.addEventListener("click", () => issue({ business_type: b.dataset.code })));
      }
    } catch (e) {
      SH.toast(e.message, true);
    }
  };
  if (!d.guide) {
    $("btn-another").addEventListener("click", () => { if (last) issue({ business_type: last, another: true }); });
    $("btn-done").addEventListener("click", () => { clearTimeout(hideTimer); hide(); });
  }
  if (d.guide) {
    $("triage").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const body = { business_type: $("bt-select").value, proxy: $("proxy").checked };
      if ($("green").checked) {
        body.priority = "green";
        body.green_reason = $("green-reason").value;
        if (!body.green_reason) { SH.toast("绿色通道请选择原因 Choose a reason for the green channel", true); return; }
      }
      issue(body);
      $("green").checked = false; $("proxy").checked = false; $("green-reason").value = "";
    });
  }
  load();
  setInterval(load, 15000);
})();
