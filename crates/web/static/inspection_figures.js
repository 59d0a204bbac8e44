// 检查统计: draws the score by period from the page data (the table under it, rendered by
// the server, holds the same numbers, so the page reads without this script).
"use strict";
(function () {
  const d = SH.data();
  if (d.page !== "hall" || typeof echarts === "undefined") return;
  const el = document.getElementById("chart-periods");
  if (!el) return;
  const periods = d.periods || [];
  const c = echarts.init(el, null, { renderer: "svg" });
  c.setOption({
    textStyle: { fontFamily: "Noto Sans CJK SC, sans-serif" },
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { data: ["得分 Score", "不合格次数 Failed checks"], top: 0 },
    grid: { left: 44, right: 44, top: 36, bottom: 40 },
    xAxis: { type: "category", data: periods.map((p) => p.label), axisLabel: { rotate: periods.length > 10 ? 35 : 0 } },
    yAxis: [
      { type: "value", min: (v) => Math.max(0, Math.floor((v.min - 5) / 10) * 10), max: 100, name: "得分" },
      { type: "value", minInterval: 1, name: "次", splitLine: { show: false } },
    ],
    series: [
      { name: "得分 Score", type: "line", itemStyle: { color: "#00706b" }, data: periods.map((p) => (p.score === "—" ? null : Number(p.score))),
        label: { show: periods.length <= 8, position: "top" } },
      { name: "不合格次数 Failed checks", type: "bar", yAxisIndex: 1, itemStyle: { color: "#c62828", opacity: 0.6 }, data: periods.map((p) => p.failed) },
    ],
  });
  el.dataset.rendered = "1";
  if (window.ResizeObserver) new ResizeObserver(() => c.resize()).observe(el);
})();
