// ServiceHall — appointments (预约): the public booking page, a booking's page, the kiosk's
// check-in and the desk's day list. One script; each part runs when its screen is shown.
"use strict";
(function () {
  const d = SH.data();
  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const showError = (el, msg) => { el.textContent = msg; el.hidden = !msg; };

  // --- The public booking page -------------------------------------------------------
  if ($("appt-book")) {
    const pick = { type: null, date: null, time: null };
    const change = d.change || null;
    if (!d.enabled) { $("b-off").hidden = false; $("b-submit").hidden = true; }
    if (change) {
      $("b-title").innerHTML = "改约 <span class=\"en\">Change booking " + esc(change) + "</span>";
      $("b-step-phone").hidden = true;
    }
    const radio = (box, items, key, render, onPick) => {
      box.innerHTML = "";
      items.forEach((it) => {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "appt-choice";
        b.setAttribute("role", "radio");
        b.setAttribute("aria-checked", "false");
        b.innerHTML = render(it);
        if (it.disabled) b.disabled = true;
        b.onclick = () => {
          box.querySelectorAll("button").forEach((x) => x.setAttribute("aria-checked", "false"));
          b.setAttribute("aria-checked", "true");
          pick[key] = it.value;
          onPick();
        };
        box.appendChild(b);
      });
    };
    const ready = () => {
      const phoneOk = change || ($("b-phone").value.replace(/\D/g, "").length === 11 && $("b-code").value.trim().length === 6);
      $("b-submit").disabled = !(pick.type && pick.date && pick.time && phoneOk);
    };
    const loadSlots = async () => {
      pick.time = null;
      ready();
      if (!pick.type || !pick.date) return;
      const note = $("b-slots-note");
      note.textContent = "正在查询… · Loading…";
      try {
        const r = await SH.api("GET", `/api/v1/public/halls/${d.hall}/slots?business_type=${encodeURIComponent(pick.type)}&date=${pick.date}`);
        const items = r.slots.map((s) => ({ value: s.time, disabled: s.free <= 0, s }));
        note.textContent = items.length ? "" : "当天没有可预约时段，请换一天 · No times that day; pick another day.";
        radio($("b-slots"), items, "time",
          (it) => `<strong>${esc(it.s.time)}</strong><small>${it.s.free > 0 ? "余 " + it.s.free + " · " + it.s.free + " left" : "已满 · full"}</small>`, ready);
      } catch (e) { note.textContent = e.message; $("b-slots").innerHTML = ""; }
    };
    radio($("b-types"), d.types.map((t) => ({ value: t.code, t })), "type",
      (it) => `${esc(it.t.zh)} <span class="en">${esc(it.t.en)}</span>`, loadSlots);
    radio($("b-days"), d.days.map((x) => ({ value: x.date, x })), "date",
      (it) => `<strong>${esc(it.x.label)}</strong><small>${esc(it.x.md)}</small>`, loadSlots);
    ["b-phone", "b-code"].forEach((id) => $(id).addEventListener("input", ready));
    $("b-send").onclick = async () => {
      showError($("b-error"), "");
      try {
        const r = await SH.api("POST", `/api/v1/public/halls/${d.hall}/verify-phone`, { phone: $("b-phone").value });
        SH.toast(`验证码已发送至 ${r.to} · code sent`);
        const btn = $("b-send");
        let left = 60;
        btn.disabled = true;
        const t = setInterval(() => {
          btn.textContent = `${--left} 秒后重发`;
          if (left <= 0) { clearInterval(t); btn.disabled = false; btn.innerHTML = "获取验证码 <span class=\"en\">Send code</span>"; }
        }, 1000);
        $("b-code").focus();
      } catch (e) { showError($("b-error"), e.message); }
    };
    $("b-submit").onclick = async () => {
      showError($("b-error"), "");
      $("b-submit").disabled = true;
      try {
        const r = change
          ? await SH.api("PUT", `/api/v1/public/appointments/${change}`, { date: pick.date, time: pick.time })
          : await SH.api("POST", `/api/v1/public/halls/${d.hall}/appointments`, {
              business_type: pick.type, date: pick.date, time: pick.time,
              phone: $("b-phone").value, phone_code: $("b-code").value.trim(), name: $("b-name").value,
            });
        location.href = "/a/" + r.code;
      } catch (e) { showError($("b-error"), e.message); ready(); loadSlots(); }
    };
  }

  // --- A booking's page ---------------------------------------------------------------
  if ($("appt-booking") && $("a-cancel")) {
    $("a-cancel").onclick = () => { $("a-confirm").hidden = false; };
    $("a-cancel-no").onclick = () => { $("a-confirm").hidden = true; };
    $("a-cancel-yes").onclick = async () => {
      try {
        await SH.api("DELETE", `/api/v1/public/appointments/${d.code}`);
        location.reload();
      } catch (e) { showError($("a-error"), e.message); }
    };
  }

  // --- The kiosk's check-in -----------------------------------------------------------
  if ($("k-box")) {
    const input = $("k-code");
    input.focus();
    $("k-keys").addEventListener("click", (ev) => {
      const k = ev.target.closest("button");
      if (!k) return;
      input.value = k.dataset.key === "back" ? input.value.slice(0, -1) : input.value + k.dataset.key;
      input.focus();
    });
    const submit = async () => {
      showError($("k-error"), "");
      const code = input.value.trim();
      if (!code) return;
      try {
        const r = await SH.api("POST", `/api/v1/halls/${d.hall}/appointments/${encodeURIComponent(code.split("/").pop())}/check-in`);
        $("k-number").textContent = r.ticket.number;
        $("k-message").textContent = r.message;
        $("k-done").hidden = false;
        $("k-box").hidden = true;
        if (r.ticket.code) window.open(`/slip/${r.ticket.code}?print=1`, "_blank");
        setTimeout(() => { $("k-done").hidden = true; $("k-box").hidden = false; input.value = ""; input.focus(); }, 8000);
      } catch (e) { showError($("k-error"), e.message); }
    };
    $("k-submit").onclick = submit;
    input.addEventListener("keydown", (ev) => { if (ev.key === "Enter") submit(); });
  }

  // --- The desk's day list ------------------------------------------------------------
  if ($("appt-desk")) {
    const fmtTime = (ms) => (ms ? new Date(ms).toLocaleTimeString("zh-CN", { timeZone: SH.tz, hour: "2-digit", minute: "2-digit" }) : "");
    const draw = (day) => {
      $("d-date").value = day.date;
      $("d-counts").textContent = `已预约 ${day.booked} · 已签到 ${day.checked_in} · 爽约 ${day.no_show} · 已取消 ${day.cancelled} — booked ${day.booked}, checked in ${day.checked_in}, no-shows ${day.no_show}, cancelled ${day.cancelled}`;
      const body = $("d-table").querySelector("tbody");
      body.innerHTML = day.appointments.map((a) => `<tr class="appt-row-${esc(a.state)}">
        <td>${esc(a.time)}</td><td>${esc(a.business_type_zh)}</td><td><code>${esc(a.code)}</code></td>
        <td>${esc(a.name)} ${esc(a.phone_masked)}</td><td>${a.channel === "desk" ? "引导台 desk" : "手机 phone"}</td>
        <td><span class="appt-state appt-state-${esc(a.state)}">${esc(a.state_zh)} <span class="en">${esc(a.state_en)}</span></span>${a.checked_in_at ? " " + fmtTime(a.checked_in_at) + (a.on_time ? " · 优先 first" : " · 迟到 late") : ""}</td>
        <td>${a.state === "booked" ? `<button type="button" class="secondary" data-checkin="${esc(a.code)}">签到 <span class="en">Check in</span></button>` : ""}</td></tr>`).join("");
      $("d-empty").hidden = day.appointments.length > 0;
    };
    const load = async (date) => draw(await SH.api("GET", `/api/v1/halls/${d.hall}/appointments${date ? "?date=" + date : ""}`));
    const checkIn = async (code) => {
      try {
        const r = await SH.api("POST", `/api/v1/halls/${d.hall}/appointments/${encodeURIComponent(code)}/check-in`);
        SH.toast(r.message);
        if (r.ticket.code) window.open(`/slip/${r.ticket.code}?print=1`, "_blank");
        load($("d-date").value);
      } catch (e) { SH.toast(e.message, true); }
    };
    draw(d.day);
    $("d-public").href = d.public_url;
    $("d-public").textContent = d.public_url;
    $("d-table").addEventListener("click", (ev) => { const b = ev.target.closest("[data-checkin]"); if (b) checkIn(b.dataset.checkin); });
    $("d-checkin").onsubmit = (ev) => { ev.preventDefault(); checkIn($("d-code").value.trim()); $("d-code").value = ""; };
    $("d-date-form").onsubmit = (ev) => { ev.preventDefault(); load($("d-date").value).catch((e) => SH.toast(e.message, true)); };
    // Booking at the desk.
    $("db-type").innerHTML = d.types.map((t) => `<option value="${esc(t.code)}">${esc(t.zh)}</option>`).join("");
    $("db-date").value = d.day.date;
    const times = async () => {
      try {
        const r = await SH.api("GET", `/api/v1/public/halls/${d.hall}/slots?business_type=${encodeURIComponent($("db-type").value)}&date=${$("db-date").value}`);
        $("db-time").innerHTML = r.slots.map((s) => `<option value="${esc(s.time)}"${s.free <= 0 ? " disabled" : ""}>${esc(s.time)}（余 ${s.free}）</option>`).join("") || `<option value="">无可约时段 · none</option>`;
      } catch (e) { SH.toast(e.message, true); }
    };
    $("db-type").onchange = times;
    $("db-date").onchange = times;
    $("d-book").addEventListener("toggle", times, { once: true });
    $("d-book-form").onsubmit = async (ev) => {
      ev.preventDefault();
      try {
        const r = await SH.api("POST", `/api/v1/halls/${d.hall}/appointments`, {
          business_type: $("db-type").value, date: $("db-date").value, time: $("db-time").value,
          phone: $("db-phone").value, name: $("db-name").value,
        });
        SH.toast(`已预约，预约码 ${r.code} · booked, code ${r.code}`);
        load($("d-date").value);
        times();
      } catch (e) { SH.toast(e.message, true); }
    };
    if (d.manager) {
      const st = d.settings;
      $("ds-enabled").checked = st.enabled;
      $("ds-share").value = st.bookable_share_pct;
      $("ds-manual").value = st.manual_capacity == null ? "" : st.manual_capacity;
      $("ds-grace").value = st.grace_min;
      $("ds-noshow").value = st.no_show_limit;
      $("ds-days").value = st.days_ahead;
      $("d-settings-form").onsubmit = async (ev) => {
        ev.preventDefault();
        const n = (id) => Number($(id).value);
        // The server names what to fix (Chinese first); shown beside the form, not only
        // in a toast, so the manager can read it while correcting the field.
        $("ds-error").hidden = true;
        try {
          const r = await SH.api("PUT", `/api/v1/halls/${d.hall}/appointment-settings`, {
            enabled: $("ds-enabled").checked, bookable_share_pct: n("ds-share"),
            manual_capacity: $("ds-manual").value === "" ? null : n("ds-manual"),
            grace_min: n("ds-grace"), no_show_limit: n("ds-noshow"), days_ahead: n("ds-days"),
          });
          $("ds-updated").textContent = `已保存 · saved (${r.updated_by || ""})`;
          SH.toast("已保存 · saved");
        } catch (e) {
          $("ds-error").textContent = e.message;
          $("ds-error").hidden = false;
        }
      };
      $("d-log").addEventListener("toggle", async () => {
        try {
          const rows = await SH.api("GET", `/api/v1/halls/${d.hall}/notifications`);
          $("d-log-table").querySelector("tbody").innerHTML = rows.map((n) => `<tr>
            <td>${new Date(n.created_at).toLocaleString("zh-CN", { timeZone: SH.tz })}</td><td>${esc(n.event_zh)}</td>
            <td>${esc(n.recipient)}</td><td>${esc(n.channel)}</td><td>${esc(n.status_zh)}${n.attempts > 1 ? " ×" + n.attempts : ""}</td>
            <td class="appt-body">${esc(n.body)}${n.last_error ? "<br><small>" + esc(n.last_error) + "</small>" : ""}</td></tr>`).join("")
            || `<tr><td class="muted">暂无 · none</td></tr>`;
        } catch (e) { SH.toast(e.message, true); }
      });
    }
  }
})();
