// 考核 · 红黑榜: the weights editor (the sum shown as it is typed, a sum other than 100
// refused before sending), the month-end freeze, filing and deciding appeals. The server
// checks everything again and answers in words; this only gathers the forms.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);

  const editor = $("scheme-editor");
  if (editor) {
    const rows = [...editor.querySelectorAll("tr.w-line")];
    const sum = () => rows.reduce((n, tr) => n + (Number(tr.querySelector(".w-weight").value) || 0), 0);
    const show = () => {
      const n = sum();
      $("weight-sum").textContent = n;
      const note = $("sum-note");
      note.textContent = n === 100 ? "合计 100 · sums to 100" : `权重合计须为 100，现为 ${n} · the weights must sum to 100; they sum to ${n}`;
      note.className = n === 100 ? "ok" : "bad";
      return n;
    };
    editor.addEventListener("input", show);
    show();
    const bands = (text) => text.split(/[,，;；]/).map((p) => p.trim()).filter(Boolean).map((p) => {
      const [at, pct] = p.split(/[:：]/).map((x) => Number(x.trim()));
      return { at, pct };
    });
    $("save-scheme").addEventListener("click", async () => {
      const n = show();
      if (n !== 100) {
        SH.toast(`权重合计须为 100，现为 ${n} · the weights must sum to 100; they sum to ${n}`, true);
        return;
      }
      const lines = rows.map((tr) => ({
        indicator: tr.dataset.indicator,
        weight: Number(tr.querySelector(".w-weight").value) || 0,
        target: Number(tr.querySelector(".w-target").value) || 0,
        bands: bands(tr.querySelector(".w-bands").value),
      }));
      const body = {
        lines,
        deduction_per_violation: Number($("per-violation").value) || 0,
        deduction_cap: Number($("deduction-cap").value) || 0,
      };
      const { region, level } = editor.dataset;
      try {
        const r = await SH.api("PUT", `/api/v1/regions/${region}/scorecard-schemes/${level}`, body);
        SH.toast(`已保存，自 ${r.next_month} 起生效 · saved; takes effect from ${r.next_month}`);
        setTimeout(() => location.reload(), 700);
      } catch (e) { SH.toast(e.message, true); }
    });
  }

  const freeze = $("freeze");
  if (freeze) {
    freeze.addEventListener("click", async () => {
      const { region, month } = freeze.dataset;
      if (!confirm(`冻结 ${month} 的得分？冻结后只能经申诉调整。 · Freeze ${month}? Afterwards scores change only through appeals.`)) return;
      freeze.disabled = true;
      try {
        const r = await SH.api("POST", `/api/v1/regions/${region}/months/${month}/freeze`);
        SH.toast(`已冻结 ${r.month}，${r.halls} 个营业厅 · ${r.month} frozen for ${r.halls} halls`);
        setTimeout(() => location.reload(), 700);
      } catch (e) { SH.toast(e.message, true); freeze.disabled = false; }
    });
  }

  // Sends one evidence file to an appeal as multipart; the server checks type and size.
  const attach = async (hall, id, file) => {
    const form = new FormData();
    form.append("file", file);
    const res = await fetch(`/api/v1/halls/${encodeURIComponent(hall)}/appeals/${id}/evidence`,
      { method: "POST", headers: { "X-CSRF-Token": SH.csrf }, credentials: "same-origin", body: form });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (_) { /* not JSON */ }
    if (!res.ok) throw new Error((json && json.detail) || text || res.statusText);
    return json;
  };

  const appeal = $("appeal-form");
  if (appeal) {
    appeal.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const body = { month: $("appeal-month").value, reason: $("appeal-reason").value, evidence: $("appeal-evidence").value };
      const file = $("appeal-file").files[0];
      let r;
      try {
        r = await SH.api("POST", `/api/v1/halls/${encodeURIComponent(appeal.dataset.hall)}/appeals`, body);
      } catch (e) { SH.toast(e.message, true); return; }
      try {
        if (file) await attach(appeal.dataset.hall, r.id, file);
        SH.toast(`申诉 #${r.id} 已提交，等待督查裁定 · appeal #${r.id} filed`);
      } catch (e) {
        SH.toast(`申诉 #${r.id} 已提交，但证据文件未上传 · appeal #${r.id} filed, the file was not attached: ${e.message}`, true);
      }
      setTimeout(() => location.reload(), 900);
    });
  }

  document.querySelectorAll("form.evidence-add").forEach((f) => {
    f.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const file = f.querySelector(".e-file").files[0];
      if (!file) return;
      try {
        const r = await attach(f.dataset.hall, f.dataset.id, file);
        SH.toast(`已上传 ${r.name} · evidence attached`);
        setTimeout(() => location.reload(), 700);
      } catch (e) { SH.toast(e.message, true); }
    });
  });

  document.querySelectorAll("form.decide").forEach((f) => {
    f.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const id = f.dataset.id;
      const accept = f.querySelector(`input[name="accept-${id}"]:checked`).value === "yes";
      const body = { accept, reason: f.querySelector(".d-reason").value };
      if (accept) body.points = Number(f.querySelector(".d-points").value);
      try {
        const r = await SH.api("POST", `/api/v1/appeals/${id}/decide`, body);
        SH.toast(`申诉 #${r.id}：${r.state_zh} · appeal #${r.id} ${r.state}`);
        setTimeout(() => location.reload(), 700);
      } catch (e) { SH.toast(e.message, true); }
    });
  });
})();
