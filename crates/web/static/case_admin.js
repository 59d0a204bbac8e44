// 时限配置: the hall's warning shares and pause cap, and an editor for the steps and clocks of
// each process. Reads and saves through /api/v1/halls/{hall}/case-config.
"use strict";
(() => {
  const d = SH.data();
  const $ = (id) => document.getElementById(id);
  const esc = SH.esc;
  const base = `/api/v1/halls/${encodeURIComponent(d.hall)}/case-config`;
  const run = async (fn) => { try { await fn(); } catch (e) { SH.toast(e.message, true); } };
  const KINDS = [["promised", "承诺时限 Promised"], ["statutory", "规定时限 Statutory"], ["appointment", "预约时限 Appointment"]];
  const UNITS = [["working_days", "工作日 working days"], ["working_hours", "工作小时 working hours"], ["calendar_days", "自然日 calendar days"], ["hours", "小时 hours"]];
  const STARTS = [["step_started", "环节开始时 step starts"], ["case_opened", "登记时 case opened"]];
  const opts = (list, v) => list.map(([k, l]) => `<option value="${k}"${k === v ? " selected" : ""}>${l}</option>`).join("");
  let cfg = null, cur = 0, draft = null;

  const label = (p) => p.kind === "application"
    ? `业务申请 · ${p.business_type_zh} · ${p.customer_class_zh}`
    : `${p.kind_zh} ${p.kind === "complaint" ? "Complaint" : p.kind === "opinion" ? "Opinion" : "Inquiry follow-up"}`;

  const paintSettings = () => {
    const st = cfg.settings;
    $("st-owner").value = st.owner_permille / 10;
    $("st-manager").value = st.manager_permille / 10;
    $("st-cap").value = st.pause_cap_hours / 24;
    $("st-source").textContent = st.updated_at
      ? `已于 ${new Date(st.updated_at).toLocaleString("zh-CN", { timeZone: SH.tz })} 修改 · changed`
      : `默认 Default — 依据 ${st.source}`;
  };

  const paintPicker = () => {
    $("pick").innerHTML = cfg.processes.map((p, i) => `<option value="${i}"${i === cur ? " selected" : ""}>${esc(label(p))}${p.customised ? " ✎" : ""}</option>`).join("");
  };

  const paintEditor = () => {
    const p = cfg.processes[cur];
    $("pick-state").innerHTML = p.customised
      ? `<span class="pill custom">已修改 Customised</span>`
      : `<span class="pill">默认 Shipped default</span>`;
    $("editor").innerHTML = draft.steps.map((s, i) => `
      <div class="step-card" data-step="${i}">
        <div class="step-head">
          <span class="pos">${i + 1}</span>
          <input data-f="code" value="${esc(s.code)}" aria-label="环节代码 Step code" placeholder="code">
          <input data-f="name_zh" value="${esc(s.name_zh)}" aria-label="环节名称 Step name" placeholder="环节名称">
          <input data-f="name_en" value="${esc(s.name_en)}" aria-label="English name" placeholder="English name">
          <span class="row">
            <button type="button" class="secondary icon-btn" data-act="up" title="上移 Move up"${i === 0 ? " disabled" : ""}>↑</button>
            <button type="button" class="secondary icon-btn" data-act="add-clock" title="添加时限 Add a clock">+ 时限</button>
            <button type="button" class="secondary icon-btn" data-act="del-step" title="删除环节 Remove the step">✕</button>
          </span>
        </div>
        ${s.clocks.length ? `<div class="clock-head"><span>时限代码 Code</span><span>类别 Kind</span><span>数量 N</span><span>单位 Unit</span><span>起算 Starts</span><span>依据 Source</span><span></span></div>` : `<p class="muted" style="margin-left:2.7em">无时限 · No clock (e.g. the callback)</p>`}
        ${s.clocks.map((c, j) => `
          <div class="clock-row" data-clock="${j}">
            <input data-c="code" value="${esc(c.code)}" aria-label="时限代码 Clock code">
            <select data-c="kind" aria-label="类别 Kind">${opts(KINDS, c.kind)}</select>
            <input data-c="n" type="number" min="0" max="1000" value="${c.amount.n}" aria-label="数量 Amount">
            <select data-c="unit" aria-label="单位 Unit">${opts(UNITS, c.amount.unit)}</select>
            <select data-c="starts" aria-label="起算 Starts">${opts(STARTS, c.starts)}</select>
            <input data-c="source" value="${esc(c.source)}" aria-label="依据 Source" title="${esc(c.source)}">
            <button type="button" class="secondary icon-btn" data-act="del-clock" title="删除时限 Remove the clock">✕</button>
          </div>`).join("")}
      </div>`).join("");
  };

  // Reads the editor back into the draft, so a repaint keeps what was typed.
  const collect = () => {
    document.querySelectorAll("#editor .step-card").forEach((el) => {
      const s = draft.steps[Number(el.dataset.step)];
      el.querySelectorAll(".step-head [data-f]").forEach((i) => { s[i.dataset.f] = i.value.trim(); });
      el.querySelectorAll(".clock-row").forEach((row) => {
        const c = s.clocks[Number(row.dataset.clock)];
        const v = (k) => row.querySelector(`[data-c="${k}"]`).value;
        c.code = v("code").trim();
        c.kind = v("kind");
        c.starts = v("starts");
        c.source = v("source").trim();
        const n = Number(v("n"));
        c.amount = { unit: v("unit"), n: Number.isInteger(n) && n >= 0 ? n : -1 };
      });
    });
  };

  const choose = (i) => { cur = i; draft = JSON.parse(JSON.stringify(cfg.processes[i].process)); paintEditor(); };

  const load = () => run(async () => {
    cfg = await SH.api("GET", base);
    paintSettings();
    paintPicker();
    choose(Math.min(cur, cfg.processes.length - 1));
  });

  $("pick").addEventListener("change", () => choose(Number($("pick").value)));
  $("editor").addEventListener("click", (ev) => {
    const b = ev.target.closest("button[data-act]");
    if (!b) return;
    collect();
    const si = Number(b.closest(".step-card").dataset.step), steps = draft.steps;
    if (b.dataset.act === "up" && si > 0) [steps[si - 1], steps[si]] = [steps[si], steps[si - 1]];
    if (b.dataset.act === "del-step") steps.splice(si, 1);
    if (b.dataset.act === "add-clock") steps[si].clocks.push({ code: steps[si].clocks.length ? `clock${steps[si].clocks.length + 1}` : "step", kind: "promised", amount: { unit: "working_days", n: 5 }, starts: "step_started", source: "" });
    if (b.dataset.act === "del-clock") steps[si].clocks.splice(Number(b.closest(".clock-row").dataset.clock), 1);
    paintEditor();
  });
  $("add-step").addEventListener("click", () => {
    collect();
    const n = draft.steps.length + 1;
    draft.steps.push({ code: `step${n}`, name_zh: "", name_en: "", clocks: [{ code: "step", kind: "promised", amount: { unit: "working_days", n: 5 }, starts: "step_started", source: "" }] });
    paintEditor();
  });
  $("reset").addEventListener("click", () => { draft = JSON.parse(JSON.stringify(cfg.processes[cur].default_process)); paintEditor(); SH.toast("已载入默认流程，保存后生效 · Shipped default loaded; save to apply"); });
  $("save-process").addEventListener("click", () => run(async () => {
    collect();
    const p = cfg.processes[cur];
    const body = { kind: p.kind, process: draft };
    if (p.kind === "application") { body.business_type = p.business_type; body.customer_class = p.customer_class; }
    cfg = await SH.api("PUT", `${base}/process`, body);
    paintPicker();
    choose(cur);
    SH.toast("流程已保存，此后登记的工单生效 · Saved; applies to cases opened from now on");
  }));
  $("settings-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    run(async () => {
      const permille = (id) => Math.round(Number($(id).value) * 10);
      cfg = await SH.api("PUT", `${base}/settings`, {
        owner_permille: permille("st-owner"),
        manager_permille: permille("st-manager"),
        pause_cap_hours: Math.round(Number($("st-cap").value) * 24),
      });
      paintSettings();
      SH.toast("已保存，此后登记的工单生效 · Saved; applies to cases opened from now on");
    });
  });
  load();
})();
