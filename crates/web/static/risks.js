// 服务风险 · the risk screens: save a risk (new or changed) and bind a KRI through the JSON
// API, add and remove control rows, count the KRIs now. The server checks everything and
// answers in words; this only gathers the form.
"use strict";
(() => {
  const d = SH.data();
  const $ = (id) => document.getElementById(id);
  const hall = encodeURIComponent(d.hall || "");

  const refresh = $("kri-refresh");
  if (refresh) {
    refresh.addEventListener("click", async () => {
      refresh.disabled = true;
      try {
        const r = await SH.api("POST", `/api/v1/halls/${hall}/kris/refresh`);
        SH.toast(`已统计 ${r.kris} 项指标，新提醒 ${r.notices.length} 条 · counted ${r.kris} KRIs, ${r.notices.length} new notices`);
        setTimeout(() => location.reload(), 600);
      } catch (e) { SH.toast(e.message, true); refresh.disabled = false; }
    });
  }

  const form = $("risk-form");
  if (!form) return;
  const rows = document.querySelector("#risk-controls tbody");
  const wire = (tr) => tr.querySelector(".c-remove").addEventListener("click", () => tr.remove());
  rows.querySelectorAll("tr").forEach(wire);
  $("c-add").addEventListener("click", () => {
    const tr = document.createElement("tr");
    tr.className = "control";
    tr.innerHTML = `<td><input name="c_text" aria-label="措施 Control"></td><td><input name="c_owner" aria-label="责任人 Owner"></td>` +
      `<td><input name="c_tested" type="date" aria-label="上次测试 Last tested"></td><td><input name="c_every" type="number" min="1" max="730" value="90" aria-label="测试周期 Every"></td>` +
      `<td><button type="button" class="c-remove">删除 <span class="en">Remove</span></button></td>`;
    rows.appendChild(tr);
    wire(tr);
    tr.querySelector("input").focus();
  });

  const treatment = $("risk-treatment");
  const syncAccept = () => { $("accept-row").hidden = treatment.value !== "accept"; };
  treatment.addEventListener("change", syncAccept);
  syncAccept();

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const num = (k) => Number(f.get(k));
    const controls = [...rows.querySelectorAll("tr")].map((tr) => ({
      text: tr.querySelector("[name=c_text]").value,
      owner: tr.querySelector("[name=c_owner]").value,
      last_tested: tr.querySelector("[name=c_tested]").value || null,
      test_every_days: Number(tr.querySelector("[name=c_every]").value) || 90,
    })).filter((c) => c.text.trim() || c.owner.trim());
    const body = {
      code: f.get("code"), title: f.get("title"), category: f.get("category"),
      cause: f.get("cause"), event: f.get("event"), consequence: f.get("consequence"),
      owner: num("owner"),
      inherent: { likelihood: num("inherent_likelihood"), impact: num("inherent_impact") },
      residual: { likelihood: num("residual_likelihood"), impact: num("residual_impact") },
      controls, treatment: f.get("treatment"),
      accept_until: f.get("treatment") === "accept" ? (f.get("accept_until") || null) : null,
      reviewed: f.get("reviewed") === "on",
    };
    if (!$("risk-save")) return;
    $("risk-save").disabled = true;
    try {
      const r = d.risk
        ? await SH.api("PUT", `/api/v1/risks/${d.risk}`, body)
        : d.region
          ? await SH.api("POST", `/api/v1/regions/${encodeURIComponent(d.region)}/risks`, body)
          : await SH.api("POST", `/api/v1/halls/${hall}/risks`, body);
      SH.toast("已保存 · saved");
      setTimeout(() => location.assign(`/risks/${r.id}`), 400);
    } catch (e) {
      SH.toast(e.message, true);
      $("risk-save").disabled = false;
    }
  });

  const kri = $("kri-form");
  if (kri) {
    kri.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const f = new FormData(kri);
      try {
        await SH.api("POST", `/api/v1/halls/${hall}/kris`, {
          risk: d.risk, measure: f.get("measure"), amber: Number(f.get("amber")), red: Number(f.get("red")),
          window_days: Number(f.get("window_days")) || 7, target_minutes: Number(f.get("target_minutes")) || 20,
        });
        await SH.api("POST", `/api/v1/halls/${hall}/kris/refresh`);
        location.reload();
      } catch (e) { SH.toast(e.message, true); }
    });
  }
})();
