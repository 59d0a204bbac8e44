// Case screens (工单): the lists with the new-case form, the case page, and the customer's
// public status page. Every action calls the JSON API and repaints from its answer.
"use strict";
(() => {
  const d = SH.data();
  const $ = (id) => document.getElementById(id);
  const esc = SH.esc;
  let th = d.thresholds || { owner: 0.5, amber: 0.8, breach: 1 };

  // Hall-local date and time, e.g. 2026-03-05 17:30.
  const at = (ms) => {
    if (ms === null || ms === undefined) return "—";
    const p = {};
    new Intl.DateTimeFormat("zh-CN", { timeZone: SH.tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false })
      .formatToParts(new Date(ms)).forEach((x) => { p[x.type] = x.value; });
    return `${p.year}-${p.month}-${p.day} ${p.hour === "24" ? "00" : p.hour}:${p.minute}`;
  };
  // A span of time: 2天3小时, 5小时20分, 12分.
  const span = (ms) => {
    const m = Math.floor(Math.abs(ms) / 60000), h = Math.floor(m / 60), days = Math.floor(h / 24);
    if (days >= 1) return `${days}天${h % 24}小时`;
    if (h >= 1) return `${h}小时${m % 60}分`;
    return `${m}分`;
  };
  // Colour of a share of a limit: green, amber from the hall-manager warning, red at breach.
  const tone = (share, overdue) => (overdue || share >= th.breach ? "red" : share >= th.amber ? "amber" : "green");
  const bar = (share, overdue) => {
    const w = Math.max(0, Math.min(1, share || 0)) * 100;
    const ticks = [th.owner, th.amber].map((t) => `<i class="tick" style="left:${t * 100}%"></i>`).join("");
    return `<div class="tbar ${tone(share, overdue)}" role="meter" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${Math.round(w)}" title="已用 ${Math.round((share || 0) * 100)}% of the limit"><span style="width:${w}%"></span>${ticks}</div>`;
  };
  const person = (p) => (p ? `${esc(p.name)} <span class="badge-no">${esc(p.badge_no)}</span>` : "—");
  const run = async (fn) => { try { await fn(); } catch (e) { SH.toast(e.message, true); } };
  // Case changes arrive on the hall's live feed as `case` events; `fn` runs (debounced) for
  // each one `want` accepts. The browser reconnects by itself, resuming by Last-Event-ID.
  const live = (want, fn) => {
    if (!window.EventSource || !d.hall) return;
    let timer = null;
    const es = new EventSource(`/api/v1/halls/${encodeURIComponent(d.hall)}/events`);
    es.addEventListener("case", (ev) => {
      let p = {};
      try { p = JSON.parse(ev.data).payload || {}; } catch (_) { return; }
      if (!want(p)) return;
      clearTimeout(timer);
      timer = setTimeout(fn, 250);
    });
    const mark = (on) => { const el = $("live-state"); if (el) { el.textContent = on ? "● 实时 Live" : "○ 重连中 Reconnecting"; el.className = on ? "live on" : "live"; } };
    es.onopen = () => mark(true);
    es.onerror = () => mark(false);
  };

  // A deadline counted on a year whose official holiday schedule is not imported yet.
  const PROV = '<span class="pill provisional" title="暂按法定节假日推算 · provisional: counted by the statutory holidays until the year\'s schedule is imported">暂 provisional</span>';

  // ---------------------------------------------------------------- lists
  const listPage = () => {
    const q = new URLSearchParams(location.search);
    const view = q.get("view") || (d.is_person ? "mine" : "open");
    document.querySelectorAll("#tabs a").forEach((a) => a.classList.toggle("active", a.dataset.view === view));
    const empty = { mine: "暂无我的在办工单 · No open cases of yours", due_soon: "暂无即将到期工单 · Nothing due soon", overdue: "暂无超期工单 · Nothing overdue", open: "暂无在办工单 · No open cases" };
    const load = () => run(async () => {
      const rows = await SH.api("GET", `/api/v1/halls/${encodeURIComponent(d.hall)}/cases?view=${encodeURIComponent(view)}`);
      const now = Date.now();
      $("case-rows").innerHTML = rows.length ? rows.map((c) => {
        const left = c.next_deadline === null ? "—" : (c.next_deadline >= now ? "剩 " : "超期 ") + span(c.next_deadline - now);
        const t = tone(c.max_share, c.overdue);
        return `<tr data-id="${c.id}"${c.handover_to_me ? ' class="handover"' : ""}>
          <td><a class="case-link" href="/cases/${c.id}">${esc(c.number)}</a></td>
          <td>${esc(c.kind_zh)}</td>
          <td>${esc(c.business_type_zh || "—")} <small class="muted">${esc(c.customer_class_zh)}</small></td>
          <td>${esc(c.customer_name)}</td>
          <td>${esc(c.current_step_zh || "—")}</td>
          <td>${person(c.owner)}${c.handover_to_me ? ' <span class="pill amber">待我接收 For me</span>' : ""}</td>
          <td><div class="tleft ${t === "green" ? "" : t}">${left} <small class="muted">${c.next_deadline === null ? "" : "截止 " + at(c.next_deadline)}</small>${c.provisional ? " " + PROV : ""}</div>${bar(c.max_share, c.overdue)}</td></tr>`;
      }).join("") : `<tr><td colspan="7" class="muted">${empty[view] || ""}</td></tr>`;
    });
    load();
    live(() => true, load);
    setInterval(load, 60000);
    if (!d.can_handle) return;
    $("nc-type").innerHTML = '<option value="">（无 none）</option>' + d.types.map((t) => `<option value="${esc(t.code)}">${esc(t.name)} ${esc(t.name_en)}</option>`).join("");
    const show = (on) => { $("new-case").hidden = !on; if (on) $("nc-name").focus(); };
    $("btn-new").addEventListener("click", () => show($("new-case").hidden));
    $("nc-cancel").addEventListener("click", () => show(false));
    if (q.get("new") === "1") {
      show(true);
      const tid = q.get("ticket");
      if (tid && /^\d+$/.test(tid)) {
        $("nc-ticket").value = tid;
        SH.api("GET", `/api/v1/tickets/${tid}`).then((t) => {
          const type = d.types.find((x) => x.id === t.business_type_id);
          if (type) $("nc-type").value = type.code;
          $("nc-ticket-note").textContent = `来自取号 ${t.number}（${t.business_type}）· From ticket ${t.number}`;
        }).catch(() => {});
      }
    }
    $("new-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      run(async () => {
        const body = {
          kind: $("nc-kind").value,
          customer_class: $("nc-class").value,
          customer_name: $("nc-name").value.trim(),
          customer_phone: $("nc-phone").value.trim(),
          account_no: $("nc-account").value.trim(),
          summary: $("nc-summary").value.trim(),
        };
        if ($("nc-type").value) body.business_type = $("nc-type").value;
        const tid = $("nc-ticket").value.trim();
        if (tid) {
          if (!/^\d+$/.test(tid)) throw new Error("取号单应为数字 id · The ticket must be a numeric id");
          body.ticket_id = Number(tid);
        }
        $("nc-submit").disabled = true;
        try {
          const c = await SH.api("POST", `/api/v1/halls/${encodeURIComponent(d.hall)}/cases`, body);
          location.href = `/cases/${c.id}`;
        } finally { $("nc-submit").disabled = false; }
      });
    });
  };

  // ---------------------------------------------------------------- case page
  const TRAIL = {
    created: "登记工单 Registered", clock_started: "开始计时 Clock started", step_completed: "完成环节 Step done",
    clock_paused: "暂停计时 Paused", clock_resumed: "恢复计时 Resumed", clock_stopped: "停止计时 Clock stopped",
    handover_requested: "申请转交 Hand-over asked", handover_accepted: "接受转交 Hand-over accepted",
    document_added: "登记资料 Document", document_superseded: "资料作废 Superseded", callback_scheduled: "预约回访 Call-back scheduled", callback_recorded: "回访 Callback", closed: "办结 Closed",
    deadline_recomputed: "时限重算 Deadline recomputed",
  };
  const CLOCK = { contact: "联系客户 Contact", resolve: "答复处理 Resolve", step: "环节时限 Step limit", rectify: "整改时限 Rectification limit" };
  const LEVEL = { owner: "责任人 owner", hall_manager: "值班长 hall manager", supervisor: "督查 supervisor" };
  const STATUS = { pending: "未开始 Pending", running: "计时中 Running", paused: "已暂停 Paused", met: "按时完成 Met", breached: "超时完成 Breached" };
  const KIND = { statutory: "规定时限 Statutory", promised: "承诺时限 Promised", appointment: "预约时限 Appointment" };
  const amount = (a) => ({ working_days: `${a.n} 个工作日`, working_hours: `${a.n} 个工作小时`, calendar_days: `${a.n} 天（自然日）`, hours: `${a.n} 小时` }[a.unit] || "");
  const working = (a) => a.unit === "working_days" || a.unit === "working_hours";

  const casePage = () => {
    let c = null;
    const api = (path, body) => SH.api("POST", `/api/v1/cases/${d.id}${path}`, body);
    const act = (path, body, done) => run(async () => { c = await api(path, body); paint(); SH.toast(done || "已保存 · Saved"); });
    const ask = () => new Promise((resolve) => {
      $("pause-reason").value = "";
      const dlg = $("pause-dialog");
      dlg.onclose = () => resolve(dlg.returnValue === "ok" ? $("pause-reason").value.trim() : null);
      dlg.showModal();
    });
    const paint = () => {
      if (c.thresholds) th = c.thresholds; // the case's own, as it was opened
      const open = c.status === "open";
      const rect = c.kind === "rectification"; // a finding in the hall: no customer, phone or class
      // A rectification is worked on its own screen (photos, fixed, verified), not here.
      const canWork = !rect && d.can_handle && open && (c.owner.id === d.me || d.role === "hall_manager" || d.role === "admin");
      const cbs = c.trail.filter((e) => e.kind === "callback_recorded");
      const reached = cbs.some((e) => e.data && e.data.reached);
      const doneSteps = c.steps.filter((s) => s.completed_at !== null).length;
      $("case-head").innerHTML = `
        <div class="row" style="justify-content:space-between">
          <h1 id="case-number">${esc(c.number)} <span class="en">${esc(c.kind_zh)}${c.business_type_zh ? " · " + esc(c.business_type_zh) : ""}${rect ? "" : " · " + esc(c.customer_class_zh)}</span></h1>
          <span class="pill ${open ? "" : "closed"}" id="case-status">${esc(c.status_zh)} ${open ? "Open" : "Closed"}</span>
        </div>
        <dl>
          ${c.access_code && !rect ? `<dt>查询码 Access code</dt><dd id="case-access-code"><strong class="badge-no">${esc(c.access_code)}</strong> <small class="muted">请交给客户，凭工单号和查询码在 /case 查询进度 · Hand to the customer: with the case number it opens /case</small></dd>` : ""}
          ${rect ? "<dt>检查对象 Checked</dt>" : "<dt>客户 Customer</dt>"}<dd id="case-customer">${esc(c.customer_name)}${c.customer_phone ? " · " + esc(c.customer_phone) : ""}${c.account_no ? " · 户号 " + esc(c.account_no) : ""}${c.personal_data_full || rect ? "" : ' <small class="muted">（已脱敏 masked）</small>'}</dd>
          <dt>当前环节 Step</dt><dd id="case-step">${esc((c.steps.find((s) => s.code === c.current_step) || {}).name_zh || (open ? "—" : "已完成 done"))} <small class="muted">${doneSteps}/${c.steps.length}</small></dd>
          <dt>责任人 Owner</dt><dd id="case-owner">${person(c.owner)}</dd>
          <dt>首问负责人 First inquiry</dt><dd id="case-first">${person(c.first_inquiry_owner)}</dd>
          <dt>登记 Registered</dt><dd>${at(c.created_at)}${c.ticket_id ? ` · 取号单 ticket #${c.ticket_id}` : ""}</dd>
          <dt>${open ? "最近时限 Next deadline" : "办结 Closed"}</dt><dd>${open ? at(c.next_deadline) + (c.provisional ? " " + PROV : "") : at(c.closed_at)}</dd>
          ${c.summary ? `<dt>摘要 Summary</dt><dd class="wide">${esc(c.summary)}</dd>` : ""}
        </dl>
        ${(c.calendar_warnings || []).map((w) => `<p class="error-box calendar-warning" role="alert">${esc(w)}</p>`).join("")}
        ${c.warnings.length ? `<p class="error-box">预警 Warnings: ${c.warnings.map((w) => `${esc(clock(w.clock_key))} · ${esc(LEVEL[w.level] || "")} · 已用 ${Math.round(w.share_permille / 10)}% · ${at(w.at)}`).join("；")}</p>` : ""}`;
      const note = $("work-note");
      note.hidden = canWork || (!open && !rect);
      if (rect) note.innerHTML = `整改工单在整改页办理（整改照片、整改完成、验证销号）：<a id="work-rect" href="/rectifications/${c.id}">打开整改 <small>Open the rectification</small></a> · A rectification is worked on its own screen.`;
      else note.textContent = d.can_handle ? "只有责任人或值班长可办理此工单；如需办理，请责任人转交给您。· Only the owner (or a hall manager) works this case; ask them to hand it over." : "只读 · Read-only.";
      document.querySelectorAll(".work").forEach((el) => { el.hidden = !canWork; });
      $("steps").innerHTML = c.steps.map((s) => {
        const cur = s.code === c.current_step;
        return `<li class="${s.completed_at !== null ? "done" : cur ? "current" : ""}" data-step="${esc(s.code)}">${esc(s.name_zh)} <small class="muted">${esc(s.name_en)}</small>
          ${s.completed_at !== null ? ` <span class="pill">✓ ${at(s.completed_at)}</span>` : ""}
          ${cur && canWork ? `<button type="button" id="step-${esc(s.code)}" data-complete="${esc(s.code)}">完成 <small>Complete</small></button>` : ""}</li>`;
      }).join("");
      const now = Date.now();
      $("clocks").innerHTML = c.clocks.length ? c.clocks.map((k) => {
        const v = k.view, stepLabel = (c.steps.find((s) => s.code === k.step_code) || {}).name_zh || "环节 Step";
        const live = k.state === "running" || k.state === "paused";
        const t = tone(v.share, v.overdue);
        const left = !live ? "" : !v.overdue ? `剩余 ${span(v.remaining_ms)}${working(k.amount) ? "（工作时间 working time）" : ""}` : v.remaining_ms < 0 ? `已超期 ${span(v.remaining_ms)} · overdue` : "已超期 · overdue";
        return `<div class="clock" data-clock="${esc(k.key)}">
          <div class="row"><strong>${esc(stepLabel)} · ${esc(CLOCK[k.code] || "时限 Clock")}</strong><span class="pill ${v.status === "breached" ? "red" : v.status === "paused" ? "paused" : ""}">${esc(STATUS[v.status] || v.status)}</span></div>
          <div class="muted">${esc(KIND[k.kind] || k.kind)} ${amount(k.amount)} · 依据 ${esc(k.source)}</div>
          ${v.started_at !== null ? `<div class="row"><span class="tleft ${t === "green" ? "" : t}">${left || (v.stopped_at !== null ? "结束于 " + at(v.stopped_at) : "")}</span><span>截止 Deadline ${at(v.deadline)}${k.provisional ? " " + PROV : ""}</span></div>${bar(v.share, live && v.deadline !== null && v.deadline < now ? true : v.overdue)}` : '<div class="muted">上一环节完成后开始计时 · Starts when the step begins</div>'}
          ${k.state === "paused" ? `<div>暂停原因 Reason: ${esc(k.pause_reason)}</div>` : ""}
          ${canWork && k.state === "running" ? `<button type="button" class="warn" data-pause="${esc(k.key)}">暂停 <small>Pause</small></button>` : ""}
          ${canWork && k.state === "paused" ? `<button type="button" data-resume="${esc(k.key)}">恢复 <small>Resume</small></button>` : ""}
        </div>`;
      }).join("") : '<p class="muted">无时限 · No clocks</p>';
      const people = {};
      c.trail.forEach((e) => { [e.actor, e.target].forEach((p) => { if (p) people[p.id] = p; }); });
      const kb = (n) => (n >= 1048576 ? (n / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(n / 1024)) + " KB");
      $("documents").innerHTML = c.documents.length ? c.documents.map((x) => {
        const file = x.content_type ? `<a class="doc-link" href="/api/v1/cases/${c.id}/documents/${x.id}/file">${esc(x.name)}</a> <small class="muted">${esc(x.content_type.split("/")[1].toUpperCase())} ${kb(x.size_bytes)}</small>` : `${esc(x.name)} <small class="muted">纸质 paper</small>`;
        const sup = x.superseded_at !== null && x.superseded_at !== undefined;
        return `<li data-doc="${x.id}" class="${sup ? "superseded" : ""}"><span class="doc-name">${file}</span>
          <small class="muted">${at(x.received_at)} · ${x.received_by && people[x.received_by] ? person(people[x.received_by]) : "—"}${x.note ? " · " + esc(x.note) : ""}</small>
          ${sup ? `<small class="pill">已作废 Superseded ${at(x.superseded_at)}${x.superseded_reason ? " · " + esc(x.superseded_reason) : ""}</small>` : canWork ? ` <button type="button" class="secondary icon-btn" data-supersede="${x.id}">作废 <small>Supersede</small></button>` : ""}</li>`;
      }).join("") : '<li class="muted">暂无资料 · none</li>';
      const ho = c.handover_to;
      $("handover-state").innerHTML = ho ? `<p>等待 ${person(ho)} 接受转交 · Waiting for acceptance.</p>${ho.id === d.me && open ? '<button type="button" id="btn-accept">接受转交 <small>Accept</small></button>' : ""}` : '<p class="muted">无待接受的转交 · No hand-over pending.</p>';
      $("handover-card").hidden = !open && !ho;
      $("callback-card").hidden = !c.needs_callback;
      const plans = c.trail.filter((e) => e.kind === "callback_scheduled");
      const planned = plans.length ? `<p id="callback-plan">已预约回访 · Call-back scheduled: ${at(plans[plans.length - 1].data.at)}${plans[plans.length - 1].note ? " · " + esc(plans[plans.length - 1].note) : ""}</p>` : "";
      $("callback-state").innerHTML = planned + (cbs.length ? cbs.map((e) => `<p id="callback-last">${at(e.at)} · ${e.data.reached ? "已联系到客户" : "未联系到客户"} · ${e.data.reached ? (e.data.satisfied ? "满意 satisfied" : "不满意 not satisfied") : ""}${e.note ? " · " + esc(e.note) : ""}</p>`).join("") : '<p class="muted">尚未回访 · No callback yet.</p>');
      $("close-card").hidden = !canWork;
      $("btn-close-case").title = c.needs_callback && !reached ? "须先记录回访 · Record the callback first" : "";
      $("trail").innerHTML = c.trail.map((e) => `<tr><td>${at(e.at)}</td><td>${esc(TRAIL[e.kind] || e.kind)}</td><td>${e.actor ? person(e.actor) : "系统 system"}${e.target ? " → " + person(e.target) : ""}</td><td>${esc(where(e))}</td><td>${esc(e.note)}</td></tr>`).join("");
    };
    // A step and a clock by name (回访 Call-back / 环节时限 Step limit), never by code: a clock
    // key is `step.clock` (e.g. `verify.rectify` → 验证销号 Verify the fix · 整改时限).
    const stepName = (code) => {
      const s = c.steps.find((x) => x.code === code);
      return s ? `${s.name_zh} ${s.name_en}` : "环节 Step";
    };
    const clock = (key, inStep) => {
      const [st, code] = key.split(".");
      const name = CLOCK[code] || (code === st || code === "step" ? CLOCK.step : "时限 Clock");
      return st && st !== inStep ? `${stepName(st)} · ${name}` : name;
    };
    const where = (e) => [e.step ? stepName(e.step) : "", e.clock ? clock(e.clock, e.step) : ""].filter(Boolean).join(" / ");
    document.addEventListener("click", (ev) => {
      const b = ev.target.closest("button");
      if (!b) return;
      if (b.dataset.complete) {
        const path = `/steps/${encodeURIComponent(b.dataset.complete)}/complete`;
        const reached = c.trail.some((e) => e.kind === "callback_recorded" && e.data && e.data.reached);
        // A call-back step with nobody called back (an anonymous rating) says what was done.
        if (b.dataset.complete === "callback" && c.needs_callback && !reached) {
          askStepNote().then((note) => { if (note) act(path, { note }, "环节已完成 · Step complete"); });
        } else act(path, {}, "环节已完成 · Step complete");
      }
      else if (b.dataset.pause) ask().then((reason) => { if (reason !== null) act(`/clocks/${encodeURIComponent(b.dataset.pause)}/pause`, { reason }, "已暂停计时 · Clock paused"); });
      else if (b.dataset.resume) act(`/clocks/${encodeURIComponent(b.dataset.resume)}/resume`, undefined, "已恢复计时 · Clock resumed");
      else if (b.id === "btn-accept") act("/handover/accept", undefined, "已接受转交 · You own this case now");
      else if (b.dataset.supersede) askSupersede().then((reason) => { if (reason) act(`/documents/${b.dataset.supersede}/supersede`, { reason }, "资料已作废（保留备查）· Superseded, kept on record"); });
    });
    const askStepNote = () => new Promise((resolve) => {
      $("step-note").value = "";
      const dlg = $("step-note-dialog");
      dlg.onclose = () => resolve(dlg.returnValue === "ok" ? $("step-note").value.trim() : null);
      dlg.showModal();
    });
    const askSupersede = () => new Promise((resolve) => {
      $("sup-reason").value = "";
      const dlg = $("supersede-dialog");
      dlg.onclose = () => resolve(dlg.returnValue === "ok" ? $("sup-reason").value.trim() : null);
      dlg.showModal();
    });
    // Multipart upload: the browser sends the file as it is; the server checks its content.
    const upload = () => run(async () => {
      const f = $("doc-file").files[0];
      if (!f) throw new Error("请选择文件 · Choose a file");
      if (f.size > 10 * 1024 * 1024) throw new Error("文件超过 10 MB，请降低扫描分辨率 · The file is over 10 MB");
      $("doc-upload").disabled = true;
      try {
        const res = await fetch(`/api/v1/cases/${d.id}/documents/upload`, { method: "POST", headers: { "X-CSRF-Token": SH.csrf }, credentials: "same-origin", body: new FormData($("upload-form")) });
        const text = await res.text();
        let json = null;
        try { json = JSON.parse(text); } catch (_) { /* not JSON */ }
        if (!res.ok) throw new Error((json && json.detail) || text || res.statusText);
        c = json;
        $("upload-form").reset();
        paint();
        SH.toast("资料已上传 · Document uploaded");
      } finally { $("doc-upload").disabled = false; }
    });
    const onSubmit = (id, fn) => $(id).addEventListener("submit", (ev) => { ev.preventDefault(); fn(); });
    onSubmit("upload-form", upload);
    onSubmit("doc-form", () => act("/documents", { name: $("doc-name").value.trim(), note: $("doc-note").value.trim() }, "资料已登记 · Document recorded"));
    onSubmit("handover-form", () => act("/handover", { to_badge: $("ho-badge").value.trim(), reason: $("ho-reason").value.trim() }, "已申请转交 · Hand-over asked"));
    onSubmit("callback-form", () => act("/callback", { reached: $("cb-reached").checked, satisfied: $("cb-satisfied").checked, note: $("cb-note").value.trim() }, "回访已记录 · Callback recorded"));
    onSubmit("cb-plan-form", () => act("/callback/schedule", { at: $("cb-plan-at").value, note: $("cb-plan-note").value.trim() }, "已预约回访 · Call-back scheduled"));
    onSubmit("close-form", () => act("/close", { note: $("close-note").value.trim() }, "工单已办结 · Case closed"));
    const load = () => run(async () => { c = await SH.api("GET", `/api/v1/cases/${d.id}`); paint(); });
    load();
    // Changes by anyone (a colleague, the manager, the warning scan) repaint the page at once.
    live((p) => p.case_id === d.id, () => { if (!document.querySelector("dialog[open]")) load(); });
    // Time left moves on by itself; repaint from the server every minute.
    setInterval(() => { if (!document.querySelector("dialog[open]") && c && c.status === "open") load(); }, 60000);
  };

  // ---------------------------------------------------------------- public status
  const publicPage = () => {
    const line = (id, k, v) => `<div class="public-line"><span>${k}</span><span id="${id}">${v}</span></div>`;
    const look = () => run(async () => {
      const number = $("lk-number").value.trim(), code = $("lk-code").value.replace(/[\s-]/g, "").toUpperCase();
      if (!/^[0-9A-Z]{8}$/.test(code)) throw new Error("请输入8位查询码 · Enter the 8-character access code");
      const r = $("lk-result");
      try {
        const p = await SH.api("GET", `/api/v1/public/cases/${encodeURIComponent(number)}?code=${encodeURIComponent(code)}`);
        r.innerHTML = `<h2 style="text-align:center">${esc(p.number)}</h2><p class="muted" style="text-align:center">${esc(p.hall)} · ${esc(p.kind_zh)}${p.business_type_zh ? " · " + esc(p.business_type_zh) : ""}</p>` +
          line("lk-status", "状态 Status", esc(p.status_zh)) +
          line("lk-step", "当前环节 Current step", p.current_step_zh ? `${esc(p.current_step_zh)} <small class="muted">${esc(p.current_step_en || "")}</small>` : "—") +
          line("lk-deadline", "办理时限 Deadline", p.closed_at ? "已办结 " + at(p.closed_at) : p.deadline ? `${at(p.deadline)}${p.overdue ? ' <span class="pill red">已超期 overdue</span>' : ""}${p.provisional ? " " + PROV : ""}` : "—") +
          line("lk-badge", "责任人工号 Responsible badge no.", `<span class="badge-no">${esc(p.owner_badge)}</span>`);
        history.replaceState(null, "", `/case?number=${encodeURIComponent(p.number)}`);
      } catch (e) {
        // Too many tries (429) says so, with the wait; anything else reads as "not found".
        r.innerHTML = /Too many|过多/.test(e.message)
          ? `<p class="error-box" id="lk-error">${esc(e.message)}</p>`
          : `<p class="error-box" id="lk-error">未找到该工单，请核对工单号和查询码 · No case matches that number and access code.</p>`;
        if (!/not found|no case|找不到|未找到|Too many|过多/i.test(e.message)) SH.toast(e.message, true);
      }
      r.hidden = false;
    });
    $("lookup-form").addEventListener("submit", (ev) => { ev.preventDefault(); look(); });
    ($("lk-number").value ? $("lk-code") : $("lk-number")).focus();
  };

  ({ list: listPage, case: casePage, public: publicPage }[d.page] || (() => {}))();
})();
