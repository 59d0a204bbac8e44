// 客户与分群 · the register's forms (new customer, change, consents, reveal with a reason)
// and the recognition panel of the guide desk and the counter console. Personal data goes
// in POST bodies only, never in a URL.
"use strict";
(() => {
  const data = SH.data();
  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const fail = (box, e) => { box.textContent = e.message; box.hidden = false; };

  // A new customer (register page).
  const nf = $("new-form");
  if (nf) nf.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = new FormData(nf);
    const seg = f.get("segment");
    const body = { account_no: f.get("account_no"), name: f.get("name"), phone: f.get("phone"), class: f.get("class"), note: f.get("note"), segments: [] };
    if (seg) body.segments.push({ segment: seg, basis: f.get("basis") || null, review_on: f.get("review_on") || null });
    try {
      const c = await SH.api("POST", `/api/v1/halls/${encodeURIComponent(data.hall)}/customers`, body);
      location.href = `/customers/${c.id}`;
    } catch (e) { fail($("new-error"), e); }
  });

  const id = data.customer;
  const reload = () => location.reload();

  const rf = $("reveal-form");
  if (rf) rf.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      const r = await SH.api("POST", `/api/v1/customers/${id}/reveal`, { reason: new FormData(rf).get("reason") });
      $("v-account").textContent = r.account_no;
      $("v-name").textContent = r.name;
      $("v-phone").textContent = r.phone || "—";
      $("reveal-error").hidden = true;
      rf.hidden = true;
    } catch (e) { fail($("reveal-error"), e); }
  });

  const cf = $("consent-form");
  if (cf) cf.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = new FormData(cf);
    try {
      await SH.api("POST", `/api/v1/customers/${id}/consents`, { purpose: f.get("purpose"), channel: f.get("channel"), note: f.get("note") });
      reload();
    } catch (e) { fail($("consent-error"), e); }
  });
  document.querySelectorAll("button.withdraw").forEach((b) => b.addEventListener("click", async () => {
    if (!confirm("确认撤回该用途的联系同意？撤回即时生效。 Withdraw this consent? It stops contact at once.")) return;
    try {
      await SH.api("POST", `/api/v1/customers/${id}/consents/${b.dataset.purpose}/withdraw`, { note: "客户要求撤回" });
      reload();
    } catch (e) { fail($("consent-error"), e); }
  }));

  const ef = $("edit-form");
  if (ef) ef.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = new FormData(ef);
    const segments = [];
    ef.querySelectorAll("tr[data-segment]").forEach((tr) => {
      if (!tr.querySelector(".seg-on").checked) return;
      const basis = tr.querySelector(".basis");
      segments.push({
        segment: tr.dataset.segment,
        care: [...tr.querySelectorAll("input.care:checked")].map((c) => c.value),
        basis: basis && basis.value ? basis.value : null,
        review_on: tr.querySelector(".review").value || null,
        note: tr.querySelector(".seg-note").value,
      });
    });
    const body = { class: f.get("class"), note: f.get("note"), segments };
    if (f.get("name")) body.name = f.get("name");
    if (f.get("phone")) body.phone = f.get("phone");
    try {
      await SH.api("PUT", `/api/v1/customers/${id}`, body);
      reload();
    } catch (e) { fail($("edit-error"), e); }
  });

  // The recognition panel (guide desk, counter console).
  const pf = $("recognise-form");
  if (!pf) return;
  const out = $("recognise-result");
  const when = (ms) => (SH.when ? SH.when(ms) : new Date(ms).toLocaleString());
  const render = (r) => {
    if (!r.found) {
      out.innerHTML = `<p class="muted">${esc(r.message)}</p>`;
      return;
    }
    const c = r.customer;
    let h = `<p class="recognise-who"><strong>${esc(c.name)}</strong> · 户号 ${esc(c.account)}${c.phone ? " · " + esc(c.phone) : ""}</p>`;
    if (c.segments.length) h += `<p>${c.segments.map((s) => `<span class="chip${s.vulnerable ? " care" : ""}">${esc(s.segment.zh)}</span>`).join(" ")}</p>`;
    if (c.green_channel) {
      h += `<p class="recognise-green" id="recognise-green">建议走绿色通道 <span class="en">Suggest the green channel</span>`;
      if ($("green")) h += ` <button type="button" id="use-green">使用绿色通道 <span class="en">Use it</span></button>`;
      h += `</p>`;
    }
    if (c.care.length) h += `<p class="small">关怀 <span class="en">Care</span>：${c.care.map((k) => esc(k.zh)).join("、")}</p>`;
    if (r.open_cases.length) {
      h += `<p class="small"><strong>在办工单 <span class="en">Open cases</span></strong></p><ul class="recognise-list">` +
        r.open_cases.map((k) => `<li>${esc(k.number)} · ${esc(k.kind.zh)}${k.summary ? " · " + esc(k.summary) : ""}</li>`).join("") + `</ul>`;
    }
    const v = r.last_visit;
    if (v) {
      h += `<p class="small"><strong>上次来访 <span class="en">Last visit</span></strong> ${esc(when(v.at))} · ${esc(v.business)} · ${esc(v.outcome.zh)}</p>`;
      if (v.missing.length) h += `<p class="recognise-missing">上次缺少资料 <span class="en">Missing last time</span>：${v.missing.map(esc).join("、")}</p>`;
    }
    out.innerHTML = h;
    const use = $("use-green");
    if (use) use.addEventListener("click", () => {
      $("green").checked = true;
      const reason = $("green-reason");
      if (reason && !reason.value) {
        const seg = c.segments.map((s) => s.segment.code);
        const pick = seg.includes("disabled") ? 1 : 0;
        const opts = [...reason.options].filter((o) => o.value);
        if (opts[pick]) reason.value = opts[pick].value;
      }
      SH.toast("已勾选绿色通道 · green channel ticked");
    });
  };
  pf.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const q = $("recognise-q").value.replace(/[\s-]/g, "");
    const body = /^1\d{10}$/.test(q) ? { phone: q } : { account: q };
    try {
      render(await SH.api("POST", `/api/v1/halls/${encodeURIComponent(data.hall)}/customers/recognise`, body));
    } catch (e) {
      out.innerHTML = `<p class="error-box" role="alert">${esc(e.message)}</p>`;
    }
  });
})();
