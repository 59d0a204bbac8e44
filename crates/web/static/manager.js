// Hall manager's dashboard: today's figures, the hours of today beside the usual day (charts),
// each counter's and clerk's day with actions (pause, close, move a clerk), and the live queue;
// refreshed on every hall event.
"use strict";
(() => {
  const d = SH.data();
  const $ = (id) => document.getElementById(id);
  const hall = encodeURIComponent(d.hall);
  const fig = (k, v, warn) => `<div class="figure"><div class="v"${warn ? ' style="color:var(--red)"' : ""}>${v}</div><div class="k">${k}</div></div>`;
  const STATE = { open: "服务中 Open", paused: "暂停 Paused", closed: "未开放 Closed", off: "未上岗 Off duty" };
  const pct = (p) => (p === null || p === undefined ? "—" : p + "%");
  let counters = [];

  // Charts: today in green bars / a solid line, the usual day (same weekday, four weeks) dashed.
  const green = "#00706b", grey = "#8a8f98";
  const charts = {};
  const chart = (id) => {
    if (typeof echarts === "undefined") return null;
    if (!charts[id]) {
      charts[id] = echarts.init($(id), null, { renderer: "svg" });
      if (window.ResizeObserver) new ResizeObserver(() => charts[id].resize()).observe($(id));
    }
    return charts[id];
  };
  window.addEventListener("resize", () => Object.values(charts).forEach((c) => c.resize()));
  const hours = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, "0"));
  const base = (yName) => ({
    animation: false, textStyle: { fontFamily: "Noto Sans CJK SC, sans-serif" },
    tooltip: { trigger: "axis" }, legend: { top: 0 },
    grid: { left: 40, right: 12, top: 32, bottom: 24 },
    xAxis: { type: "category", data: hours }, yAxis: { type: "value", name: yName, minInterval: 1 },
  });
  const drawCharts = (h) => {
    const a = chart("chart-arrivals"), w = chart("chart-waits");
    if (!a || !w) return;
    const mins = (p) => (p.mean_wait_s === null ? null : Math.round(p.mean_wait_s / 6) / 10);
    a.setOption(Object.assign(base("人 visits"), { series: [
      { name: "今天 Today", type: "bar", data: h.today.map((p) => p.arrivals), itemStyle: { color: green } },
      { name: "往常 Usual", type: "line", data: h.usual.map((p) => p.arrivals), itemStyle: { color: grey }, lineStyle: { type: "dashed" }, symbol: "none" },
    ] }));
    w.setOption(Object.assign(base("分钟 min"), { series: [
      { name: "今天 Today", type: "line", data: h.today.map(mins), itemStyle: { color: green }, connectNulls: false },
      { name: "往常 Usual", type: "line", data: h.usual.map(mins), itemStyle: { color: grey }, lineStyle: { type: "dashed" }, symbol: "none" },
    ] }));
    $("chart-arrivals").dataset.rendered = $("chart-waits").dataset.rendered = "1";
    $("compared").textContent = `往常 = 前四周同一天（${h.compared_days.join("、")}）中有客流的 ${h.compared_open_days} 天的平均 · Usual = the mean of the same weekday over the last four weeks (${h.compared_open_days} days with visits)`;
  };

  const acts = (c) => {
    if (!d.can_act) return "";
    const b = (act, label, cls) => `<button type="button" class="${cls}" data-act="${act}" data-counter="${c.id}">${label}</button>`;
    return (c.status === "open" ? b("pause", "暂停<br>Pause", "warn") : "") +
      (c.status !== "closed" ? b("close", "关闭<br>Close", "danger") : "") +
      (c.status !== "closed" && c.clerk ? b("move", "调岗<br>Move", "secondary") : "");
  };
  const drawRows = (p) => {
    counters = p.counters.map((r) => r.counter);
    $("counters").innerHTML = `<tr><th>窗口<br>No.</th><th>状态<br>Status</th><th>柜员<br>Clerk</th><th>办结<br>Served</th><th>平均办理<br>Handling</th><th>满意率<br>Satisfied</th>${d.can_act ? "<th>操作<br>Actions</th>" : ""}</tr>` +
      p.counters.map(({ counter: c, today: t }) => `<tr data-counter="${c.id}"><td>${c.number}</td>` +
        `<td><span class="pill ${c.status}" data-state="${c.status}">${STATE[c.status]}${c.status === "paused" ? " · " + SH.esc(c.pause_reason) : ""}</span><br><small class="muted">${c.status_since ? SH.when(c.status_since) : ""}</small></td>` +
        `<td>${c.clerk && c.status !== "closed" ? SH.esc(c.clerk.name) + "<br><small class=\"muted\">" + SH.esc(c.clerk.badge_no) + "</small>" : "—"}</td>` +
        `<td>${t.served}${t.manual ? ` <small class="manual-mark">含人工 ${t.manual} · incl. ${t.manual} manual</small>` : ""}</td><td>${SH.fmtDur(t.avg_handling_s)}</td><td>${pct(t.satisfaction_pct)} <small class="muted">(${t.ratings})</small></td>${d.can_act ? `<td class="acts">${acts(c)}</td>` : ""}</tr>`).join("");
    $("clerks").innerHTML = "<tr><th>柜员<br>Clerk</th><th>现在<br>Now</th><th>办结<br>Served</th><th>平均办理<br>Handling</th><th>满意率<br>Satisfied</th></tr>" +
      p.clerks.map((k) => `<tr data-staff="${k.staff_id}"><td>${SH.esc(k.name)}<br><small class="muted">${SH.esc(k.badge_no)}</small></td>` +
        `<td>${k.counter_number ? k.counter_number + " 号窗口<br>" : ""}<span class="pill ${k.state === "off" ? "closed" : k.state}">${STATE[k.state]}</span></td>` +
        `<td>${k.today.served}${k.today.manual ? ` <small class="manual-mark">含人工 ${k.today.manual} · incl. ${k.today.manual} manual</small>` : ""}</td><td>${SH.fmtDur(k.today.avg_handling_s)}</td><td>${pct(k.today.satisfaction_pct)} <small class="muted">(${k.today.ratings})</small></td></tr>`).join("");
  };

  const load = async () => {
    try {
      const [s, q, h, p] = await Promise.all([
        SH.api("GET", `/api/v1/halls/${hall}/stats/today`), SH.api("GET", `/api/v1/halls/${hall}/queue`),
        SH.api("GET", `/api/v1/halls/${hall}/stats/hourly`), SH.api("GET", `/api/v1/halls/${hall}/stats/counters`)]);
      const f = s.figures;
      $("day").textContent = s.service_day;
      $("alerts").innerHTML = s.alerts.map((a) => `<li>⚠ ${SH.esc(a)}</li>`).join("");
      $("figures").innerHTML = fig("等候中 Waiting", f.waiting_now) + fig("最长等候 Longest wait", SH.fmtDur(s.longest_wait_s), s.alerts.length > 0) +
        fig("已办结 Served" + (f.manual ? `<br><small class="manual-mark">含人工登记 ${f.manual} 笔 · incl. ${f.manual} manual entries</small>` : ""), f.served) + fig("过号 No-show", f.no_show) + fig("取号 Issued", f.issued) +
        fig("平均等候 Avg wait", SH.fmtDur(f.avg_wait_s)) + fig("平均办理 Avg handling", SH.fmtDur(f.avg_handling_s)) +
        fig("满意率 Satisfaction", pct(f.satisfaction_pct)) + fig("评价数 Ratings", f.ratings);
      $("queue").innerHTML = "<tr><th>业务 Business</th><th>等候 Waiting</th><th>最长 Longest</th><th>目标 Target</th><th>开放窗口 Open</th></tr>" +
        q.types.map((t) => `<tr><td>${SH.esc(t.name_zh)}</td><td>${t.waiting}</td><td>${SH.fmtDur(t.longest_wait_s)} ${t.over_target ? '<span class="pill alert">超时 over</span>' : ""}</td><td>${Math.round(t.target_wait_s / 60)} 分钟</td><td>${t.open_counters}</td></tr>`).join("");
      drawRows(p);
      drawCharts(h);
      $("updated").textContent = "更新于 Updated " + SH.hhmm(Date.now());
    } catch (e) { SH.toast(e.message, true); }
  };

  // Actions: each asks first in a dialog, then goes through the counters' own routes.
  const dlg = $("act-dialog");
  let pending = null;
  const ask = (act, c) => {
    const who = c.clerk ? `${c.clerk.name}（${c.clerk.badge_no}）` : "";
    const targets = counters.filter((o) => o.id !== c.id && o.status === "closed");
    $("act-title").textContent = { pause: `暂停 ${c.number} 号窗口 · Pause counter ${c.number}`, close: `关闭 ${c.number} 号窗口 · Close counter ${c.number}`, move: `调岗 · Move ${who}` }[act];
    $("act-text").textContent = {
      pause: "窗口暂停后不再叫号，柜员仍在岗。 The counter stops calling; the clerk stays on duty.",
      close: `关闭后${who}下岗。 Closing takes ${who} off duty.`,
      move: `${who}将离开 ${c.number} 号窗口，到所选窗口上岗（仅列出未开放的窗口）。 ${who} leaves counter ${c.number} for the chosen counter (closed counters only).`,
    }[act];
    $("act-reason-row").hidden = act !== "pause";
    $("act-target-row").hidden = act !== "move";
    $("act-target").innerHTML = targets.map((o) => `<option value="${o.id}">${o.number} 号窗口 · Counter ${o.number}</option>`).join("");
    $("act-ok").disabled = act === "move" && targets.length === 0;
    $("act-error").textContent = act === "move" && targets.length === 0 ? "没有未开放的窗口可调往 · No closed counter to move to" : "";
    pending = { act, c };
    dlg.showModal();
  };
  const run = async ({ act, c }) => {
    const post = (id, a, body) => SH.api("POST", `/api/v1/counters/${id}/${a}`, body);
    if (act === "pause") {
      await post(c.id, "pause", { reason: $("act-reason").value });
      return `${c.number} 号窗口已暂停 · Counter ${c.number} paused`;
    }
    if (act === "close") {
      await post(c.id, "close");
      return `${c.number} 号窗口已关闭 · Counter ${c.number} closed`;
    }
    const to = counters.find((o) => String(o.id) === $("act-target").value);
    await post(c.id, "move", { to_counter: to.id });
    return `${c.clerk.name} 已调往 ${to.number} 号窗口 · ${c.clerk.name} moved to counter ${to.number}`;
  };
  $("act-form").addEventListener("submit", async (ev) => {
    if (ev.submitter && ev.submitter.value === "cancel") return;
    ev.preventDefault();
    try {
      const msg = await run(pending);
      dlg.close();
      SH.toast(msg);
      load();
    } catch (e) { $("act-error").textContent = e.message; }
  });
  document.addEventListener("click", (ev) => {
    const b = ev.target.closest("button[data-act]");
    if (!b) return;
    const c = counters.find((o) => String(o.id) === b.dataset.counter);
    if (c) ask(b.dataset.act, c);
  });

  let debounce = null;
  load();
  setInterval(load, 10000);
  SH.stream(`/api/v1/halls/${hall}/events`, () => { clearTimeout(debounce); debounce = setTimeout(load, 500); },
    (ok) => { if (!ok) SH.toast("实时连接中断 · Live connection lost", true); });
})();
