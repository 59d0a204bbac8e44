// The counter screen (挂牌服务): the number being served at this counter, the clerk's name,
// badge and photo, and the counter's status, live from the hall feed.
"use strict";
(() => {
  const d = SH.data();
  const $ = (id) => document.getElementById(id);
  const show = (c) => {
    const open = c.status === "open", paused = c.status === "paused";
    $("cs-status").textContent = open ? "服务中 In service" : paused ? "暂停服务 Paused" : "暂停服务 Not open";
    $("cs-status").className = "cs-status " + c.status;
    $("cs-reason").textContent = paused && c.pause_reason ? "原因 Reason：" + c.pause_reason : "";
    const k = c.clerk;
    $("cs-name").textContent = k ? k.name : "—";
    $("cs-badge").textContent = k ? k.badge_no : "—";
    $("cs-photo").innerHTML = k ? SH.avatar(k.name, k.photo, 160) : "";
  };
  // The ticket at the counter: called (the customer is on the way), served, or held.
  const labels = {
    called: "请 · Please come to this counter",
    serving: "正在办理 · Now serving",
    held: "暂挂 · On hold",
  };
  let shown = null;
  const serving = (t) => {
    shown = t && labels[t.state] ? t.number : null;
    $("cs-serving").hidden = !shown;
    $("cs-serving-number").textContent = shown || "";
    $("cs-serving-label").textContent = shown ? labels[t.state] : "";
  };
  show(d.counter);
  serving(d.current);
  const refresh = async () => {
    try {
      const q = await SH.api("GET", `/api/v1/halls/${encodeURIComponent(d.hall)}/queue`);
      const c = q.counters.find((x) => x.id === d.counter.id);
      if (c) show(c);
    } catch (_) { /* keep the last state; the stream retries */ }
  };
  SH.stream(`/api/v1/halls/${encodeURIComponent(d.hall)}/events`, (kind, ev) => {
    const p = (ev && ev.payload) || {};
    if (kind === "counter" && p.counter_id === d.counter.id) refresh();
    else if (p.ticket_id && p.counter_id === d.counter.id) {
      // A ticket event at this counter: show it while it is here; clear the number when
      // it leaves (finished, no-show, transferred).
      if (labels[p.state]) serving(p);
      else if (p.number === shown) serving(null);
    }
  }, (alive) => { $("cs-live").className = "pill " + (alive ? "green" : "alert"); });
})();
