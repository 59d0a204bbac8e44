// The customer's phone page: follows one ticket by its slip code, refreshing every 3 s.
// The customer can leave the queue (with a confirmation) or say they are on their way; the
// page warns — prominently, with a vibration and a notification if allowed — once the hall's
// threshold of tickets ahead is reached. All by the slip's code, never by ticket id.
"use strict";
(() => {
  const d = SH.data();
  const $ = (id) => document.getElementById(id);
  const url = `/api/v1/public/tickets/${encodeURIComponent(d.code)}`;
  let lastState = null, wasNear = false;
  // A notification when the customer allowed them; phones that only notify through a
  // service worker throw here, and the on-page notice and vibration still happen.
  const notify = (text) => {
    if (navigator.vibrate) navigator.vibrate([300, 100, 300]);
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    try { new Notification(text, { tag: "servicehall-" + d.code }); } catch (_) { /* page notice only */ }
  };
  const paintNear = (s) => {
    const near = s.state === "waiting" && s.turn_near;
    const box = $("f-near");
    box.hidden = !near;
    if (near) {
      box.innerHTML = `快到您了！前面还有 <strong>${s.waiting_ahead}</strong> 人，请回到大厅留意叫号。` +
        `<br><span class="en">Almost your turn — ${s.waiting_ahead} ahead. Please be in the hall and watch the display.</span>`;
      if (!wasNear) notify(`${s.number} 快到您了 · Almost your turn (${s.waiting_ahead} ahead)`);
    }
    wasNear = near;
  };
  const paintSteps = (s) => {
    const open = s.state === "waiting" || s.state === "called";
    $("f-steps").hidden = !open;
    $("f-leave").hidden = s.state !== "waiting";
    $("f-on-way").hidden = !open || s.on_way_at !== null;
    $("f-on-way-done").hidden = s.on_way_at === null;
    if (s.on_way_at !== null) {
      $("f-on-way-done").innerHTML = `已告知工作人员您在路上（${SH.hhmm(s.on_way_at)}） <span class="en">Staff know you are on your way</span>`;
    }
    $("f-alerts").hidden = !open || !("Notification" in window) || Notification.permission !== "default";
    if (s.state !== "waiting") $("f-confirm").hidden = true;
  };
  const paint = (s) => {
    $("f-hall").textContent = s.hall;
    $("f-number").textContent = s.number;
    $("f-type").textContent = s.business_type + " · " + s.business_type_en;
    let html;
    if (s.state === "waiting") {
      const est = s.estimated_wait_s === null ? "暂无窗口服务 No counter open yet"
        : s.estimated_wait_s === 0 ? "即将叫号，请留意大厅显示屏 · You are next — watch the lobby display"
        : "预计等候约 " + SH.minutes(s.estimated_wait_s) + " · about " + Math.ceil(s.estimated_wait_s / 60) + " min";
      html = `前面还有 <strong style="font-size:2em" id="f-ahead">${s.waiting_ahead}</strong> 人<br><span class="en">ahead of you</span><br>${est}`;
    } else if (s.state === "called") {
      html = `<div class="callout" id="f-callout">请到${s.counter_number}号窗口<br><span style="font-size:.7em">Please go to counter ${s.counter_number}</span></div>`;
      if (lastState !== "called") notify(`请到${s.counter_number}号窗口 · Please go to counter ${s.counter_number}`);
    } else if (s.state === "serving" || s.state === "held") {
      html = `正在${s.counter_number}号窗口办理 · Being served at counter ${s.counter_number}`;
    } else if (s.state === "finished") {
      html = "业务已办结，感谢光临！<br><span class='en'>Done — thank you for visiting.</span>" +
        `<p id="f-rate-slot"></p><p id="f-survey-slot"></p>`;
    } else if (s.state === "no_show") {
      html = "已过号，请重新取号或咨询引导员。<br><span class='en'>Your number was missed; please take a new ticket or ask the guide.</span>";
    } else if (s.state === "left") {
      html = "<span id='f-left'>您已取消排队，此号不再叫号。</span><br><span class='en'>You left the queue; this number will not be called.</span>" +
        "<p class='muted follow-after'>如需办理请重新取号 · Take a new ticket if you still need service.</p>";
    } else {
      html = SH.esc(s.state_zh) + " · " + SH.esc(s.state_en);
    }
    $("f-status").innerHTML = html;
    paintNear(s);
    paintSteps(s);
    if (s.state === "finished") showRating();
    $("f-updated").textContent = SH.hhmm(Date.now());
    lastState = s.state;
  };
  // Once finished: rate the visit, unless it is rated already (on the pad or this phone),
  // and the survey attached to the business type, if any.
  let rating;
  const showRating = async () => {
    // Asked again while still open: the pad may rate the visit meanwhile.
    if (rating === undefined || rating.state === "open") {
      try { rating = await SH.api("GET", url + "/rating"); } catch (_) { return; }
    }
    const slot = $("f-rate-slot");
    if (!slot) return;
    slot.innerHTML = rating.state === "rated"
      ? `<span class="pill" id="f-rated">已评价 · Rated</span> <span class="muted">感谢您的评价 Thank you for your feedback</span>`
      : rating.state === "open"
        ? `<a class="btn" id="f-rate" href="/t/${encodeURIComponent(d.code)}/rate">评价本次服务 Rate this visit</a>`
        : "";
    if (rating.survey_path) $("f-survey-slot").innerHTML = `<a class="btn secondary" id="f-survey" href="${SH.esc(rating.survey_path)}">参加问卷调查 Take the short survey</a>`;
  };
  const act = async (step) => {
    $("f-error").hidden = true;
    try {
      paint(await SH.api("POST", `${url}/${step}`));
    } catch (e) {
      $("f-error").textContent = e.message;
      $("f-error").hidden = false;
    }
  };
  $("f-on-way").addEventListener("click", () => act("on-way"));
  $("f-leave").addEventListener("click", () => { $("f-confirm").hidden = false; $("f-leave-yes").focus(); });
  $("f-leave-no").addEventListener("click", () => { $("f-confirm").hidden = true; });
  $("f-leave-yes").addEventListener("click", () => { $("f-confirm").hidden = true; act("leave"); });
  $("f-alerts").addEventListener("click", async () => {
    try { await Notification.requestPermission(); } catch (_) { /* unsupported */ }
    $("f-alerts").hidden = Notification.permission !== "default";
  });
  paint(d.status);
  setInterval(async () => {
    try { paint(await SH.api("GET", url)); } catch (_) { /* keep last */ }
  }, 3000);
})();
