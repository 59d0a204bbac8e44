// Kiosk and guide desk: issue a ticket, show it, print the slip (80 mm) through a hidden frame.
// The kiosk has a large-text mode (大字) for elderly customers, says the number and the people
// ahead aloud after the tap, and draws an icon on each tile (inline SVG, nothing fetched).
"use strict";
(() => {
  const d = SH.data();
  const $ = (id) => document.getElementById(id);
  let busy = false;
  // The number stays on screen at least this long (the server gives a kiosk's repeat tap on
  // the same business within 8 s the same ticket again).
  const SHOW_MS = 8000;
  let hideTimer = null, last = null;
  // Large text lasts for one customer: it is switched off when their number leaves the screen.
  const setLarge = (on) => {
    document.body.classList.toggle("large", on);
    if (!d.guide) $("btn-large").setAttribute("aria-pressed", String(on));
  };
  const hide = () => { $("issued").hidden = true; if (!d.guide) { $("tiles").hidden = false; setLarge(false); } };
  // Line icons per business code; any other business gets the bolt.
  const path = {
    payment: '<circle cx="12" cy="12" r="9"/><path d="M8 7l4 5 4-5M12 12v6M8.5 13h7M8.5 16h7"/>',
    invoice: '<path d="M6 3h9l3 3v15H6z"/><path d="M9 9h6M9 13h6M9 17h4"/>',
    repair: '<path d="M14.5 6.5a4 4 0 0 0 5 5L13 18a2.1 2.1 0 0 1-3-3l6.5-6.5a4 4 0 0 0-2-2z"/><path d="M4 20l5-5"/>',
    new_residential: '<path d="M3 11l9-7 9 7"/><path d="M5 10v10h14V10"/><path d="M12.5 12l-2 3.5h3l-2 3.5"/>',
    new_business: '<path d="M4 21V5h9v16M13 9h7v12"/><path d="M7 9h3M7 13h3M7 17h3M16 13h1M16 17h1"/>',
    transfer: '<path d="M4 8h13l-3-3M20 16H7l3 3"/>',
    solar: '<circle cx="12" cy="7" r="3"/><path d="M12 1v1.5M5.5 4l1 1M18.5 4l-1 1"/><path d="M4 21l2-8h12l2 8zM9 13l-1 8M15 13l1 8M5 17h14"/>',
    ev_charger: '<path d="M6 21V5a2 2 0 0 1 2-2h6a2 2 0 0 1 2 2v16M4 21h14"/><path d="M11.5 7l-2 4h3l-2 4"/><path d="M16 9h2a2 2 0 0 1 2 2v5a1.5 1.5 0 0 0 3 0"/>',
    inquiry: '<circle cx="12" cy="12" r="9"/><path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.7M12 17h.01"/>',
    complaint: '<path d="M4 5h16v11H9l-5 4z"/><path d="M12 8v4M12 14h.01"/>',
  };
  const bolt = '<path d="M13 2L5 14h6l-1 8 8-12h-6z"/>';
  const icon = (code) => `<span class="icon" aria-hidden="true"><svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">${path[code] || bolt}</svg></span>`;
  // Spoken once, in Mandarin, after the tap that issued it: the number digit by digit.
  const sayNumber = (t) => {
    const ahead = t.waiting_ahead === null ? "" : `，前面还有${t.waiting_ahead}人`;
    const text = `您的号码是${t.number.split("").join(" ")}${ahead}，请留意叫号`;
    $("issued").dataset.spoken = text;
    SH.speak(text, 1);
  };
  const printSlip = (code) => {
    const f = document.createElement("iframe");
    f.style.cssText = "position:absolute;width:0;height:0;border:0";
    f.title = "取号单打印 Slip printing";
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
      const wait = t.estimated_wait_s === null ? "暂无窗口服务 No counter open" : `预计等候 约${SH.minutes(t.estimated_wait_s)} · about ${Math.ceil(t.estimated_wait_s / 60)} min`;
      $("issued-info").innerHTML = `${SH.esc(t.business_type)} · 前面还有 <strong>${t.waiting_ahead}</strong> 人 ahead · ${wait}`;
      $("issued").hidden = false;
      if (!d.guide) $("tiles").hidden = true;
      if (!t.repeat) printSlip(t.code);
      if (!d.guide) sayNumber(t);
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
          `<button class="tile" data-code="${SH.esc(t.code)}">${icon(t.code)}${SH.esc(t.name_zh)}<span class="en">${SH.esc(t.name_en)}</span>` +
          `<span class="wait">等候 ${t.waiting} 人 · ${t.estimated_wait_s === null ? "暂无窗口 No counter open" : t.estimated_wait_s === 0 ? "无需等候 No wait" : `约${SH.minutes(t.estimated_wait_s)} · ~${Math.ceil(t.estimated_wait_s / 60)} min`}</span></button>`).join("");
        document.querySelectorAll(".tile").forEach((b) => b.addEventListener("click", () => issue({ business_type: b.dataset.code })));
      }
    } catch (e) {
      SH.toast(e.message, true);
    }
  };
  if (!d.guide) {
    $("btn-large").addEventListener("click", () => setLarge(!document.body.classList.contains("large")));
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
