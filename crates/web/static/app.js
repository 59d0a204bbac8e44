// ServiceHall — shared helpers for every screen: API calls with CSRF, live streams with a
// heartbeat watchdog, toasts, formatting, Mandarin speech.
"use strict";
const SH = {
  csrf: (document.querySelector('meta[name="csrf-token"]') || {}).content || "",
  data() {
    const el = document.getElementById("page-data");
    const d = el ? JSON.parse(el.textContent) : {};
    if (d.timezone) SH.tz = d.timezone;
    return d;
  },
  async api(method, url, body) {
    const opts = { method, headers: { "X-CSRF-Token": SH.csrf }, credentials: "same-origin" };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    const res = await fetch(url, opts);
    if (res.status === 204) return null;
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (_) { /* not JSON */ }
    if (!res.ok) throw new Error((json && json.detail) || text || res.statusText);
    return json;
  },
  toast(msg, error) {
    const t = document.getElementById("toast");
    if (!t) return;
    t.textContent = msg;
    t.className = "show" + (error ? " error" : "");
    clearTimeout(SH._toastTimer);
    SH._toastTimer = setTimeout(() => (t.className = ""), error ? 6000 : 3000);
  },
  // Follows an SSE stream. Calls onEvent(kind, data) for every event, onState(true|false)
  // when the stream is (re)connected or lost. A stream silent for `silentMs` counts as lost.
  stream(url, onEvent, onState, silentMs = 5000) {
    let es = null, last = 0, lastId = null, alive = false;
    const kinds = ["issued", "called", "recalled", "started", "held", "resumed", "finished", "no_show", "transferred", "left", "on_way", "rated", "counter", "incident", "ping"];
    const setAlive = (v) => { if (v !== alive) { alive = v; onState && onState(v); } };
    const open = () => {
      if (es) es.close();
      const u = lastId ? url + (url.includes("?") ? "&" : "?") + "last_event_id=" + lastId : url;
      es = new EventSource(u);
      es.onopen = () => { last = Date.now(); setAlive(true); };
      es.onerror = () => setAlive(false);
      kinds.forEach((k) => es.addEventListener(k, (ev) => {
        last = Date.now();
        setAlive(true);
        if (ev.lastEventId) lastId = ev.lastEventId;
        if (k !== "ping") onEvent(k, JSON.parse(ev.data));
      }));
    };
    open();
    setInterval(() => {
      if (Date.now() - last > silentMs) { setAlive(false); open(); last = Date.now(); }
    }, 1000);
  },
  fmtDur(s) {
    if (s === null || s === undefined) return "—";
    s = Math.max(0, Math.round(s));
    const m = Math.floor(s / 60), r = s % 60;
    return m + ":" + String(r).padStart(2, "0");
  },
  minutes(s) { return s === null || s === undefined ? "—" : Math.ceil(s / 60) + " 分钟"; },
  // Hall-local HH:MM (the hall's time zone comes with the page; the browser's is a fallback).
  tz: undefined,
  hhmm(ms) {
    return new Date(ms).toLocaleTimeString("zh-CN", { timeZone: SH.tz, hour: "2-digit", minute: "2-digit", hour12: false });
  },
  // A moment as people read it: 17:30 today, 12月5日 17:30 on another day (hall-local).
  when(ms) {
    const day = (t) => new Date(t).toLocaleDateString("zh-CN", { timeZone: SH.tz });
    if (day(ms) === day(Date.now())) return SH.hhmm(ms);
    const p = {};
    new Intl.DateTimeFormat("zh-CN", { timeZone: SH.tz, month: "numeric", day: "numeric" })
      .formatToParts(new Date(ms)).forEach((x) => { p[x.type] = x.value; });
    return `${p.month}月${p.day}日 ${SH.hhmm(ms)}`;
  },
  yuan(fen) { return (fen / 100).toFixed(2); },
  // Speaks Mandarin when the browser has a voice; returns false when it cannot.
  speak(text, times = 2) {
    if (!("speechSynthesis" in window)) return false;
    const voices = speechSynthesis.getVoices();
    const zh = voices.find((v) => /zh/i.test(v.lang));
    for (let i = 0; i < times; i++) {
      const u = new SpeechSynthesisUtterance(text);
      u.lang = "zh-CN";
      u.rate = 0.9;
      if (zh) u.voice = zh;
      speechSynthesis.speak(u);
    }
    return voices.length > 0;
  },
  // A short two-tone chime before a call.
  chime() {
    try {
      const ctx = new (window.AudioContext || window.webkitAudioContext)();
      [[880, 0], [660, 0.35]].forEach(([f, t]) => {
        const o = ctx.createOscillator(), g = ctx.createGain();
        o.frequency.value = f;
        o.connect(g); g.connect(ctx.destination);
        g.gain.setValueAtTime(0.25, ctx.currentTime + t);
        g.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + t + 0.3);
        o.start(ctx.currentTime + t); o.stop(ctx.currentTime + t + 0.32);
      });
    } catch (_) { /* no audio: the text stays on screen */ }
  },
  esc(s) {
    return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  },
  // An avatar: the photo when there is one, else the first character of the name.
  avatar(name, photo, size) {
    if (photo) return `<img class="avatar" src="${SH.esc(photo)}" width="${size}" height="${size}" alt="">`;
    const ch = SH.esc((name || "?").slice(0, 1));
    return `<svg class="avatar" width="${size}" height="${size}" viewBox="0 0 40 40" aria-hidden="true"><circle cx="20" cy="20" r="20" fill="#00706b"/><text x="20" y="27" font-size="20" text-anchor="middle" fill="#fff">${ch}</text></svg>`;
  },
};

// Behaviours the markup declares, so no page carries inline script (the CSP allows only
// scripts served from /static): data-autosubmit, data-go, data-load-into, data-print,
// data-print-on-load, and the two forms that show a figure as it is typed.
document.addEventListener("change", (ev) => {
  const el = ev.target;
  if (el.matches("[data-autosubmit]") && el.form) el.form.submit();
  if (el.dataset.go) location.href = el.dataset.go + encodeURIComponent(el.value);
  if (el.dataset.loadInto && el.files && el.files[0]) {
    el.files[0].text().then((t) => { document.getElementById(el.dataset.loadInto).value = t; });
  }
});
document.addEventListener("click", (ev) => {
  if (ev.target.closest("[data-print]")) window.print();
});
(() => {
  const auto = document.querySelector("[data-print-on-load]");
  if (auto) addEventListener("load", () => setTimeout(() => window.print(), Number(auto.dataset.printOnLoad) || 0));
  // The weights' sum as typed, so the 100% rule is visible before saving (the server checks it).
  const weights = document.querySelectorAll("#weights input.weight");
  const sumOut = document.getElementById("weight-sum");
  if (weights.length && sumOut) {
    const sum = () => {
      let s = 0;
      weights.forEach((i) => { s += parseInt(i.value || "0", 10) || 0; });
      sumOut.textContent = s + "%";
      sumOut.classList.toggle("bad", s !== 100);
    };
    weights.forEach((i) => i.addEventListener("input", sum));
  }
  // Calendar periods take one date; a custom range takes two. Show only what applies.
  const kind = document.getElementById("period-kind");
  if (kind) {
    const show = () => {
      const custom = kind.value === "custom";
      document.querySelectorAll(".custom-only").forEach((e) => { e.hidden = !custom; e.querySelector("input").disabled = !custom; });
      document.querySelectorAll(".cal-only").forEach((e) => { e.hidden = custom; e.querySelector("input").disabled = custom; });
    };
    kind.addEventListener("change", show);
    show();
  }
})();
// The top bar's menus: one open at a time; a click elsewhere or Escape closes it.
(() => {
  const menus = () => document.querySelectorAll(".topbar details.menu[open]");
  document.addEventListener("click", (ev) => {
    menus().forEach((m) => { if (!m.contains(ev.target)) m.open = false; });
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") menus().forEach((m) => { m.open = false; });
  });
})();
