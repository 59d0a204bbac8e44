// The staffing advisor: draws the day's counters and predicted waits (ECharts), copies the
// recommendation into the plan form, saves the plan through the API and runs the replay.
"use strict";
(() => {
  const d = SH.data();
  const $ = (id) => document.getElementById(id);
  const hall = encodeURIComponent(d.hall);
  const green = "#00706b", grey = "#8a8f98", amber = "#a15c00", blue = "#2f5d8a", red = "#c62828";
  const rows = d.day.slots.filter((s) => document.querySelector(`tr[data-slot="${s.slot}"]`));
  const times = rows.map((s) => s.time);
  const charts = {};
  const chart = (id) => {
    if (typeof echarts === "undefined") return null;
    if (!charts[id]) charts[id] = echarts.init($(id), null, { renderer: "svg" });
    return charts[id];
  };
  window.addEventListener("resize", () => Object.values(charts).forEach((c) => c.resize()));
  const base = () => ({
    animation: false, textStyle: { fontFamily: "Noto Sans CJK SC, sans-serif" },
    tooltip: { trigger: "axis" }, legend: { top: 0, type: "scroll" },
    grid: { left: 44, right: 44, top: 40, bottom: 28 },
    xAxis: { type: "category", data: times },
  });
  const planned = () => rows.map((s) => {
    const input = document.querySelector(`input.plan[data-slot="${s.slot}"]`);
    if (input) return input.value === "" ? null : Number(input.value);
    return s.planned_counters;
  });
  const draw = () => {
    const c = chart("chart-counters"), w = chart("chart-waits");
    if (!c || !w) return;
    c.setOption(Object.assign(base(), {
      yAxis: [{ type: "value", name: "人 visits", minInterval: 1 }, { type: "value", name: "窗口 counters", minInterval: 1, position: "right" }],
      series: [
        { name: "预计到达 Forecast", type: "bar", data: rows.map((s) => s.forecast_arrivals), itemStyle: { color: "#b9dcd9" } },
        { name: "建议 Recommended", type: "line", step: "middle", yAxisIndex: 1, data: rows.map((s) => s.recommended_counters), itemStyle: { color: green }, symbol: "none" },
        { name: "计划 Planned", type: "line", step: "middle", yAxisIndex: 1, data: planned(), itemStyle: { color: blue }, lineStyle: { type: "dashed", width: 2 }, symbol: "none" },
        { name: "实际 Actual", type: "line", yAxisIndex: 1, data: rows.map((s) => s.actual_counters), itemStyle: { color: amber }, symbolSize: 5 },
      ],
    }), true);
    const target = Math.round(d.day.target_wait_s / 6) / 10;
    w.setOption(Object.assign(base(), {
      yAxis: { type: "value", name: "分钟 min" },
      series: [
        { name: "预计等候 Predicted wait", type: "line", data: rows.map((s) => Math.round(s.predicted_wait_s / 6) / 10), itemStyle: { color: green },
          markLine: { symbol: "none", label: { formatter: `目标 Target ${target}` }, lineStyle: { color: red, type: "dashed" }, data: [{ yAxis: target }] } },
      ],
    }), true);
    $("chart-counters").dataset.rendered = $("chart-waits").dataset.rendered = "1";
  };
  // Marks a planned half-hour below the recommendation, so a thin plan shows in the table.
  const mark = () => document.querySelectorAll("input.plan").forEach((i) => {
    const s = d.day.slots[Number(i.dataset.slot)];
    i.classList.toggle("below", i.value !== "" && Number(i.value) < s.recommended_counters);
  });
  document.querySelectorAll("input.plan").forEach((i) => i.addEventListener("input", () => { mark(); draw(); }));
  const copy = $("copy-recommended");
  if (copy) copy.addEventListener("click", () => {
    document.querySelectorAll("input.plan").forEach((i) => { i.value = d.day.slots[Number(i.dataset.slot)].recommended_counters; });
    mark(); draw();
    SH.toast("已按建议填入，请保存 · Recommendation copied; save to keep it");
  });
  const save = $("save-plan");
  if (save) save.addEventListener("click", async () => {
    const slots = [];
    for (const i of document.querySelectorAll("input.plan")) {
      if (i.value === "") continue;
      const n = Number(i.value);
      if (!Number.isInteger(n) || n < 0 || n > 99) {
        i.focus();
        SH.toast("窗口数须为 0–99 的整数 · counters must be a whole number from 0 to 99", true);
        return;
      }
      slots.push({ slot: Number(i.dataset.slot), counters: n });
    }
    save.disabled = true;
    try {
      await SH.api("PUT", `/api/v1/halls/${hall}/staffing/plan`, { date: d.date, slots });
      // Reload: the predicted waits are simulated again under the saved plan.
      location.reload();
    } catch (e) {
      SH.toast(e.message, true);
      save.disabled = false;
    }
  });
  const run = $("replay-run");
  if (run) run.addEventListener("click", async () => {
    run.disabled = true;
    try {
      const r = await SH.api("GET", `/api/v1/halls/${hall}/staffing/replay?date=${d.date}&extra=${$("replay-extra").value}&policy=${$("replay-policy").value}`);
      const m = (s) => (s / 60).toFixed(1) + " 分钟";
      const f = (k, v) => `<div class="figure"><div class="v">${v}</div><div class="k">${k}</div></div>`;
      $("replay-figures").innerHTML = f("当天实际 Recorded mean wait", m(r.recorded_mean_wait_s)) +
        f(`按实际窗口 As kept (${r.kept.counter_hours} 窗口·时)`, m(r.kept.mean_wait_s)) +
        f(`另一安排 Alternative (${r.alternative.counter_hours} 窗口·时)`, m(r.alternative.mean_wait_s)) +
        f("达标率 Within target", `${Math.round(r.kept.service_level * 100)}% → ${Math.round(r.alternative.service_level * 100)}%`) +
        f("平均等候节省 Wait saved", m(r.mean_wait_saved_s));
      const el = $("chart-replay");
      el.hidden = false;
      const c = chart("chart-replay");
      if (c) {
        const idx = rows.map((s) => s.slot);
        c.setOption(Object.assign(base(), {
          yAxis: { type: "value", name: "分钟 min" },
          series: [
            { name: "按实际窗口 As kept", type: "line", data: idx.map((i) => Math.round(r.kept.slot_waits_s[i] / 6) / 10), itemStyle: { color: grey } },
            { name: "另一安排 Alternative", type: "line", data: idx.map((i) => Math.round(r.alternative.slot_waits_s[i] / 6) / 10), itemStyle: { color: green } },
          ],
        }), true);
        c.resize();
        el.dataset.rendered = "1";
      }
    } catch (e) {
      SH.toast(e.message, true);
    } finally {
      run.disabled = false;
    }
  });
  mark();
  draw();
})();
