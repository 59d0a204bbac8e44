// Lobby display: live calls from the hall's event stream, spoken twice in Mandarin after a
// chime; the text stays on screen when no voice is available. Reconnects by itself and shows
// a banner within 5 s of losing the stream.
"use strict";
(() => {
  const d = SH.data();
  const $ = (id) => document.getElementById(id);
  let recent = d.recent || [];
  const tick = () => {
    const n = new Date();
    const o = { timeZone: d.timezone };
    $("clock").textContent = n.toLocaleDateString("zh-CN", o) + " " + n.toLocaleTimeString("zh-CN", { ...o, hour12: false });
  };
  const paintRecent = () => {
    $("recent").innerHTML = recent.slice(0, 6).map((c) =>
      `<li><span>${SH.esc(c.number)}</span><span>→ ${SH.esc(c.counter_number)}号</span></li>`).join("");
  };
  const call = (p, recall, announce) => {
    $("call-number").textContent = p.number;
    $("call-counter").textContent = `到 ${p.counter_number} 号窗口`;
    $("call-en").textContent = `${p.number} → Counter ${p.counter_number}${recall ? " (recall)" : ""}`;
    const box = $("current");
    box.classList.remove("flash"); void box.offsetWidth; box.classList.add("flash");
    recent = [{ number: p.number, counter_number: p.counter_number }, ...recent.filter((r) => r.number !== p.number)].slice(0, 6);
    paintRecent();
    if (!announce) return;
    SH.chime();
    setTimeout(() => SH.speak(`请${p.number.split("").join(" ")}号到${p.counter_number}号窗口办理`, 2), 700);
  };
  const load = async () => {
    try {
      const q = await SH.api("GET", `/api/v1/halls/${encodeURIComponent(d.hall)}/queue`);
      $("waits").innerHTML = "<tr><th>业务 Business</th><th>等候 Waiting</th><th>预计 Est. wait</th></tr>" + q.types.filter((t) => t.waiting > 0 || t.open_counters > 0).map((t) =>
        `<tr><td>${SH.esc(t.name_zh)}</td><td class="n">${t.waiting}</td><td class="n">${t.estimated_wait_s === null ? "暂停" : t.estimated_wait_s === 0 ? "无需等候" : SH.minutes(t.estimated_wait_s)}</td></tr>`).join("");
      $("counters").innerHTML = q.counters.map((c) => {
        const clerk = c.clerk && c.status !== "closed"
          ? `${SH.avatar(c.clerk.name, c.clerk.photo, 48)}<div><div>${SH.esc(c.clerk.name)}</div><div style="color:#9cc">工号 ${SH.esc(c.clerk.badge_no)}</div></div>`
          : `<div style="color:#9cc">暂停服务<br>Closed</div>`;
        const status = c.status === "paused" ? `<div class="pill paused">暂停 ${SH.esc(c.pause_reason)}</div>` : "";
        return `<div class="counter-card ${c.status}"><div class="num">${c.number}</div>${clerk}${status}</div>`;
      }).join("");
    } catch (e) { /* the banner tells when the stream is down */ }
  };
  let pending = null;
  const reload = () => { clearTimeout(pending); pending = setTimeout(load, 300); };
  tick(); setInterval(tick, 1000);
  paintRecent();
  if (recent.length) { $("call-number").textContent = recent[0].number; $("call-counter").textContent = `到 ${recent[0].counter_number} 号窗口`; }
  load(); setInterval(load, 30000);
  SH.stream(`/api/v1/halls/${encodeURIComponent(d.hall)}/events`, (kind, e) => {
    // Calls replayed after a reconnect update the screen but are not announced again.
    if (kind === "called" || kind === "recalled") call(e.payload, kind === "recalled", Date.now() - e.at < 30000);
    if (kind !== "rated") reload();
  }, (ok) => $("offline").classList.toggle("show", !ok));
})();
