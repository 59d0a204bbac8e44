// The public hall page: large-text mode (remembered on this device) and the live queue,
// refreshed from the public status API (no sign-in, no customer data).
"use strict";
(() => {
  const KEY = "sh-large-text";
  const btn = document.getElementById("large-text");
  const apply = (on) => {
    document.body.classList.toggle("large-text", on);
    if (btn) btn.setAttribute("aria-pressed", on ? "true" : "false");
  };
  apply(localStorage.getItem(KEY) === "1");
  if (btn) btn.addEventListener("click", () => {
    const on = !document.body.classList.contains("large-text");
    localStorage.setItem(KEY, on ? "1" : "0");
    apply(on);
  });
  const d = SH.data();
  if (!d.hall) return;
  const refresh = async () => {
    try {
      const st = await SH.api("GET", `/api/v1/public/halls/${encodeURIComponent(d.hall)}/status`);
      const rows = st.types.map((t) => `<tr><td>${SH.esc(t.name_zh)} <span class="en">${SH.esc(t.name_en)}</span></td><td>${t.waiting}</td><td>${t.estimated_wait_s === null ? "暂无窗口 No counter open" : t.estimated_wait_s === 0 ? "无需等候 No wait" : Math.ceil(t.estimated_wait_s / 60) + " 分钟 min"}</td></tr>`);
      document.querySelector("#queue-table tbody").innerHTML = rows.join("");
      const cards = st.counters.filter((c) => c.clerk_name).map((c) => `<li class="staff-card">${c.clerk_photo ? `<img class="avatar" src="${SH.esc(c.clerk_photo)}" width="56" height="56" alt="${SH.esc(c.clerk_name)}">` : `<span class="avatar initial" aria-hidden="true">${SH.esc(c.clerk_name.slice(0, 1))}</span>`}<div><strong>${SH.esc(c.clerk_name)}</strong><br>工号 <span class="en">Badge</span> ${SH.esc(c.clerk_badge)}<br>${c.number} 号窗口 <span class="en">Counter ${c.number}</span> · <span class="pill ${SH.esc(c.status)}">${SH.esc(c.status_zh)}</span></div></li>`);
      document.getElementById("staff-cards").innerHTML = cards.join("");
      document.getElementById("staff-empty").hidden = cards.length > 0;
      document.getElementById("queue-updated").textContent = "更新于 Updated " + new Date().toLocaleTimeString("zh-CN", { hour12: false });
    } catch (_) { /* keep what is shown; try again later */ }
  };
  setInterval(refresh, 30000);
})();
