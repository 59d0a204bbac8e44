// The counter screen (挂牌服务): the counter's clerk and status, live from the hall feed.
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
  show(d.counter);
  const refresh = async () => {
    try {
      const q = await SH.api("GET", `/api/v1/halls/${encodeURIComponent(d.hall)}/queue`);
      const c = q.counters.find((x) => x.id === d.counter.id);
      if (c) show(c);
    } catch (_) { /* keep the last state; the stream retries */ }
  };
  SH.stream(`/api/v1/halls/${encodeURIComponent(d.hall)}/events`, (kind, ev) => {
    if (kind === "counter" || (ev && ev.counter_id === d.counter.id)) refresh();
  }, (alive) => { $("cs-live").className = "pill " + (alive ? "green" : "alert"); });
})();
