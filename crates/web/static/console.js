// Counter console. Every button calls the JSON API; the view refreshes from
// /api/v1/counters/{id}/console whenever the hall's event stream reports a change.
"use strict";
(() => {
  const d = SH.data();
  const $ = (id) => document.getElementById(id);
  let counterId = d.counter_id, view = null, since = null;
  const post = (url, body) => SH.api("POST", url, body);
  const act = async (fn) => { try { await fn(); await refresh(); } catch (e) { SH.toast(e.message, true); } };
  const fen = (s) => {
    if (!/^\d+(\.\d{1,2})?$/.test(String(s).trim())) throw new Error("金额格式应为 12.34 · Amount must look like 12.34");
    const [y, f = ""] = String(s).trim().split(".");
    return Number(y) * 100 + Number((f + "00").slice(0, 2));
  };
  const ask = (title) => new Promise((resolve) => {
    $("reason-title").textContent = title;
    $("reason-input").value = "";
    const dlg = $("reason-dialog");
    dlg.onclose = () => resolve(dlg.returnValue === "ok" ? $("reason-input").value : null);
    dlg.showModal();
  });
  const buttons = () => {
    const c = view.counter, t = view.current, b = [];
    const add = (id, label, cls, fn) => b.push({ id, label, cls, fn });
    if (!t) {
      if (c.status === "open") add("btn-call", "叫号<br><small>Call next</small>", "", () => act(async () => {
        const r = await post(`/api/v1/counters/${counterId}/call-next`);
        if (!r) SH.toast("暂无等候客户 · Nobody is waiting for this counter");
      }));
      if (c.status === "open") add("btn-pause", "暂停服务<br><small>Pause</small>", "warn", async () => {
        const reason = await ask("暂停服务 Pause the counter");
        if (reason !== null) act(() => post(`/api/v1/counters/${counterId}/pause`, { reason }));
      });
      if (c.status === "paused") add("btn-reopen", "恢复服务<br><small>Resume</small>", "", () => act(() => post(`/api/v1/counters/${counterId}/open`)));
      add("btn-close", "下班关闭<br><small>Close</small>", "secondary", () => act(async () => {
        await post(`/api/v1/counters/${counterId}/close`);
        location.reload();
      }));
    } else {
      // The ticket says which actions it accepts now (the domain's allowed_actions); this
      // table only says how each one looks and what it asks before posting.
      const how = {
        start: ["btn-start", "", () => act(() => post(`/api/v1/tickets/${t.id}/start`))],
        recall: ["btn-recall", "secondary", () => act(() => post(`/api/v1/tickets/${t.id}/recall`))],
        no_show: ["btn-noshow", "danger", () => act(() => post(`/api/v1/tickets/${t.id}/no-show`))],
        finish: ["btn-finish", "", () => finish(t)],
        hold: ["btn-hold", "warn", async () => {
          const reason = await ask("暂挂 Hold — why?");
          if (reason !== null) act(() => post(`/api/v1/tickets/${t.id}/hold`, { reason }));
        }],
        resume: ["btn-resume", "", () => act(() => post(`/api/v1/tickets/${t.id}/resume`))],
        transfer: ["btn-transfer", "secondary", () => transfer(t)],
      };
      for (const a of t.actions || []) {
        const h = how[a.action];
        if (!h) continue;
        const count = a.action === "recall" ? ` ${t.recalls}/${view.max_recalls}` : "";
        add(h[0], `${SH.esc(a.label_zh)}${count}<br><small>${SH.esc(a.label_en)}</small>`, h[1], h[2]);
      }
      if (t.state === "serving") {
        // While the customer is being served: a case (工单) or a one-time notice for them.
        add("btn-case", "开工单<br><small>Open case</small>", "secondary", () => { location.href = `/cases?new=1&ticket=${t.id}`; });
        add("btn-notice", "一次性告知<br><small>Notice</small>", "secondary", () => { location.href = `/notice/new?ticket=${t.id}`; });
      }
    }
    $("actions").innerHTML = b.map((x) => `<button id="${x.id}" class="${x.cls}">${x.label}</button>`).join("");
    b.forEach((x) => $(x.id).addEventListener("click", x.fn));
  };
  // Finishing asks how the visit ended (办结 / 缺少资料 / 转办 / 其他): 办结 has the focus, so
  // Enter (or 1–4) finishes. With the customer's phone or account number the outcome is
  // recorded as a visit — 缺少资料 requires it, so a return for the same business is flagged
  // as a repeat trip (重复往返). The visit is recorded before the ticket is finished, so a
  // refused contact leaves the ticket being served.
  const finish = (t) => {
    const type = d.types.find((x) => x.id === t.business_type_id);
    const pay = !!(type && type.payment);
    const dlg = $("finish-dialog"), form = $("finish-form"), err = $("finish-error");
    $("pay-fields").hidden = !pay;
    $("due").value = ""; $("received").value = ""; $("change-line").textContent = "";
    $("finish-contact").value = ""; $("finish-class").value = "resident";
    err.hidden = true;
    const update = () => {
      try { const c = fen($("received").value) - fen($("due").value); $("change-line").textContent = c >= 0 ? `找零 Change ¥${SH.yuan(c)}` : "实收不足 Received is less than due"; }
      catch (_) { $("change-line").textContent = ""; }
    };
    $("due").oninput = update; $("received").oninput = update;
    const fail = (msg, focus) => { err.textContent = msg; err.hidden = false; SH.toast(msg, true); if (focus) $(focus).focus(); };
    const done = async (outcome) => {
      const contact = $("finish-contact").value.trim();
      if (outcome === "missing_document" && !contact) return fail("缺少资料需登记客户手机号或户号 · Enter the customer's phone or account number for 缺少资料", "finish-contact");
      let amounts;
      if (pay) {
        try { amounts = { amount_due_fen: fen($("due").value), amount_received_fen: fen($("received").value) }; }
        catch (e) { return fail(e.message, "due"); }
      }
      try {
        if (contact && type) {
          const v = await post(`/api/v1/halls/${encodeURIComponent(d.hall)}/visits`, {
            business_type: type.code, class: $("finish-class").value, contact, ticket_id: t.id, outcome,
          });
          if (v.repeat_of) SH.toast("重复往返：该客户此前因缺少资料来过 · Repeat trip flagged for the manager", true);
        }
        await post(`/api/v1/tickets/${t.id}/finish`, amounts);
      } catch (e) { return fail(e.message); }
      lastFinished = pay ? t.id : null;
      dlg.close("done");
      await refresh();
    };
    form.onsubmit = (ev) => {
      const b = ev.submitter;
      if (!b || b.value === "cancel") return; // closes the dialog
      ev.preventDefault();
      done(b.value);
    };
    form.onkeydown = (ev) => {
      const keys = { 1: "finish-confirm", 2: "finish-missing", 3: "finish-transferred", 4: "finish-other" };
      if (keys[ev.key] && ev.target.tagName !== "INPUT" && !ev.altKey && !ev.ctrlKey && !ev.metaKey) {
        ev.preventDefault();
        $(keys[ev.key]).click();
      }
    };
    dlg.showModal();
    $("finish-confirm").focus();
  };
  let lastFinished = null;
  const transfer = (t) => {
    $("transfer-type").innerHTML = d.types.map((x) => `<option value="${SH.esc(x.code)}">${SH.esc(x.name)}</option>`).join("");
    $("transfer-counter").innerHTML = '<option value="">任意窗口 Any</option>' + d.counters.filter((c) => c.id !== counterId).map((c) => `<option value="${c.number}">${c.number}号窗口</option>`).join("");
    const dlg = $("transfer-dialog");
    dlg.onclose = () => {
      if (dlg.returnValue !== "ok") return;
      const body = { business_type: $("transfer-type").value, reason: $("transfer-reason").value };
      if ($("transfer-counter").value) body.counter_number = Number($("transfer-counter").value);
      act(() => post(`/api/v1/tickets/${t.id}/transfer`, body));
    };
    dlg.showModal();
  };
  const paint = () => {
    const c = view.counter, t = view.current;
    $("counter-title").textContent = `${c.number}号窗口 · Counter ${c.number}`;
    const st = $("counter-status");
    st.className = "pill " + c.status;
    st.textContent = { open: "服务中 Open", paused: "暂停服务 Paused " + c.pause_reason, closed: "未开放 Closed" }[c.status];
    if (t) {
      lastFinished = null; // the read-back belongs to the previous customer only
      $("cur-number").textContent = t.number;
      const extra = (t.priority === "green" ? " · 绿色通道 " + t.green_reason : "") + (t.proxy ? " · 业务代办" : "");
      $("cur-state").textContent = `${t.state_zh} · ${t.business_type}${extra}`;
      since = t.log.length ? t.log[t.log.length - 1].at : Date.now();
    } else {
      $("cur-number").textContent = "—";
      $("cur-state").textContent = c.status === "open" ? "空闲，可叫号 · Idle, call the next customer" : "暂停服务 · Paused";
      since = null;
    }
    $("readback").hidden = true;
    if (!t && lastFinished) {
      const id = lastFinished;
      SH.api("GET", `/api/v1/tickets/${id}`).then((done) => {
        const rb = done.log.find((e) => e.state === "finished");
        if (rb && rb.note) {
          $("readback").innerHTML = `<strong>${SH.esc(rb.note)}</strong><br><a href="/receipts/${id}" target="_blank">打印回执 Print receipt</a>`;
          $("readback").hidden = false;
        }
      }).catch(() => {});
    }
    buttons();
    $("next").innerHTML = view.next.length
      ? view.next.map((n) => `<li>${SH.esc(n.number)} <small>${SH.esc(n.business_type)} · 已等 ${SH.fmtDur(n.waited_s)}</small>${n.green ? ' <span class="pill green">绿色通道</span>' : ""}</li>`).join("")
      : '<li class="muted">暂无 · none</li>';
    $("waiting-count").textContent = `本窗口可叫 ${view.waiting_for_me} 人 · ${view.waiting_for_me} waiting for this counter`;
    const f = view.today;
    const fig = (k, v) => `<div class="figure"><div class="v">${v}</div><div class="k">${k}</div></div>`;
    $("my-day").innerHTML = fig("已办结 Served", f.served) + fig("平均办理 Avg handling", SH.fmtDur(f.avg_handling_s)) +
      fig("评价 Ratings", f.ratings) + fig("满意率 Satisfied", f.satisfaction_pct === null ? "—" : f.satisfaction_pct + "%");
  };
  const refresh = async () => {
    if (!counterId) return;
    try { view = await SH.api("GET", `/api/v1/counters/${counterId}/console`); paint(); }
    catch (e) { SH.toast(e.message, true); }
  };
  setInterval(() => { $("cur-timer").textContent = since ? "计时 " + SH.fmtDur((Date.now() - since) / 1000) : ""; }, 1000);
  if (!counterId) {
    $("open-panel").hidden = false;
    $("open-list").innerHTML = d.counters.map((c) => {
      const taken = c.status !== "closed";
      return `<button class="${taken ? "secondary" : ""}" data-id="${c.id}" ${taken ? "disabled" : ""}>${c.number}号窗口<br><small>${SH.esc(c.types.join("、"))}${taken ? "<br>" + SH.esc(c.clerk || "") + " 在岗" : ""}</small></button>`;
    }).join("");
    document.querySelectorAll("#open-list button").forEach((b) => b.addEventListener("click", () => act(async () => {
      await post(`/api/v1/counters/${b.dataset.id}/open`);
      location.reload();
    })));
    return;
  }
  $("console").hidden = false;
  refresh();
  let pending = null;
  SH.stream(`/api/v1/halls/${encodeURIComponent(d.hall)}/events`, () => {
    clearTimeout(pending); pending = setTimeout(refresh, 250);
  }, (ok) => { if (!ok) SH.toast("实时连接中断，正在重连 · Live connection lost, reconnecting", true); });
})();
