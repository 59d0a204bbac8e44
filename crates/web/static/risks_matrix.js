// 风险矩阵 · the matrix screen: keeps each band's "to" score and the preview heat map in step
// with the form while it is edited, checks the colour's legibility as the server will, and
// saves through the API. The server checks everything again and answers in words.
"use strict";
(() => {
  const d = SH.data();
  const $ = (id) => document.getElementById(id);
  const form = $("matrix-form");
  const rows = document.querySelector(".matrix-bands tbody");
  const max = d.size * d.size;
  const DEFAULT = [
    ["low", "低", "Low", 1, "#d7ecd9", 365],
    ["medium", "中", "Medium", 5, "#fff1b8", 180],
    ["high", "高", "High", 10, "#ffd3a8", 90],
    ["extreme", "极高", "Extreme", 17, "#f6a8a8", 30],
  ];
  // WCAG contrast against the heat map's text (#1a1a1a), as the server computes it.
  const lum = (hex) => {
    const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4)));
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const contrast = (hex) => {
    if (!/^#[0-9a-fA-F]{6}$/.test(hex)) return 0;
    const a = lum(hex), b = lum("#1a1a1a");
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  };
  const bands = () => [...rows.querySelectorAll("tr.band")].map((tr) => ({
    tr,
    key: tr.querySelector("[name=key]").value.trim(),
    name_zh: tr.querySelector("[name=name_zh]").value.trim(),
    name_en: tr.querySelector("[name=name_en]").value.trim(),
    min_score: Number(tr.querySelector("[name=min_score]").value),
    colour: tr.querySelector("[name=colour]").value.trim().toLowerCase(),
    review_days: Number(tr.querySelector("[name=review_days]").value),
  }));
  const sync = () => {
    const bs = bands();
    bs.forEach((b, i) => {
      const next = bs[i + 1];
      b.tr.querySelector(".to").textContent = next ? next.min_score - 1 : max;
      const c = contrast(b.colour);
      const el = b.tr.querySelector(".contrast");
      el.textContent = c ? `对比度 ${c.toFixed(1)}` : "颜色无效 invalid";
      el.classList.toggle("bad", c < 4.5);
      if (/^#[0-9a-f]{6}$/.test(b.colour)) b.tr.querySelector("[name=colour_pick]").value = b.colour;
    });
    document.querySelectorAll("#matrix-preview td[data-score]").forEach((td) => {
      const s = Number(td.dataset.score);
      const b = [...bs].reverse().find((x) => x.min_score <= s) || bs[0];
      if (!b) return;
      td.style.background = b.colour;
      td.querySelector(".heat-band").textContent = b.name_zh;
    });
  };
  const wire = (tr) => {
    tr.querySelectorAll("input").forEach((i) => i.addEventListener("input", sync));
    tr.querySelector("[name=colour_pick]").addEventListener("input", (e) => {
      tr.querySelector("[name=colour]").value = e.target.value;
      sync();
    });
    const rm = tr.querySelector(".b-remove");
    if (rm) rm.addEventListener("click", () => { tr.remove(); sync(); });
  };
  const row = (b) => {
    const tr = rows.querySelector("tr.band").cloneNode(true);
    const set = (n, v) => { tr.querySelector(`[name=${n}]`).value = v; };
    set("key", b[0]); set("name_zh", b[1]); set("name_en", b[2]); set("min_score", b[3]);
    set("colour", b[4]); set("colour_pick", b[4]); set("review_days", b[5]);
    rows.appendChild(tr);
    wire(tr);
    return tr;
  };
  rows.querySelectorAll("tr.band").forEach(wire);
  sync();
  if (!$("b-add")) return;
  $("b-add").addEventListener("click", () => {
    const bs = bands();
    const last = bs[bs.length - 1];
    const start = Math.min(max, (last ? last.min_score : 0) + 1);
    row([`band${bs.length + 1}`, "", "", start, "#eeeeee", 90]).querySelector("[name=name_zh]").focus();
    sync();
  });
  $("b-default").addEventListener("click", () => {
    const tpl = rows.querySelector("tr.band");
    [...rows.querySelectorAll("tr.band")].forEach((tr) => { if (tr !== tpl) tr.remove(); });
    DEFAULT.forEach((b) => row(b));
    tpl.remove();
    sync();
  });
  const error = $("matrix-error");
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    error.hidden = true;
    const body = { bands: bands().map(({ tr, ...b }) => b) };
    try {
      await SH.api("PUT", d.api, body);
      SH.toast("风险矩阵已保存，登记册和热力图已按新矩阵显示 · matrix saved; the register and heat maps use it now");
      setTimeout(() => location.reload(), 700);
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
    }
  });
})();
