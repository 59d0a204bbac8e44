// Satisfaction screens: draws the charts from the page data (the tables are already on the
// page, rendered by the server, so the numbers read without this script).
"use strict";
(function () {
  const d = SH.data();
  if (d.page === "observe") return observeForm(d);
  if (typeof echarts === "undefined") return;
  const green = "#00706b", red = "#c62828", amber = "#c77700";
  const font = { fontFamily: "Noto Sans CJK SC, sans-serif" };
  const charts = [];
  const make = (id, option) => {
    const el = document.getElementById(id);
    if (!el) return;
    const c = echarts.init(el, null, { renderer: "svg" });
    c.setOption(Object.assign({ textStyle: font, animation: false }, option));
    el.dataset.rendered = "1";
    charts.push(c);
    // The card can settle its width after the chart is drawn (fonts, the table beside it):
    // follow the element, not only the window.
    if (window.ResizeObserver) new ResizeObserver(() => c.resize()).observe(el);
  };
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));

  if (d.page === "satisfaction") {
    const groups = d.groups || [];
    make("chart-groups", {
      tooltip: { trigger: "axis" },
      legend: { data: ["满意率 Satisfaction %", "差评率 Bad %"], top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 80 },
      xAxis: { type: "category", data: groups.map((g) => g.label), axisLabel: { rotate: groups.length > 6 ? 35 : 0, interval: 0 } },
      yAxis: { type: "value", min: 0, max: 100, name: "%" },
      series: [
        { name: "满意率 Satisfaction %", type: "bar", itemStyle: { color: green },
          data: groups.map((g) => g.figures.satisfaction.value),
          label: { show: groups.length <= 12, position: "top", formatter: (p) => p.value == null ? "" : p.value } },
        { name: "差评率 Bad %", type: "line", itemStyle: { color: red },
          data: groups.map((g) => g.figures.bad.value) },
      ],
    });
    const bars = d.pareto || [];
    make("chart-pareto", {
      tooltip: { trigger: "axis" },
      grid: { left: 48, right: 48, top: 24, bottom: 80 },
      xAxis: { type: "category", data: bars.map((b) => b.label.split(" ")[0]), axisLabel: { interval: 0, rotate: bars.length > 4 ? 30 : 0 } },
      yAxis: [{ type: "value", name: "次 count" }, { type: "value", min: 0, max: 100, name: "累计 %" }],
      series: [
        { type: "bar", name: "次数 Count", data: bars.map((b) => b.count), itemStyle: { color: amber }, label: { show: true, position: "top" } },
        { type: "line", name: "累计 Cumulative %", yAxisIndex: 1, data: bars.map((b) => b.cumulative_pct), itemStyle: { color: red } },
      ],
    });
  }

  if (d.page === "curve") {
    const pts = d.points || [];
    const names = pts.map((p) => p.zh);
    make("chart-curve", {
      tooltip: { trigger: "axis" },
      legend: { data: ["均分 Mean score (0–100)", "内查达标 Observed %"], top: 0 },
      grid: { left: 48, right: 24, top: 40, bottom: 40 },
      xAxis: { type: "category", data: names, boundaryGap: false, axisLabel: { interval: 0 } },
      yAxis: { type: "value", min: 0, max: 100 },
      series: [
        {
          name: "均分 Mean score (0–100)", type: "line", smooth: true, connectNulls: true, symbolSize: 10,
          lineStyle: { width: 4, color: green }, itemStyle: { color: green },
          areaStyle: { color: "rgba(0,112,107,0.08)" },
          data: pts.map((p) => ({
            value: p.mean,
            itemStyle: p.lowest ? { color: red } : undefined,
            symbolSize: p.lowest ? 18 : 10,
            label: p.lowest ? {
              show: true, position: "bottom", distance: 14, color: red, fontWeight: "bold", lineHeight: 16,
              backgroundColor: "rgba(255,255,255,0.85)", padding: 3,
              formatter: () => "▼ " + p.mean + "\n" + (p.reason_labels || []).slice(0, 2).map((r) => r.split(" ")[0]).join("\n"),
            } : { show: p.mean != null, position: "top", formatter: "{c}" },
          })),
        },
        {
          name: "内查达标 Observed %", type: "line", connectNulls: true,
          lineStyle: { type: "dashed", color: amber }, itemStyle: { color: amber },
          data: pts.map((p) => p.observed_pct),
        },
      ],
    });
  }

  // The observation form: collects the lines, shrinks the photo, posts to the API.
  function observeForm(d) {
    const form = document.getElementById("observation-form");
    const err = document.getElementById("ob-error");
    const val = (id) => document.getElementById(id).value;
    const shrink = (file) => new Promise((resolve, reject) => {
      const img = new Image();
      img.onload = () => {
        const scale = Math.min(1, 1024 / Math.max(img.width, img.height));
        const c = document.createElement("canvas");
        c.width = Math.round(img.width * scale);
        c.height = Math.round(img.height * scale);
        c.getContext("2d").drawImage(img, 0, 0, c.width, c.height);
        let q = 0.75, url = c.toDataURL("image/jpeg", q);
        while (url.length > 190000 && q > 0.2) { q -= 0.15; url = c.toDataURL("image/jpeg", q); }
        URL.revokeObjectURL(img.src);
        resolve(url);
      };
      img.onerror = () => reject(new Error("照片无法读取 the photo cannot be read"));
      img.src = URL.createObjectURL(file);
    });
    form.addEventListener("change", (e) => {
      const tr = e.target.closest("tr[data-code]");
      if (!tr) return;
      const v = (tr.querySelector("input[type=radio]:checked") || {}).value;
      tr.classList.toggle("needs-note", (v === "partly" || v === "not_met") && !tr.querySelector("input.note").value.trim());
    });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      err.hidden = true;
      const items = [...form.querySelectorAll("tr[data-code]")].map((tr) => ({
        code: tr.dataset.code,
        verdict: (tr.querySelector("input[type=radio]:checked") || {}).value || "not_observed",
        note: tr.querySelector("input.note").value,
        touchpoints: [...tr.querySelectorAll(".tps input:checked")].map((i) => i.value),
      }));
      const when = val("ob-when"); // the hall's clock; the server knows its time zone
      const body = {
        counter_id: val("ob-counter") ? Number(val("ob-counter")) : null,
        staff_id: val("ob-clerk") ? Number(val("ob-clerk")) : null,
        observer_kind: val("ob-kind"),
        observed_local: when || null,
        evidence: val("ob-evidence"),
        photo_ref: val("ob-photo-ref"),
        note: val("ob-note"),
        items,
      };
      const btn = document.getElementById("ob-submit");
      btn.disabled = true;
      try {
        const f = document.getElementById("ob-photo").files[0];
        if (f) body.photo = await shrink(f);
        const o = await SH.api("POST", "/api/v1/halls/" + encodeURIComponent(d.hall) + "/observations", body);
        location.href = "/observations/" + o.id;
      } catch (x) {
        err.textContent = x.message;
        err.hidden = false;
        btn.disabled = false;
        err.scrollIntoView({ block: "center" });
      }
    });
  }
})();
