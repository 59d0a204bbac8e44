// Counter console. Every button calls the JSON API; the view refreshes from
// /api/v1/counters/{id}/console whenever the hall's event stream reports a change.
// Every action has a function key, printed on its button (the clerk's hands stay on the
// keyboard all day); keys do nothing while a field or a dialog has the keyboard.
"use strict";
(() => {
  const d = SH.data();
  const $ = (id) => document.getElementById(id);
  let counterId = d.counter_id, view = null, since = null, pausedSince = null;
  const post = (url, body) => SH.api("POST", url, body);
  // A staff photo set by the administrator has a thumbnail beside it.
  const thumb = (u) => (u && u.startsWith("/api/v1/staff/") ? u + "&size=thumb" : u);
  // What went wrong, Chinese first with the English beside. The server's refusals already
  // read that way; a lost connection or a proxy's page does not, so it is said here.
  const say = (e) => {
    const m = String((e && e.message) || e || "");
    if (e instanceof TypeError || !m) return "网络连接失败，请检查网络后重试 · The network failed; check the connection and try again";
    if (/[<>]/.test(m) || m.length > 300) return "服务器暂时无法处理，请稍后重试 · The server could not handle this now; try again shortly";
    return /[\u4e00-\u9fff]/.test(m) ? m : "操作未成功 · " + m;
  };
  const fail = (e) => {
    const m = say(e);
    // Before a counter is chosen the console is hidden: the open panel says it instead.
    const box = counterId ? $("console-error") : $("open-error");
    box.textContent = m;
    box.hidden = false;
    SH.toast(m, true);
  };
  const act = async (fn) => {
    $("console-error").hidden = true;
    $("open-error").hidden = true;
    try { await fn(); await refresh(); } catch (e) { fail(e); }
  };
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

  // No-show and close wait five seconds with an Undo before anything is sent: the clerk
  // presses one key and goes on (Enter sends it at once), and a slip of the finger is taken
  // back with Esc instead of a confirm box on every no-show. Meanwhile the other buttons
  // wait too, so nothing can act on a ticket that is about to go.
  let pending = null;
  const UNDO_MS = 5000;
  const later = (label, send) => {
    flush();
    const bar = $("undo-bar");
    const p = { send, timer: null, tick: null, until: Date.now() + UNDO_MS };
    const show = () => {
      const left = Math.max(0, Math.ceil((p.until - Date.now()) / 1000));
      $("undo-text").textContent = `${label}：${left} 秒后执行 · in ${left} s`;
    };
    show();
    p.tick = setInterval(show, 250);
    p.timer = setTimeout(flush, UNDO_MS);
    pending = p;
    bar.hidden = false;
    lock(true);
    $("undo-now").focus();
  };
  const lock = (on) => document.querySelectorAll("#actions button").forEach((b) => { b.disabled = on; });
  const clear = () => {
    if (!pending) return null;
    const p = pending;
    pending = null;
    clearTimeout(p.timer); clearInterval(p.tick);
    $("undo-bar").hidden = true;
    lock(false);
    return p;
  };
  function flush() {
    const p = clear();
    return p ? act(p.send) : Promise.resolve();
  }
  const undo = () => { if (clear()) SH.toast("已撤销，未作任何更改 · Undone; nothing was changed"); };
  $("undo-btn").addEventListener("click", undo);
  $("undo-now").addEventListener("click", () => flush());

  // Buttons: [id, function key, 中文, English, class, handler]. The key is printed on the
  // button and the keydown handler below presses the button that carries it.
  const buttons = () => {
    const c = view.counter, t = view.current, b = [];
    const add = (id, key, zh, en, cls, fn) => b.push({ id, key, zh, en, cls, fn });
    if (!t) {
      if (c.status === "open") add("btn-call", "F1", "叫号", "Call next", "", () => act(async () => {
        const r = await post(`/api/v1/counters/${counterId}/call-next`);
        if (!r) SH.toast("暂无等候客户 · Nobody is waiting for this counter");
      }));
      if (c.status === "open") add("btn-pause", "F9", "暂停服务", "Pause", "warn", async () => {
        const reason = await ask("暂停服务 Pause the counter");
        if (reason !== null) act(() => post(`/api/v1/counters/${counterId}/pause`, { reason }));
      });
      if (c.status === "paused") add("btn-reopen", "F9", "恢复服务", "Resume", "", () => act(() => post(`/api/v1/counters/${counterId}/open`)));
      add("btn-close", "", "下班关闭", "Close", "secondary", () => later("下班关闭 Closing the counter", async () => {
        await post(`/api/v1/counters/${counterId}/close`);
        location.reload();
      }));
    } else {
      // The ticket says which actions it accepts now (the domain's allowed_actions); this
      // table only says how each one looks, its key and what it asks before posting.
      const how = {
        recall: ["btn-recall", "F2", "secondary", () => act(() => post(`/api/v1/tickets/${t.id}/recall`))],
        start: ["btn-start", "F3", "", () => act(() => post(`/api/v1/tickets/${t.id}/start`))],
        finish: ["btn-finish", "F4", "", () => finish(t)],
        hold: ["btn-hold", "F5", "warn", async () => {
          const reason = await ask("暂挂 Hold — why?");
          if (reason !== null) act(() => post(`/api/v1/tickets/${t.id}/hold`, { reason }));
        }],
        resume: ["btn-resume", "F5", "", () => act(() => post(`/api/v1/tickets/${t.id}/resume`))],
        transfer: ["btn-transfer", "F7", "secondary", () => transfer(t)],
        no_show: ["btn-noshow", "F8", "danger", () => later(`${t.number} 未到 No-show`, () => post(`/api/v1/tickets/${t.id}/no-show`))],
      };
      for (const a of t.actions || []) {
        const h = how[a.action];
        if (!h) continue;
        const count = a.action === "recall" ? ` ${t.recalls}/${view.max_recalls}` : "";
        add(h[0], h[1], a.label_zh + count, a.label_en, h[2], h[3]);
      }
      if (t.state === "serving") {
        // While the customer is being served: a case (工单) or a one-time notice for them.
        add("btn-case", "", "开工单", "Open case", "secondary", () => { location.href = `/cases?new=1&ticket=${t.id}`; });
        add("btn-notice", "", "一次性告知", "Notice", "secondary", () => { location.href = `/notice/new?ticket=${t.id}`; });
      }
    }
    $("actions").innerHTML = b.map((x) =>
      `<button id="${x.id}" class="${x.cls}"${x.key ? ` data-key="${x.key}" aria-keyshortcuts="${x.key}"` : ""}>` +
      `${x.key ? `<kbd>${x.key}</kbd> ` : ""}${SH.esc(x.zh)}<br><small>${SH.esc(x.en)}</small></button>`).join("");
    b.forEach((x) => $(x.id).addEventListener("click", x.fn));
    if (pending) lock(true);
  };
  // A function key presses the button that prints it; nothing happens while the clerk
  // types (the search box, a dialog's fields) or a dialog is open. Esc takes back a
  // waiting no-show or close.
  const CONSOLE_KEYS = ["F1", "F2", "F3", "F4", "F5", "F7", "F8", "F9"];
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && pending && !document.querySelector("dialog[open]")) {
      ev.preventDefault(); undo(); return;
    }
    if (!/^F\d{1,2}$/.test(ev.key) || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const typing = ev.target.closest && ev.target.closest("input, textarea, select, [contenteditable]");
    if (typing || document.querySelector("dialog[open]")) return;
    // The console's keys never fall through to the browser (F1 would open its help, F5
    // reload the page), even when their button is not offered just now.
    if (CONSOLE_KEYS.includes(ev.key)) ev.preventDefault();
    const btn = document.querySelector(`#actions button[data-key="${ev.key}"]`);
    if (btn && !btn.disabled) btn.click();
  });

  // Finishing asks how the visit ended (办结 / 缺少资料 / 转办 / 其他). Amounts are asked
  // only for a payment business, and needed only for 办结: the amount due has the focus,
  // so the clerk types due, Tab, received, Enter. Otherwise 办结 has the focus, so Enter
  // (or 1–4) finishes. With the customer's phone or account number the outcome is recorded
  // as a visit — 缺少资料 requires it, so a return for the same business is flagged as a
  // repeat trip (重复往返). The visit is recorded before the ticket is finished, so a
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
      try { const c = fen($("received").value) - fen($("due").value); $("change-line").textContent = c >= 0 ? `找零 Change ¥${SH.yuan(c)}` : "实收不足 · Received is less than due"; }
      catch (_) { $("change-line").textContent = ""; }
    };
    $("due").oninput = update; $("received").oninput = update;
    const refuse = (msg, focus) => { err.textContent = msg; err.hidden = false; SH.toast(msg, true); if (focus) $(focus).focus(); };
    const done = async (outcome) => {
      const contact = $("finish-contact").value.trim();
      if (outcome === "missing_document" && !contact) return refuse("缺少资料需登记客户手机号或户号 · Enter the customer's phone or account number for 缺少资料", "finish-contact");
      // Only 办结 of a payment business is read back; other endings collect nothing.
      let amounts = { outcome };
      if (pay && outcome === "completed") {
        try { amounts = { outcome, amount_due_fen: fen($("due").value), amount_received_fen: fen($("received").value) }; }
        catch (e) { return refuse(e.message, "due"); }
      }
      try {
        if (contact && type) {
          const v = await post(`/api/v1/halls/${encodeURIComponent(d.hall)}/visits`, {
            business_type: type.code, class: $("finish-class").value, contact, ticket_id: t.id, outcome,
          });
          if (v.repeat_of) SH.toast("重复往返：该客户此前因缺少资料来过 · Repeat trip flagged for the manager", true);
        }
        await post(`/api/v1/tickets/${t.id}/finish`, amounts);
      } catch (e) { return refuse(say(e)); }
      lastFinished = pay && outcome === "completed" ? t.id : null;
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
    $(pay ? "due" : "finish-confirm").focus();
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
    // The customer told the phone page they are on their way: no hasty no-show.
    const onWay = (at) => at ? ` · 客户在路上 On the way ${SH.hhmm(at)}` : "";
    $("counter-title").textContent = `${c.number}号窗口 · Counter ${c.number}`;
    const k = c.clerk;
    $("clerk-photo").innerHTML = k ? SH.avatar(k.name, thumb(k.photo), 48) : "";
    $("clerk-line").innerHTML = k ? `${SH.esc(k.name)} <span class="muted">工号 Badge ${SH.esc(k.badge_no)}</span>` : "";
    const st = $("counter-status");
    st.className = "pill " + c.status;
    st.textContent = { open: "服务中 Open", paused: "暂停服务 Paused " + c.pause_reason, closed: "未开放 Closed" }[c.status];
    pausedSince = c.status === "paused" ? c.status_since : null;
    $("pre-shift-warning").textContent = view.pre_shift_warning || "";
    $("pre-shift-warning").hidden = !view.pre_shift_warning;
    if (t) {
      lastFinished = null; // the read-back belongs to the previous customer only
      $("cur-number").textContent = t.number;
      const extra = (t.priority === "green" ? " · 绿色通道 " + t.green_reason : "") + (t.proxy ? " · 业务代办" : "");
      $("cur-state").textContent = `${t.state_zh} · ${t.business_type}${extra}${onWay(t.on_way_at)}`;
      since = t.log.length ? t.log[t.log.length - 1].at : Date.now();
    } else {
      $("cur-number").textContent = "—";
      $("cur-state").textContent = c.status === "open" ? "空闲，可叫号 · Idle, call the next customer" : "暂停服务 · Paused";
      since = null;
    }
    tick();
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
      ? view.next.map((n) => `<li>${SH.esc(n.number)} <small>${SH.esc(n.business_type)} · 已等 ${SH.fmtDur(n.waited_s)}</small>${n.green ? ' <span class="pill green">绿色通道</span>' : ""}${n.on_way_at ? ' <span class="pill on-way">在路上 On the way</span>' : ""}</li>`).join("")
      : '<li class="muted">暂无 · none</li>';
    $("waiting-count").textContent = `本窗口可叫 ${view.waiting_for_me} 人 · ${view.waiting_for_me} waiting for this counter`;
    const f = view.today;
    const fig = (k, v) => `<div class="figure"><div class="v">${v}</div><div class="k">${k}</div></div>`;
    $("my-day").innerHTML = fig("已办结 Served", f.served) + fig("平均办理 Avg handling", SH.fmtDur(f.avg_handling_s)) +
      fig("评价 Ratings", f.ratings) + fig("满意率 Satisfied", f.satisfaction_pct === null ? "—" : f.satisfaction_pct + "%");
  };
  // The live clocks: how long the ticket has been in its state, how long the pause lasts.
  const tick = () => {
    $("cur-timer").textContent = since ? "计时 " + SH.fmtDur((Date.now() - since) / 1000) : "";
    const p = $("pause-timer");
    p.hidden = pausedSince === null;
    if (pausedSince !== null) p.textContent = `已暂停 ${SH.fmtDur((Date.now() - pausedSince) / 1000)} · Paused for ${SH.fmtDur((Date.now() - pausedSince) / 1000)}`;
  };
  const refresh = async () => {
    if (!counterId) return;
    try { view = await SH.api("GET", `/api/v1/counters/${counterId}/console`); paint(); }
    catch (e) { fail(e); }
  };
  setInterval(tick, 1000);
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
  let soon = null;
  SH.stream(`/api/v1/halls/${encodeURIComponent(d.hall)}/events`, () => {
    clearTimeout(soon); soon = setTimeout(refresh, 250);
  }, (ok) => { if (!ok) SH.toast("实时连接中断，正在重连 · Live connection lost, reconnecting", true); });
})();
