// Evaluator pad: idle shows the clerk's badge; when the server reports a visit finished at
// this counter, it asks for a rating (reasons on the two bad levels, with a way back to the
// faces) and returns to idle. For a payment it shows the amounts the clerk read back
// (唱收唱付): due, received, change.
"use strict";
(() => {
  const d = SH.data();
  const $ = (id) => document.getElementById(id);
  let ticketId = null, idleTimer = null, level = null;
  const show = (id) => ["idle", "ask", "why", "thanks"].forEach((s) => ($(s).hidden = s !== id));
  const clerk = (c) => {
    $("clerk-photo").innerHTML = SH.avatar(c && c.name, c && c.photo, 160);
    $("clerk-name").textContent = c ? c.name : "暂停服务 Not staffed";
    $("clerk-badge").textContent = c ? c.badge_no : "—";
    $("ask-photo").innerHTML = c ? SH.avatar(c.name, c.photo, 96) : "";
    $("ask-name").textContent = c ? c.name : "";
    $("ask-badge").textContent = c ? c.badge_no : "—";
  };
  const toIdle = () => { ticketId = null; level = null; show("idle"); };
  const armIdle = (ms) => { clearTimeout(idleTimer); idleTimer = setTimeout(toIdle, ms); };
  // Drawn faces: no emoji font is needed on the pad.
  const mouth = { 5: "M12 25 Q20 33 28 25", 4: "M13 26 Q20 30 27 26", 3: "M13 27 L27 27", 2: "M13 29 Q20 25 27 29", 1: "M12 30 Q20 22 28 30" };
  document.querySelectorAll(".face").forEach((f) => {
    f.innerHTML = `<svg width="64" height="64" viewBox="0 0 40 40" aria-hidden="true"><circle cx="20" cy="20" r="18" fill="none" stroke="#fff" stroke-width="2.5"/>` +
      `<circle cx="14" cy="16" r="2.2" fill="#fff"/><circle cx="26" cy="16" r="2.2" fill="#fff"/><path d="${mouth[f.dataset.face]}" stroke="#fff" stroke-width="2.5" fill="none" stroke-linecap="round"/></svg>`;
  });
  $("counter-label").textContent = d.counter_number + "号窗口 Counter " + d.counter_number;
  clerk(d.clerk);
  $("reason-list").innerHTML = d.reasons.map((r) =>
    `<label><input type="checkbox" value="${SH.esc(r.code)}">${SH.esc(r.zh)}<br><span class="en">${SH.esc(r.en)}</span></label>`).join("");
  // The read-back of the visit just finished, when it was a payment with money taken.
  const amounts = async (id) => {
    $("amounts").hidden = true;
    try {
      const r = await SH.api("GET", `/api/v1/tickets/${id}/read-back`);
      const a = r.read_back;
      if (id !== ticketId || (a.due === 0 && a.received === 0)) return;
      $("amt-due").textContent = "¥" + SH.yuan(a.due);
      $("amt-received").textContent = "¥" + SH.yuan(a.received);
      $("amt-change").textContent = "¥" + SH.yuan(a.change);
      $("amounts").hidden = false;
    } catch (_) { /* not a payment: nothing to read back */ }
  };
  const send = async (reasons) => {
    try {
      await SH.api("POST", `/api/v1/tickets/${ticketId}/rating`, { level, reasons });
      show("thanks");
      armIdle(5000);
    } catch (e) {
      SH.toast(e.message, true);
      armIdle(8000);
    }
  };
  document.querySelectorAll(".levels button").forEach((b) => b.addEventListener("click", () => {
    level = Number(b.dataset.level);
    if (level <= 2) { show("why"); armIdle(d.idle_after_ms); } else { send([]); }
  }));
  $("why-back").addEventListener("click", () => {
    // Back to the faces, with nothing chosen: the customer may have tapped the wrong one.
    level = null;
    document.querySelectorAll("#reason-list input").forEach((i) => { i.checked = false; });
    show("ask");
    armIdle(d.idle_after_ms);
  });
  $("send-reasons").addEventListener("click", () => {
    const reasons = [...document.querySelectorAll("#reason-list input:checked")].map((i) => i.value);
    if (!reasons.length) { SH.toast("请至少选择一项原因 · Please choose at least one reason", true); return; }
    send(reasons);
  });
  // The clerk's plate as the hall reports it now (a counter event carries no photo).
  const reloadClerk = async () => {
    try {
      const q = await SH.api("GET", `/api/v1/halls/${encodeURIComponent(d.hall)}/queue`);
      const c = q.counters.find((x) => x.id === d.counter_id);
      if (c) clerk(c.status === "closed" ? null : c.clerk);
    } catch (_) { /* keep the last plate; the stream retries */ }
  };
  SH.stream(`/api/v1/halls/${encodeURIComponent(d.hall)}/events`, (kind, e) => {
    const p = e.payload;
    if (kind === "finished" && p.counter_id === d.counter_id) {
      ticketId = p.ticket_id;
      $("ask-number").textContent = p.number;
      document.querySelectorAll("#reason-list input").forEach((i) => { i.checked = false; });
      show("ask");
      amounts(p.ticket_id);
      armIdle(d.idle_after_ms);
    } else if (kind === "counter" && p.counter_id === d.counter_id) {
      reloadClerk();
    }
  }, (ok) => $("offline").classList.toggle("show", !ok));
})();
