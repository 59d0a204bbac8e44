// 应急处置 · incidents: the active incidents' timed checklists (ticked by the role each step
// names; the commander may tick any), declaring, closing and reviewing; and the counter's
// manual entries (人工登记) while the business system is down. Live through the hall's stream.
"use strict";
(() => {
  const d = SH.data();
  const $ = (id) => document.getElementById(id);
  const hall = encodeURIComponent(d.hall || "");
  // The server's clock, so countdowns agree with the server's idea of "overdue".
  const skew = (d.now || Date.now()) - Date.now();
  const now = () => Date.now() + skew;
  const mmss = (s) => { const a = Math.abs(s); return `${Math.floor(a / 60)}:${String(a % 60).padStart(2, "0")}`; };
  const fail = (e) => SH.toast(e.message, true);

  // ---- incidents page ----
  if ($("inc-active")) {
    let incidents = d.incidents || [];
    const mayTick = (st) => d.commands || st.role === d.role;
    const stepRow = (i, st) => {
      const done = st.done_at !== null;
      const status = done ? st.status : (i.state !== "active" ? st.status : (now() > Math.max(st.due_at, i.declared_at + 60000) ? "overdue" : "pending"));
      const clock = done ? `${SH.hhmm(st.done_at)} ${SH.esc(st.done_by || "")}`
        : i.state !== "active" ? "—"
        : status === "overdue" ? `超时 Overdue ${mmss(Math.round((now() - Math.max(st.due_at, i.declared_at + 60000)) / 1000))}`
        : `还剩 Left ${mmss(Math.round((Math.max(st.due_at, i.declared_at + 60000) - now()) / 1000))}`;
      const call = st.call ? `<div class="inc-call">☎ ${SH.esc(st.call.who_zh)} <span class="en">${SH.esc(st.call.who_en)}</span> <a href="tel:${SH.esc(st.call.phone)}"><b>${SH.esc(st.call.phone)}</b></a></div>` : "";
      const script = st.script_zh ? `<blockquote class="inc-script"><span class="muted">告知话术 Script</span><br>${SH.esc(st.script_zh)}<br><span class="en">${SH.esc(st.script_en || "")}</span></blockquote>` : "";
      const btn = !done && i.state === "active" && mayTick(st)
        ? `<button type="button" class="primary inc-done" data-incident="${i.id}" data-step="${SH.esc(st.key)}">完成 <span class="en">Done</span></button>` : "";
      return `<li class="inc-step ${status}" data-step="${SH.esc(st.key)}">
        <div class="inc-step-head"><span class="pill">${SH.esc(st.role_label)}</span>
          <span class="inc-due">${SH.hhmm(st.due_at)} 前 by</span>
          <span class="inc-status ${status}">${SH.esc(statusLabel(status))}</span>
          <span class="inc-clock">${clock}</span></div>
        <div class="inc-step-text">${SH.esc(st.text_zh)}<br><span class="en">${SH.esc(st.text_en)}</span>${call}${script}</div>
        <div class="inc-step-act">${btn}</div></li>`;
    };
    const statusLabel = (s) => ({ pending: "待办 · to do", overdue: "已超时 · overdue", done: "已完成 · done", done_late: "超时完成 · done late" })[s] || s;
    const activeCard = (i) => {
      const mins = Math.max(0, Math.floor((now() - i.declared_at) / 60000));
      const manual = i.manual_entries ? `<p><a class="btn" href="/counter/manual">人工登记与补录 <span class="en">Manual entries</span></a></p>` : "";
      const close = d.commands ? `<button type="button" class="danger big inc-close" data-incident="${i.id}">结束事件 <span class="en">Close the incident</span></button>` : "";
      return `<article class="card inc-card" data-incident="${i.id}">
        <header class="inc-card-head"><h2>${SH.esc(i.name_zh)} <span class="en">${SH.esc(i.name_en)}</span></h2>
          <span class="inc-since">${SH.hhmm(i.declared_at)} 启动 declared · 已 ${mins} 分钟 ${mins} min · ${SH.esc(i.declared_by)}</span></header>
        ${i.note ? `<p class="inc-note">${SH.esc(i.note)}</p>` : ""}
        <p class="inc-announce"><span class="muted">正在公告 Announcing</span><br>${SH.esc(i.announcement.text_zh)}<br><span class="en">${SH.esc(i.announcement.text_en)}</span></p>
        <ol class="inc-steps">${i.steps.map((st) => stepRow(i, st)).join("")}</ol>
        ${manual}<div class="inc-card-foot">${close}</div></article>`;
    };
    const historyRow = (i) => {
      const done = i.steps.filter((s) => s.done_at !== null).length;
      const dur = i.closed_at ? Math.round((i.closed_at - i.declared_at) / 60000) + " 分钟 min" : "—";
      let review = "";
      if (i.review) {
        review = `<div class="inc-review-sum"><b>原因 Cause</b> ${SH.esc(i.review.cause)}${i.review.risk_code ? ` · 风险 Risk <code>${SH.esc(i.review.risk_code)}</code>` : ""}<ul>` +
          i.review.actions.map((a) => `<li><a href="/cases/${a.case_id}">${SH.esc(a.case_number)}</a> ${SH.esc(a.text)} — ${SH.esc(a.owner_name)} · ${SH.when(a.due_at)} 前 by${a.closed ? " ✓" : ""}</li>`).join("") + "</ul></div>";
      } else if (i.state === "closed" && d.commands) {
        review = `<button type="button" class="inc-review-btn" data-incident="${i.id}">复盘 <span class="en">Review</span></button>`;
      }
      return `<tr data-incident="${i.id}"><td>${SH.when(i.declared_at)}</td><td>${SH.esc(i.name_zh)}<br><span class="en">${SH.esc(i.name_en)}</span></td>
        <td>${dur}</td><td>${done}/${i.steps.length}${i.steps.some((s) => s.status === "done_late" || s.status === "overdue") ? ' <span class="inc-status overdue">有超时 late</span>' : ""}</td>
        <td>${SH.esc(i.state_label)}</td><td>${review}</td></tr>`;
    };
    const paint = () => {
      const active = incidents.filter((i) => i.state === "active");
      $("inc-active").innerHTML = active.length ? active.map(activeCard).join("")
        : `<p class="card inc-calm">当前没有进行中的突发情况。<span class="en">No incident is active.</span></p>`;
      const past = incidents.filter((i) => i.state !== "active");
      $("inc-history").innerHTML = past.length
        ? `<table class="admin-table"><thead><tr><th>启动 Declared</th><th>类型 Kind</th><th>历时 Lasted</th><th>步骤 Steps</th><th>状态 State</th><th>复盘 Review</th></tr></thead><tbody>${past.map(historyRow).join("")}</tbody></table>`
        : `<p class="muted">近半年没有突发情况 <span class="en">No incidents in the last six months</span></p>`;
    };
    const load = async () => {
      try { incidents = await SH.api("GET", `/api/v1/halls/${hall}/incidents?days=180`); paint(); } catch (e) { /* keep what is shown */ }
    };
    // Countdowns tick; a whole repaint once a second is cheap for a handful of steps.
    setInterval(() => { if (!document.querySelector("#inc-active .inc-step button:focus")) paint(); }, 1000);
    paint();
    if ($("inc-go")) $("inc-go").addEventListener("click", async () => {
      const kind = (document.querySelector('input[name="inc-kind"]:checked') || {}).value;
      if (!kind) return;
      const label = document.querySelector('input[name="inc-kind"]:checked').parentElement.querySelector("b").textContent;
      if (!confirm(`启动“${label}”应急预案？大厅屏和公开页面将立即显示公告。\nDeclare this incident? The screens show its announcement at once.`)) return;
      try {
        const i = await SH.api("POST", `/api/v1/halls/${hall}/incidents`, { kind, note: $("inc-note").value });
        incidents = [i, ...incidents.filter((x) => x.id !== i.id)];
        $("inc-note").value = "";
        paint();
        SH.toast("已启动，公告已发布 · Declared; the announcement is up");
      } catch (e) { fail(e); }
    });
    document.addEventListener("click", async (ev) => {
      const done = ev.target.closest(".inc-done");
      if (done) {
        try {
          const i = await SH.api("POST", `/api/v1/incidents/${done.dataset.incident}/steps/${encodeURIComponent(done.dataset.step)}/done`);
          incidents = incidents.map((x) => x.id === i.id ? i : x); paint();
        } catch (e) { fail(e); }
      }
      const close = ev.target.closest(".inc-close");
      if (close) {
        if (!confirm("结束此事件？公告将从大厅屏和公开页面撤下。\nClose the incident? The announcement comes down.")) return;
        try {
          const i = await SH.api("POST", `/api/v1/incidents/${close.dataset.incident}/close`);
          incidents = incidents.map((x) => x.id === i.id ? i : x); paint();
          SH.toast("已结束，公告已撤下 · Closed; the announcement is down");
        } catch (e) { fail(e); }
      }
      const rv = ev.target.closest(".inc-review-btn");
      if (rv) openReview(Number(rv.dataset.incident));
    });
    // ---- the review dialog ----
    let reviewing = null;
    const actionRow = () => {
      const staff = (d.staff || []).map((p) => `<option value="${p.id}">${SH.esc(p.name)}</option>`).join("");
      const due = new Date(now() + 7 * 86400000).toISOString().slice(0, 10);
      const row = document.createElement("div");
      row.className = "inc-action";
      row.innerHTML = `<label>措施 <span class="en">Action</span><input class="a-text" maxlength="300" required></label>
        <label>责任人 <span class="en">Owner</span><select class="a-owner">${staff}</select></label>
        <label>期限 <span class="en">Due</span><input type="date" class="a-due" value="${due}" required></label>
        <button type="button" class="a-remove" aria-label="删除此项 Remove">✕</button>`;
      row.querySelector(".a-remove").addEventListener("click", () => row.remove());
      $("inc-actions").appendChild(row);
    };
    const openReview = (id) => {
      reviewing = incidents.find((i) => i.id === id);
      if (!reviewing) return;
      $("inc-review-title").textContent = `${reviewing.name_zh} · ${SH.when(reviewing.declared_at)}`;
      $("inc-cause").value = ""; $("inc-risk").value = ""; $("inc-actions").innerHTML = "";
      $("inc-review-error").hidden = true;
      actionRow();
      $("inc-review-dialog").showModal();
    };
    if ($("inc-add-action")) $("inc-add-action").addEventListener("click", actionRow);
    if ($("inc-review-cancel")) $("inc-review-cancel").addEventListener("click", () => $("inc-review-dialog").close());
    if ($("inc-review-save")) $("inc-review-save").addEventListener("click", async () => {
      const actions = [...document.querySelectorAll("#inc-actions .inc-action")].map((r) => ({
        text: r.querySelector(".a-text").value,
        owner_id: Number(r.querySelector(".a-owner").value),
        // The end of the chosen day, in the browser's time.
        due_at: new Date(r.querySelector(".a-due").value + "T18:00:00").getTime() || 0,
      }));
      try {
        const i = await SH.api("POST", `/api/v1/incidents/${reviewing.id}/review`, {
          cause: $("inc-cause").value, risk_code: $("inc-risk").value.trim() || null, actions,
        });
        incidents = incidents.map((x) => x.id === i.id ? i : x); paint();
        $("inc-review-dialog").close();
        SH.toast("复盘已保存，整改工单已派发 · Review saved; action cases opened");
      } catch (e) { $("inc-review-error").textContent = e.message; $("inc-review-error").hidden = false; }
    });
    SH.stream(`/api/v1/halls/${hall}/events`, (kind) => { if (kind === "incident") load(); }, (ok) => { if (ok) load(); });
  }

  // ---- manual entries ----
  if ($("man-form")) {
    const row = (e, pending) => `<tr data-entry="${e.id}"><td>${SH.when(e.recorded_at)}</td><td>${SH.esc(e.counter || "")}</td>
      <td>${SH.esc(e.business)}</td><td>${SH.esc(e.customer_name)}</td><td>${SH.esc(e.account_no || e.phone)}</td>
      <td class="n">${e.amount_fen === null ? "" : "¥" + SH.yuan(e.amount_fen)}</td><td>${SH.esc(e.note)}</td><td>${SH.esc(e.recorded_by)}</td>
      <td>${pending ? `<input class="m-ref" maxlength="64" placeholder="营销系统流水号 Transaction no." aria-label="营销系统流水号 Transaction number"> <button type="button" class="primary m-back" data-entry="${e.id}">补录完成 <span class="en">Back-entered</span></button>`
        : e.back_entered_at ? `✓ ${SH.esc(e.back_ref)} <span class="muted">${SH.when(e.back_entered_at)} ${SH.esc(e.back_entered_by || "")}</span>` : '<span class="inc-status overdue">待补录 to back-enter</span>'}</td></tr>`;
    const table = (list, pending) => list.length
      ? `<table class="admin-table"><thead><tr><th>时间 Time</th><th>窗口 Counter</th><th>业务 Business</th><th>客户 Customer</th><th>户号/电话 Account/phone</th><th>金额 Amount</th><th>备注 Note</th><th>登记人 By</th><th>${pending ? "补录 Back-enter" : "补录 Back-entered"}</th></tr></thead><tbody>${list.map((e) => row(e, pending)).join("")}</tbody></table>`
      : `<p class="muted">${pending ? "没有待补录的登记 <span class=\"en\">Nothing to back-enter</span>" : "今日没有人工登记 <span class=\"en\">No manual entries today</span>"}</p>`;
    const load = async () => {
      try {
        const [p, t] = await Promise.all([
          SH.api("GET", `/api/v1/halls/${hall}/manual-entries?pending=true`),
          SH.api("GET", `/api/v1/halls/${hall}/manual-entries`),
        ]);
        $("man-pending").innerHTML = table(p.entries, true);
        $("man-pending-count").textContent = String(p.entries.length);
        $("man-today").innerHTML = table(t.entries, false);
        $("man-figures").innerHTML = `今日人工登记 <b>${t.entries.length}</b> 笔，待补录 <b>${t.pending}</b> 笔，手工收款 <b>¥${SH.yuan(t.amount_fen)}</b>（补录前不计入营销系统收费统计）<br><span class="en">Today ${t.entries.length} manual entries, ${t.pending} to back-enter, ¥${SH.yuan(t.amount_fen)} taken by hand (not in the business system's takings until back-entered)</span>`;
      } catch (e) { fail(e); }
    };
    $("man-form").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const amount = $("man-amount").value.trim();
      if (amount && !/^\d+(\.\d{1,2})?$/.test(amount)) { SH.toast("金额格式应为 123.45 · enter the amount like 123.45", true); return; }
      try {
        await SH.api("POST", `/api/v1/halls/${hall}/manual-entries`, {
          counter_id: Number($("man-counter").value) || null,
          business_type_id: Number($("man-business").value),
          customer_name: $("man-name").value, account_no: $("man-account").value, phone: $("man-phone").value,
          amount_fen: amount ? Math.round(Number(amount) * 100) : null, note: $("man-note").value,
        });
        ["man-name", "man-account", "man-phone", "man-amount", "man-note"].forEach((id) => { $(id).value = ""; });
        $("man-name").focus();
        SH.toast("已登记 · Recorded");
        load();
      } catch (e) { fail(e); }
    });
    document.addEventListener("click", async (ev) => {
      const b = ev.target.closest(".m-back");
      if (!b) return;
      const ref = b.parentElement.querySelector(".m-ref").value;
      try {
        await SH.api("POST", `/api/v1/manual-entries/${b.dataset.entry}/back-enter`, { back_ref: ref });
        SH.toast("已补录 · Back-entered");
        load();
      } catch (e) { fail(e); }
    });
    load();
  }
})();
