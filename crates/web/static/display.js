// Lobby display: live calls from the hall's event stream, spoken twice in Mandarin after a
// chime; the text stays on screen when no voice is available. Calls made within seconds of
// each other are all shown at once (the last three large, recalls marked 重呼) and come to the
// big box and the voice in turn, each held at least 5 s. Reconnects by itself and shows a
// banner within 5 s of losing the stream.
"use strict";
(() => {
  const d = SH.data();
  const $ = (id) => document.getElementById(id);
  let recent = d.recent || [];
  // Each call stays in the big box at least this long before the next one waiting.
  const HOLD_MS = 5000;
  const queue = [];
  let holding = false;
  const tick = () => {
    const n = new Date();
    const o = { timeZone: d.timezone };
    $("clock").textContent = n.toLocaleDateString("zh-CN", o) + " " + n.toLocaleTimeString("zh-CN", { ...o, hour12: false });
  };
  const mark = (c) => c.recall ? ' <span class="recall">重呼 Recall</span>' : "";
  const paintRecent = () => {
    // The last three calls large, the ones before them in the side list.
    $("latest").innerHTML = recent.slice(0, 3).map((c) =>
      `<li><b>${SH.esc(c.number)}</b> → ${SH.esc(c.counter_number)}号${mark(c)}</li>`).join("");
    $("recent").innerHTML = recent.slice(3, 9).map((c) =>
      `<li><span>${SH.esc(c.number)}${c.recall ? " 重呼 Recall" : ""}</span><span>→ ${SH.esc(c.counter_number)}号</span></li>`).join("");
  };
  const show = (c) => {
    $("call-en-idle").hidden = true;
    $("call-number").textContent = c.number;
    $("call-counter").innerHTML = `到 ${SH.esc(c.counter_number)} 号窗口${mark(c)}`;
    $("call-en").textContent = `${c.number} → Counter ${c.counter_number}${c.recall ? " (recall)" : ""}`;
  };
  // The next waiting call to the big box, flashed and spoken; held HOLD_MS.
  const next = () => {
    const c = queue.shift();
    if (!c) { holding = false; return; }
    holding = true;
    show(c);
    const box = $("current");
    // When this call reached the big box, in page time: lets a test see the hold exactly.
    box.dataset.shownAt = String(Math.round(performance.now()));
    box.classList.remove("flash"); void box.offsetWidth; box.classList.add("flash");
    SH.chime();
    const say = `${c.recall ? "重呼，" : ""}请${c.number.split("").join(" ")}号到${c.counter_number}号窗口办理`;
    setTimeout(() => SH.speak(say, 2), 700);
    setTimeout(next, HOLD_MS);
  };
  const call = (p, recall, announce) => {
    const c = { number: p.number, counter_number: p.counter_number, recall };
    recent = [c, ...recent.filter((r) => r.number !== p.number)].slice(0, 9);
    paintRecent();
    // A call replayed after a reconnect is shown, not announced or queued.
    if (!announce) { if (!holding) show(c); return; }
    queue.push(c);
    if (!holding) next();
  };
  // Every label in both languages, one word per state: a closed counter is 未开放 · Closed,
  // a paused one 暂停服务 · Paused, a type no open counter serves 暂无窗口 · No counter.
  const estimate = (s) => s === null ? "暂无窗口 · No counter"
    : s === 0 ? "无需等候 · No wait" : `约 ${Math.ceil(s / 60)} 分钟 · ~${Math.ceil(s / 60)} min`;
  const load = async () => {
    try {
      const q = await SH.api("GET", `/api/v1/halls/${encodeURIComponent(d.hall)}/queue`);
      const types = Object.fromEntries(q.types.map((t) => [t.business_type_id, t]));
      $("waits-total").textContent = `· 共 ${q.waiting.length} 人 · ${q.waiting.length} in all`;
      // Each business someone waits for, with its estimate; then every waiting number.
      $("waits-types").innerHTML = q.types.filter((t) => t.waiting > 0).map((t) =>
        `<li>${SH.esc(t.name_zh)} <b>${t.waiting}</b> 人 · ${estimate(t.estimated_wait_s)}</li>`).join("");
      const now = Date.now();
      $("waits").innerHTML = "<tr><th>票号 Number</th><th>业务 Business</th><th>已等 Waited (分钟 min)</th></tr>" + q.waiting.map((w) =>
        `<tr data-number="${SH.esc(w.number)}"><td class="n${w.priority === "green" ? " green" : ""}">${SH.esc(w.number)}</td>` +
        `<td>${SH.esc((types[w.business_type_id] || {}).name_zh || "")}</td><td class="n">${Math.max(0, Math.floor((now - w.queued_since) / 60000))}</td></tr>`).join("") +
        (q.waiting.length ? "" : "<tr><td colspan='3'>无人等候 · No one waiting</td></tr>");
      $("counters").innerHTML = q.counters.map((c) => {
        const clerk = c.clerk && c.status !== "closed"
          ? `${SH.avatar(c.clerk.name, c.clerk.photo, 48)}<div><div>${SH.esc(c.clerk.name)}</div><div style="color:#9cc">工号 Badge ${SH.esc(c.clerk.badge_no)}</div></div>`
          : `<div style="color:#9cc">未开放<br>Closed</div>`;
        const status = c.status === "paused" ? `<div class="pill paused">暂停服务 · Paused${c.pause_reason ? " " + SH.esc(c.pause_reason) : ""}</div>` : "";
        return `<div class="counter-card ${c.status}"><div class="num">${c.number}</div>${clerk}${status}</div>`;
      }).join("");
    } catch (e) { /* the banner tells when the stream is down */ }
  };
  // More rows than fit: scroll slowly down, rest at the bottom, start again from the top.
  const scroller = $("waits-scroll");
  const REST_MS = 3000;
  let restUntil = Date.now() + REST_MS, atEnd = false;
  setInterval(() => {
    if (Date.now() < restUntil || scroller.scrollHeight <= scroller.clientHeight + 1) return;
    if (atEnd) { scroller.scrollTop = 0; atEnd = false; restUntil = Date.now() + REST_MS; return; }
    scroller.scrollTop += 1;
    if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1) { atEnd = true; restUntil = Date.now() + REST_MS; }
  }, 30);
  let pending = null;
  const reload = () => { clearTimeout(pending); pending = setTimeout(load, 300); };
  tick(); setInterval(tick, 1000);
  paintRecent();
  if (recent.length) show(recent[0]);
  load(); setInterval(load, 30000);
  SH.stream(`/api/v1/halls/${encodeURIComponent(d.hall)}/events`, (kind, e) => {
    // Calls replayed after a reconnect update the screen but are not announced again.
    if (kind === "called" || kind === "recalled") call(e.payload, kind === "recalled", Date.now() - e.at < 30000);
    if (kind !== "rated" && kind !== "on_way") reload();
  }, (ok) => $("offline").classList.toggle("show", !ok));
})();
