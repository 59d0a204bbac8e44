// The active incidents' announcements on the screens of the hall: the lobby display (large,
// spoken), the kiosk (a notice instead of the tiles, or only some businesses) and the public
// hall page (a banner). Follows GET /api/v1/public/halls/{hall}/announcements as a long poll:
// the server answers as soon as an incident is declared or closed, so the change shows within
// the round trip. The screen is named by this script tag's data-screen.
"use strict";
(() => {
  const me = document.currentScript;
  const screen = (me && me.dataset.screen) || "public";
  const d = SH.data();
  if (!d.hall) return;
  const url = `/api/v1/public/halls/${encodeURIComponent(d.hall)}/announcements`;
  const el = (tag, cls) => { const e = document.createElement(tag); e.className = cls; e.hidden = true; return e; };
  let list = [], rotate = 0, shownIds = new Set();
  const firstLoad = Date.now();

  // The display: a full-screen notice for incidents that stop service (the kiosk shows a
  // notice too), a band over the lower half otherwise, so calls stay visible above it.
  const overlay = el("section", "inc-overlay");
  overlay.id = "inc-overlay";
  overlay.setAttribute("role", "alert");
  // The kiosk's notice replaces the tiles; other modes show a banner above them.
  const notice = el("section", "kiosk-notice");
  notice.id = "kiosk-notice";
  notice.setAttribute("role", "alert");
  const banner = el("div", "inc-banner");
  banner.id = "inc-banner";
  banner.setAttribute("role", "alert");

  const paintDisplay = () => {
    if (!list.length) { overlay.hidden = true; return; }
    const a = list[rotate % list.length];
    overlay.classList.toggle("band", a.kiosk !== "notice");
    overlay.dataset.incident = String(a.incident_id);
    overlay.innerHTML = `<div class="inc-o-kind">${SH.esc(a.name_zh)} · ${SH.esc(a.name_en)}</div>
      <div class="inc-o-zh">${SH.esc(a.text_zh)}</div><div class="inc-o-en">${SH.esc(a.text_en)}</div>
      <div class="inc-o-foot">请听从工作人员引导 · Please follow the staff's directions</div>`;
    overlay.hidden = false;
  };
  const paintKiosk = () => {
    const stop = list.find((a) => a.kiosk === "notice");
    const reduced = list.find((a) => a.kiosk === "reduced");
    const tiles = document.getElementById("tiles");
    if (stop && !d.guide) {
      notice.innerHTML = `<div class="inc-o-kind">${SH.esc(stop.name_zh)} · ${SH.esc(stop.name_en)}</div>
        <div class="inc-o-zh">${SH.esc(stop.text_zh)}</div><div class="inc-o-en">${SH.esc(stop.text_en)}</div>
        <div class="inc-o-en">暂停自助取号，请到引导台咨询 · Self-service tickets are paused; please ask at the guide desk</div>`;
      notice.hidden = false;
    } else {
      notice.hidden = true;
    }
    // Only the businesses the playbook keeps; the rest hidden until the incident closes.
    if (tiles) tiles.querySelectorAll(".tile").forEach((t) => {
      t.style.display = reduced && !reduced.kiosk_businesses.includes(t.dataset.code) ? "none" : "";
    });
    paintBanner(list.filter((a) => a !== stop || d.guide));
  };
  const paintBanner = (items) => {
    banner.innerHTML = items.map((a) => `<b>${SH.esc(a.name_zh)} · ${SH.esc(a.name_en)}</b><p>${SH.esc(a.text_zh)}</p><span class="en">${SH.esc(a.text_en)}</span>`).join("<hr>");
    banner.hidden = items.length === 0;
  };
  const paint = () => {
    if (screen === "display") paintDisplay();
    else if (screen === "kiosk") paintKiosk();
    else paintBanner(list);
  };
  // New announcements are spoken on the display (twice, after the chime), not ones already
  // running for a while when the screen was opened.
  const speakNew = () => {
    if (screen !== "display") return;
    for (const a of list) {
      if (shownIds.has(a.incident_id)) continue;
      shownIds.add(a.incident_id);
      const fresh = Date.now() - firstLoad > 2000 || Date.now() - a.since < 60000;
      if (fresh) { SH.chime(); setTimeout(() => SH.speak(a.text_zh, 2), 700); }
    }
    shownIds = new Set(list.map((a) => a.incident_id).filter((id) => shownIds.has(id)));
  };
  const poll = async (known) => {
    try {
      const r = await SH.api("GET", known === null ? url : `${url}?known=${encodeURIComponent(known)}`);
      list = r.announcements;
      speakNew();
      paint();
      poll(r.known);
    } catch (_) {
      // Offline or restarting: ask again shortly, from scratch.
      setTimeout(() => poll(null), 3000);
    }
  };
  addEventListener("DOMContentLoaded", () => {
    if (screen === "display") document.body.appendChild(overlay);
    if (screen === "kiosk") {
      document.body.appendChild(notice);
      const head = document.querySelector(".kiosk-head");
      const desk = document.querySelector(".console");
      if (head) { banner.classList.add("kiosk"); head.after(banner); } else if (desk) desk.parentElement.insertBefore(banner, desk);
      const tiles = document.getElementById("tiles");
      // The kiosk redraws its tiles from the queue: keep the reduced set applied.
      if (tiles) new MutationObserver(() => paintKiosk()).observe(tiles, { childList: true });
    }
    if (screen === "public") {
      const main = document.querySelector("main") || document.body;
      main.insertBefore(banner, main.firstChild);
    }
    if (screen === "display") setInterval(() => { if (list.length > 1) { rotate++; paintDisplay(); } }, 12000);
    poll(null);
  });
})();
