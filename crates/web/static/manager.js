// Hall manager's dashboard: today's figures and the live queue, refreshed on every hall event.
"use strict";
(() => {
  const d = SH.data();
  const $ = (id) => document.getElementById(id);
  const hall = encodeURIComponent(d.hall);
  const fig = (k, v, warn) => `<div class="figure"><div class="v"${warn ? ' style="color:var(--red)"' : ""}>${v}</div><div class="k">${k}</div></div>`;
  const load = async () => {
    try {
      const [s, q] = await Promise.all([SH.api("GET", `/api/v1/halls/${hall}/stats/today`), SH.api("GET", `/api/v1/halls/${hall}/queue`)]);
      const f = s.figures;
      $("day").textContent = s.service_day;
      $("alerts").innerHTML = s.alerts.map((a) => `<li>⚠ ${SH.esc(a)}</li>`).join("");
      $("figures").innerHTML = fig("等候中 Waiting", f.waiting_now) + fig("最长等候 Longest wait", SH.fmtDur(s.longest_wait_s), s.alerts.length > 0) +
        fig("已办结 Served", f.served) + fig("过号 No-show", f.no_show) + fig("取号 Issued", f.issued) +
        fig("平均等候 Avg wait", SH.fmtDur(f.avg_wait_s)) + fig("平均办理 Avg handling", SH.fmtDur(f.avg_handling_s)) +
        fig("满意率 Satisfaction", f.satisfaction_pct === null ? "—" : f.satisfaction_pct + "%") + fig("评价数 Ratings", f.ratings);
      $("queue").innerHTML = "<tr><th>业务 Business</th><th>等候 Waiting</th><th>最长 Longest</th><th>目标 Target</th><th>开放窗口 Open</th></tr>" +
        q.types.map((t) => `<tr><td>${SH.esc(t.name_zh)}</td><td>${t.waiting}</td><td>${SH.fmtDur(t.longest_wait_s)} ${t.over_target ? '<span class="pill alert">超时 over</span>' : ""}</td><td>${Math.round(t.target_wait_s / 60)} 分钟</td><td>${t.open_counters}</td></tr>`).join("");
      $("counters").innerHTML = "<tr><th>窗口</th><th>状态 Status</th><th>柜员 Clerk</th><th>自 Since</th></tr>" +
        q.counters.map((c) => `<tr><td>${c.number}</td><td><span class="pill ${c.status}">${{ open: "服务中", paused: "暂停 " + SH.esc(c.pause_reason), closed: "未开放" }[c.status]}</span></td><td>${c.clerk && c.status !== "closed" ? SH.esc(c.clerk.name) + " · " + SH.esc(c.clerk.badge_no) : "—"}</td><td>${c.status_since ? SH.when(c.status_since) : "—"}</td></tr>`).join("");
      $("updated").textContent = "更新于 Updated " + SH.hhmm(Date.now());
    } catch (e) { SH.toast(e.message, true); }
  };
  let pending = null;
  load();
  setInterval(load, 10000);
  SH.stream(`/api/v1/halls/${hall}/events`, () => { clearTimeout(pending); pending = setTimeout(load, 500); },
    (ok) => { if (!ok) SH.toast("实时连接中断 · Live connection lost", true); });
})();
