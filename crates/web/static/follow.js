// The customer's phone page: follows one ticket by its slip code, refreshing every 3 s.
"use strict";
(() => {
  const d = SH.data();
  const $ = (id) => document.getElementById(id);
  let lastState = null;
  const paint = (s) => {
    $("f-hall").textContent = s.hall;
    $("f-number").textContent = s.number;
    $("f-type").textContent = s.business_type + " · " + s.business_type_en;
    let html;
    if (s.state === "waiting") {
      const est = s.estimated_wait_s === null ? "暂无窗口服务 No counter open yet"
        : s.estimated_wait_s === 0 ? "即将叫号，请留意大厅显示屏 · You are next — watch the lobby display"
        : "预计等候约 " + SH.minutes(s.estimated_wait_s) + " · about " + Math.ceil(s.estimated_wait_s / 60) + " min";
      html = `前面还有 <strong style="font-size:2em">${s.waiting_ahead}</strong> 人<br><span class="en">ahead of you</span><br>${est}`;
    } else if (s.state === "called") {
      html = `<div class="callout" id="f-callout">请到${s.counter_number}号窗口<br><span style="font-size:.7em">Please go to counter ${s.counter_number}</span></div>`;
      if (lastState !== "called" && navigator.vibrate) navigator.vibrate([300, 100, 300]);
    } else if (s.state === "serving" || s.state === "held") {
      html = `正在${s.counter_number}号窗口办理 · Being served at counter ${s.counter_number}`;
    } else if (s.state === "finished") {
      html = "业务已办结，感谢光临！<br><span class='en'>Done — thank you for visiting.</span>" +
        `<p><a class="btn" id="f-rate" href="/t/${encodeURIComponent(d.code)}/rate">评价本次服务 Rate this visit</a></p>` +
        `<p id="f-survey-slot"></p>`;
    } else if (s.state === "no_show") {
      html = "已过号，请重新取号或咨询引导员。<br><span class='en'>Your number was missed; please take a new ticket or ask the guide.</span>";
    } else {
      html = SH.esc(s.state_zh);
    }
    $("f-status").innerHTML = html;
    if (s.state === "finished") showSurvey();
    $("f-updated").textContent = SH.hhmm(Date.now());
    lastState = s.state;
  };
  // Once finished, the survey attached to the business type (if any) is offered too.
  let survey;
  const showSurvey = async () => {
    if (survey === undefined) {
      try {
        survey = (await SH.api("GET", `/api/v1/public/tickets/${encodeURIComponent(d.code)}/rating`)).survey_path || null;
      } catch (_) { return; }
    }
    const slot = $("f-survey-slot");
    if (slot && survey) slot.innerHTML = `<a class="btn secondary" id="f-survey" href="${SH.esc(survey)}">参加问卷调查 Take the short survey</a>`;
  };
  paint(d.status);
  setInterval(async () => {
    try { paint(await SH.api("GET", `/api/v1/public/tickets/${encodeURIComponent(d.code)}`)); } catch (_) { /* keep last */ }
  }, 3000);
})();
