// 一事一评: the customer's phone rating of a finished visit — overall, each touchpoint,
// reasons when unhappy, optional call-back number. Posts once to the public API.
"use strict";
(() => {
  const d = SH.data();
  const $ = (id) => document.getElementById(id);
  // Drawn faces, as on the pad: no emoji font is needed on the phone.
  const mouth = { 5: "M12 25 Q20 33 28 25", 4: "M13 26 Q20 30 27 26", 3: "M13 27 L27 27", 2: "M13 29 Q20 25 27 29", 1: "M12 30 Q20 22 28 30" };
  const color = { 5: "#2e7d32", 4: "#558b2f", 3: "#8d8d00", 2: "#c77700", 1: "#c62828" };
  const face = (l) => `<svg width="40" height="40" viewBox="0 0 40 40" aria-hidden="true"><circle cx="20" cy="20" r="18" fill="none" stroke="${color[l]}" stroke-width="2.5"/>` +
    `<circle cx="14" cy="16" r="2.2" fill="${color[l]}"/><circle cx="26" cy="16" r="2.2" fill="${color[l]}"/><path d="${mouth[l]}" stroke="${color[l]}" stroke-width="2.5" fill="none" stroke-linecap="round"/></svg>`;
  const tick = `<svg width="64" height="64" viewBox="0 0 40 40" aria-hidden="true"><circle cx="20" cy="20" r="18" fill="#e3f2f1"/><path d="M11 20 L18 27 L29 14" stroke="#00706b" stroke-width="3.5" fill="none" stroke-linecap="round"/></svg>`;
  const labels = { 5: ["非常满意", "Very satisfied"], 4: ["满意", "Satisfied"], 3: ["基本满意", "Neutral"], 2: ["不满意", "Dissatisfied"], 1: ["非常不满意", "Very dissatisfied"] };
  let level = 0;
  const tps = {};

  const closed = (html) => {
    $("r-form").hidden = true;
    $("r-closed").hidden = false;
    $("r-closed").innerHTML = html;
  };
  const st = d.state.state;
  if (st === "rated") return closed("<div class='big'>" + tick + "</div>本次业务已评价，感谢！<br><span class='en'>This visit has been rated. Thank you!</span>");
  if (st === "not_finished") return closed("业务办结后即可评价。<br><span class='en'>You can rate the visit once it is finished.</span><p><a href='/t/" + encodeURIComponent(d.code) + "'>查看排队 Follow my ticket</a></p>");
  if (st === "closed") return closed("评价期已过（办结后 " + d.state.window_hours + " 小时内可评价）。<br><span class='en'>The rating window (" + d.state.window_hours + " h after the visit) has closed.</span>");
  $("r-form").hidden = false;

  const overall = $("r-overall");
  [5, 4, 3, 2, 1].forEach((l) => {
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.level = l;
    b.setAttribute("aria-pressed", "false");
    b.innerHTML = `<span class="f">${face(l)}</span>${labels[l][0]}<br><span class="en">${labels[l][1]}</span>`;
    b.onclick = () => {
      level = l;
      overall.querySelectorAll("button").forEach((x) => x.setAttribute("aria-pressed", String(x === b)));
      $("r-why").hidden = l > 2;
      $("r-contact-hint").innerHTML = l <= 2
        ? `留下电话，我们将在 ${d.callback_days} 个工作日内回访致歉并告知整改 <span class="en">Leave your number and we will call you back within ${d.callback_days} working day(s)</span>`
        : `留下电话，我们将回访您（可选） <span class="en">Leave a number if you want us to call back (optional)</span>`;
      $("r-submit").disabled = false;
    };
    overall.appendChild(b);
  });

  const list = $("r-touchpoints");
  d.touchpoints.forEach((tp) => {
    const row = document.createElement("div");
    row.className = "tp";
    row.innerHTML = `<span>${SH.esc(tp.zh)}<br><span class="en">${SH.esc(tp.en)}</span></span><span class="stars" data-tp="${tp.id}"></span>`;
    const stars = row.querySelector(".stars");
    for (let l = 1; l <= 5; l++) {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = "★";
      b.dataset.level = l;
      b.setAttribute("aria-label", `${tp.zh} ${l}`);
      b.onclick = () => {
        tps[tp.id] = tps[tp.id] === l ? 0 : l; // tapping the same star again clears it
        stars.querySelectorAll("button").forEach((x) => x.classList.toggle("on", Number(x.dataset.level) <= tps[tp.id]));
      };
      stars.appendChild(b);
    }
    list.appendChild(row);
  });

  const reasons = $("r-reasons");
  d.reasons.forEach((r) => {
    const l = document.createElement("label");
    l.innerHTML = `<input type="checkbox" value="${r.code}"><span>${SH.esc(r.zh)}<br><span class="en">${SH.esc(r.en)}</span></span>`;
    reasons.appendChild(l);
  });

  $("r-form").onsubmit = async (ev) => {
    ev.preventDefault();
    $("r-error").hidden = true;
    const body = {
      level,
      touchpoints: Object.entries(tps).filter(([, l]) => l > 0).map(([touchpoint, l]) => ({ touchpoint, level: l })),
      reasons: level <= 2 ? [...reasons.querySelectorAll("input:checked")].map((x) => x.value) : [],
      comment: $("r-comment").value,
      contact_phone: $("r-phone").value,
      contact_name: $("r-name").value,
    };
    if (level <= 2 && body.reasons.length === 0) {
      $("r-error").textContent = "请选择至少一个原因 · Please choose at least one reason.";
      $("r-error").hidden = false;
      return;
    }
    $("r-submit").disabled = true;
    try {
      const r = await SH.api("POST", `/api/v1/public/tickets/${encodeURIComponent(d.code)}/rating`, body);
      closed("<div class='big'>" + tick + "</div>感谢您的评价！<br><span class='en'>Thank you for your feedback.</span>" +
        (r.callback_promised ? `<p>我们将在 ${r.callback_working_days} 个工作日内与您联系。<br><span class='en'>We will call you back within ${r.callback_working_days} working day(s).</span></p>` : "") +
        (r.recovery_case_number ? `<p class="recovery">服务补救单号 <span class="en">Service-recovery case</span><br><strong id="r-case">${SH.esc(r.recovery_case_number)}</strong>` +
          `<br>查询码 <span class="en">Access code</span> <strong id="r-case-code">${SH.esc(r.recovery_access_code || "")}</strong>` +
          `<br><a href="/case?number=${encodeURIComponent(r.recovery_case_number)}">查询处理进度 <span class="en">Follow the case</span></a></p>` : ""));
    } catch (e) {
      $("r-error").textContent = e.message;
      $("r-error").hidden = false;
      $("r-submit").disabled = false;
    }
  };
})();
