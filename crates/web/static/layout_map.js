// 定置图 · layout map: draws the hall's plan as hand-written SVG and runs its two screens.
// Walk mode (/layout-map): tap an item, mark what was found (in place / moved / missing /
// damaged / short), the map colours the findings; submit scores it as an inspection.
// Edit mode (/admin/layout-map): drag or arrow-key zones and items, edit them in the form,
// save a new version. The server checks everything and names what to fix.
"use strict";
(() => {
  const d = SH.data();
  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s == null ? "" : s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  const hallUrl = `/api/v1/halls/${encodeURIComponent(d.hall)}`;
  const ORDER = ["in_place", "moved", "missing", "damaged", "short"];

  // Draws the plan into #lm-map. `state(item)` gives an item's class suffix (finding or "todo").
  function draw(layout, opts) {
    const o = opts || {};
    const r = Math.max(22, Math.round(Math.min(layout.width, layout.height) / 32));
    let svg = `<svg viewBox="0 0 ${layout.width} ${layout.height}" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="定置图 Layout map" style="--r:${r}px">`;
    svg += `<rect class="lm-floor" x="0" y="0" width="${layout.width}" height="${layout.height}"/>`;
    for (const z of layout.zones) {
      const sel = o.selected && o.selected.type === "zone" && o.selected.code === z.code ? " lm-selected" : "";
      svg += `<g class="lm-zone lm-kind-${esc(z.kind)}${sel}" data-zone="${esc(z.code)}"><rect x="${z.x}" y="${z.y}" width="${z.w}" height="${z.h}" rx="8"/>` +
        `<text x="${z.x + 14}" y="${z.y + r + 8}" class="lm-zone-name">${esc(z.name_zh)}</text></g>`;
    }
    for (const it of layout.items) {
      const st = o.state ? o.state(it) : "todo";
      const sel = o.selected && o.selected.type === "item" && o.selected.code === it.code ? " lm-selected" : "";
      const crit = it.critical ? " lm-critical" : "";
      svg += `<g class="lm-item lm-${st}${crit}${sel}" data-item="${esc(it.code)}" tabindex="${o.focusable ? 0 : -1}" role="button" aria-label="${esc(it.name_zh)} ${esc(it.name_en)}">` +
        `<circle cx="${it.x}" cy="${it.y}" r="${r}"/>` +
        `<text x="${it.x}" y="${it.y + r + r * 0.9}" class="lm-item-name" text-anchor="middle">${esc(it.name_zh)}${it.expected > 1 ? " ×" + it.expected : ""}</text>` +
        `<text x="${it.x}" y="${it.y + r * 0.35}" class="lm-mark" text-anchor="middle">${o.mark ? o.mark(it) : ""}</text></g>`;
    }
    svg += "</svg>";
    $("lm-map").innerHTML = svg;
    return $("lm-map").querySelector("svg");
  }

  if (d.mode === "walk") walkMode(); else editMode();

  // ---------------------------------------------------------------- walk
  function walkMode() {
    if (!d.layout) return;
    const L = d.findings; // finding → [zh, en]
    let walk = d.walk || d.last;
    const live = !!d.walk && !d.walk.inspection.submitted_at;
    let open = null;
    const MARK = { in_place: "✓", moved: "↔", missing: "✕", damaged: "!", short: "−" };

    const legend = $("lm-legend");
    legend.innerHTML = ORDER.map((f) => `<li><span class="lm-dot lm-${f}"></span>${esc(L[f][0])} <span class="en">${esc(L[f][1])}</span></li>`).join("") +
      `<li><span class="lm-dot lm-todo"></span>未查 <span class="en">not checked</span></li><li><span class="lm-dot lm-crit-key"></span>关键物品 <span class="en">critical</span></li>`;
    const startBtn = $("lm-start");
    if (startBtn) startBtn.addEventListener("click", async () => {
      startBtn.disabled = true;
      try {
        const w = await SH.api("POST", `${hallUrl}/layout-walks`);
        location.href = `/layout-map?hall=${encodeURIComponent(d.hall)}&walk=${w.inspection.id}`;
      } catch (e) { startBtn.disabled = false; SH.toast(e.message, true); }
    });
    const submitBtn = $("lm-submit");
    if (submitBtn) submitBtn.addEventListener("click", async () => {
      try {
        const done = await SH.api("POST", `/api/v1/inspections/${walk.inspection.id}/submit`);
        rects = done.rectifications || [];
        walk = await SH.api("GET", `/api/v1/layout-walks/${walk.inspection.id}`);
        render();
      } catch (e) { SH.toast(e.message, true); }
    });

    let rects = []; // the rectification cases the submit opened, one per item not in place
    const layout = () => (walk ? walk.layout : d.layout);
    const found = (code) => walk && walk.findings.find((f) => f.item === code);

    function render() {
      const lay = layout();
      const done = walk && walk.inspection.submitted_at;
      const svg = draw(lay, {
        focusable: true,
        selected: open ? { type: "item", code: open } : null,
        state: (it) => { const f = found(it.code); return f ? f.finding : "todo"; },
        mark: (it) => { const f = found(it.code); return f ? MARK[f.finding] : ""; },
      });
      svg.querySelectorAll(".lm-item").forEach((g) => {
        const pick = () => { open = g.dataset.item; render(); };
        g.addEventListener("click", pick);
        g.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pick(); } });
      });
      const n = walk ? walk.findings.length : 0;
      const bad = walk ? walk.findings.filter((f) => f.finding !== "in_place").length : 0;
      $("lm-progress").textContent = walk ? `已查 ${n}/${lay.items.length} · 问题 ${bad} · checked ${n}/${lay.items.length}, ${bad} problems` : "";
      if (walk) {
        const i = walk.inspection;
        $("lm-meta").textContent = `图版本 Plan v${lay.version} · 检查人 Inspector: ${i.inspector_name} · ${new Date(i.started_at).toLocaleString("zh-CN", { timeZone: SH.tz, hour12: false })}` +
          (done ? ` · 得分 Score ${i.score}` : ` · 暂计得分 Provisional ${i.score}`);
      } else {
        $("lm-meta").textContent = "尚无已提交的巡检 · no submitted walk yet";
      }
      if (submitBtn) submitBtn.hidden = !!done;
      list(lay);
      panel();
      result();
    }

    function list(lay) {
      let html = "";
      for (const z of lay.zones) {
        const items = lay.items.filter((it) => it.zone === z.code);
        if (!items.length) continue;
        html += `<h3>${esc(z.name_zh)} <span class="en">${esc(z.name_en)}</span></h3><ul class="lm-rows">`;
        for (const it of items) {
          const f = found(it.code);
          html += `<li><button type="button" class="lm-row lm-${f ? f.finding : "todo"}" data-item="${esc(it.code)}">` +
            `<span>${esc(it.name_zh)} <span class="en">${esc(it.name_en)}</span>${it.critical ? ' <span class="lm-crit">关键 critical</span>' : ""}</span>` +
            `<span>${f ? esc(f.label) + (f.counted != null ? ` (${f.counted}/${it.expected})` : "") : "未查 · not checked"}</span></button></li>`;
        }
        html += "</ul>";
      }
      $("lm-items").innerHTML = html;
      $("lm-items").querySelectorAll("button[data-item]").forEach((b) => b.addEventListener("click", () => {
        open = b.dataset.item; render(); $("lm-panel").scrollIntoView({ block: "nearest" });
      }));
    }

    function panel() {
      const p = $("lm-panel");
      const it = open && layout().items.find((x) => x.code === open);
      if (!it) { p.hidden = true; return; }
      p.hidden = false;
      const f = found(it.code);
      const zone = layout().zones.find((z) => z.code === it.zone) || {};
      let html = `<div class="lm-panel-head"><h3>${esc(it.name_zh)} <span class="en">${esc(it.name_en)}</span></h3><button type="button" class="link" id="lm-close" aria-label="关闭 Close">✕</button></div>` +
        `<p class="muted">${esc(zone.name_zh)} · 定额 expected ${it.expected}${it.critical ? ' · <span class="lm-crit">关键物品 critical</span>' : ""}</p>` +
        (it.photo ? `<img class="lm-ref" src="${esc(it.photo)}" alt="参考照片 Reference photo">` : "");
      if (live) {
        html += `<div class="lm-choices">${ORDER.map((k) => `<button type="button" class="lm-choice lm-${k}${f && f.finding === k ? " on" : ""}" data-f="${k}">${esc(L[k][0])}<span class="en">${esc(L[k][1])}</span></button>`).join("")}</div>` +
          `<label>清点数量 <span class="en">Counted</span><input id="lm-counted" type="number" min="0" inputmode="numeric" value="${f && f.counted != null ? f.counted : ""}"></label>` +
          `<label>说明 <span class="en">Note</span><textarea id="lm-note" rows="2" maxlength="500">${esc(f ? f.note : "")}</textarea></label>` +
          (SH.evidence ? SH.evidence.itemHtml(it.code) : "");
      } else if (f) {
        html += `<p class="lm-found lm-${f.finding}">${esc(f.label)}${f.counted != null ? ` · ${f.counted}/${it.expected}` : ""}</p>${f.note ? `<p>${esc(f.note)}</p>` : ""}`;
      } else {
        html += `<p class="muted">未查 · not checked</p>`;
      }
      p.innerHTML = html;
      // The finding's photos go to the walk's inspection item, as on the checklist screen.
      if (live && SH.evidence && walk) SH.evidence.bindItems(p, () => walk.inspection.id);
      $("lm-close").addEventListener("click", () => { open = null; render(); });
      p.querySelectorAll(".lm-choice").forEach((b) => b.addEventListener("click", () => record(it, b.dataset.f)));
    }

    async function record(it, finding) {
      const c = $("lm-counted").value.trim();
      const body = { finding, note: $("lm-note").value, counted: c === "" ? null : Number(c) };
      try {
        walk = await SH.api("PUT", `/api/v1/layout-walks/${walk.inspection.id}/findings/${encodeURIComponent(it.code)}`, body);
        // On to the next item not yet checked, in plan order.
        const next = layout().items.find((x) => !found(x.code));
        open = finding === "in_place" && next ? next.code : it.code;
        render();
      } catch (e) { SH.toast(e.message, true); }
    }

    function result() {
      const box = $("lm-result");
      const i = walk && walk.inspection;
      if (!i || !i.submitted_at || !d.walk) { box.hidden = true; return; }
      box.hidden = false;
      box.innerHTML = `<p class="lm-score">${esc(i.score)} <span class="lm-verdict ${i.passed ? "pass" : "fail"}">${i.passed ? "合格 Pass" : "不合格 Fail"}</span></p>` +
        (i.critical_failed.length ? `<p class="error-box">关键物品不在位 · critical items out of place: ${i.critical_failed.map((k) => esc((layout().items.find((x) => x.code === k) || {}).name_zh || k)).join("、")}</p>` : "") +
        `<table class="admin-table"><thead><tr><th>区域 Zone</th><th>得分 Score</th><th>合格/检查 Passed/checked weight</th></tr></thead><tbody>` +
        i.sections.map((s) => `<tr><td>${esc(s.title_zh)} <span class="en">${esc(s.title_en)}</span></td><td>${esc(s.score)}</td><td>${s.passed_weight}/${s.applicable_weight}</td></tr>`).join("") +
        `</tbody></table><p class="muted">${esc(i.rule_zh)}<br><span class="en">${esc(i.rule_en)}</span></p>` +
        (rects.length ? `<div id="lm-rect"><h3>已生成整改工单 <span class="en">Rectification cases opened</span></h3><ul>${rects.map((r) =>
          `<li><a href="/rectifications/${r.case_id}">${esc(r.case_number)}</a> ${esc(r.item_zh)} <span class="en">${esc(r.item_en)}</span>${r.critical ? ' <b class="lm-crit">关键 critical</b>' : ""}</li>`).join("")}</ul></div>` : "");
    }

    if (live) {
      const first = layout().items.find((x) => !found(x.code));
      open = first ? first.code : null;
    }
    render();
  }

  // ---------------------------------------------------------------- edit
  function editMode() {
    let lay = d.layout ? JSON.parse(JSON.stringify(d.layout)) : { width: d.sample.width, height: d.sample.height, zones: [], items: [], version: 0 };
    let version = d.layout ? d.layout.version : 0;
    let sel = null; // { type: "zone" | "item", code }
    let dirty = false;
    const zoneForm = $("ed-zone"), itemForm = $("ed-item");
    const sampleBtn = $("ed-sample");
    sampleBtn.hidden = !!(d.layout && d.layout.zones.length);
    sampleBtn.addEventListener("click", () => {
      lay = JSON.parse(JSON.stringify(d.sample));
      sel = null; touch(); render();
    });

    const touch = () => { dirty = true; $("ed-dirty").hidden = false; };
    const current = () => sel && (sel.type === "zone" ? lay.zones : lay.items).find((x) => x.code === sel.code);
    const fresh = (prefix, list) => { let n = list.length + 1; while (list.some((x) => x.code === prefix + n)) n++; return prefix + n; };

    function render() {
      const svg = draw(lay, { selected: sel, focusable: true });
      $("ed-width").value = lay.width; $("ed-height").value = lay.height;
      bindDrag(svg);
      form();
    }

    function form() {
      const c = current();
      $("ed-none").hidden = !!c;
      zoneForm.hidden = !(c && sel.type === "zone");
      itemForm.hidden = !(c && sel.type === "item");
      if (!c) return;
      const f = sel.type === "zone" ? zoneForm : itemForm;
      if (sel.type === "item") {
        f.elements.zone.innerHTML = lay.zones.map((z) => `<option value="${esc(z.code)}">${esc(z.name_zh)} · ${esc(z.code)}</option>`).join("");
        const img = $("ed-photo");
        img.hidden = !c.photo; if (c.photo) img.src = c.photo;
      }
      for (const el of f.elements) {
        if (!el.name) continue;
        if (el.type === "checkbox") el.checked = !!c[el.name]; else el.value = c[el.name] == null ? "" : c[el.name];
      }
    }

    // The form writes straight into the plan; a code change follows into the items' zones.
    for (const f of [zoneForm, itemForm]) {
      f.addEventListener("input", (e) => {
        const c = current(); const el = e.target;
        if (!c || !el.name) return;
        let v = el.type === "checkbox" ? el.checked : el.type === "number" ? Number(el.value) : el.value;
        if (el.name === "code") {
          v = String(v).trim();
          if (sel.type === "zone") lay.items.forEach((it) => { if (it.zone === c.code) it.zone = v; });
          c.code = v; sel.code = v;
        } else c[el.name] = v;
        touch();
        const keep = document.activeElement;
        draw(lay, { selected: sel, focusable: true }); bindDrag($("lm-map").querySelector("svg"));
        if (keep) keep.focus();
      });
      f.querySelector("[data-delete]").addEventListener("click", () => {
        const c = current(); if (!c) return;
        if (sel.type === "zone") {
          if (lay.items.some((it) => it.zone === c.code)) { SH.toast("请先移走或删除该区域内的物品 · move or delete the zone's items first", true); return; }
          lay.zones = lay.zones.filter((z) => z !== c);
        } else lay.items = lay.items.filter((it) => it !== c);
        sel = null; touch(); render();
      });
    }
    $("ed-width").addEventListener("change", (e) => { lay.width = Number(e.target.value); touch(); render(); });
    $("ed-height").addEventListener("change", (e) => { lay.height = Number(e.target.value); touch(); render(); });

    $("ed-add-zone").addEventListener("click", () => {
      const code = fresh("zone_", lay.zones);
      lay.zones.push({ code, name_zh: "新区域", name_en: "New zone", kind: "other", x: 0, y: 0, w: Math.round(lay.width / 4), h: Math.round(lay.height / 4) });
      sel = { type: "zone", code }; touch(); render();
    });
    $("ed-add-item").addEventListener("click", () => {
      const z = (sel && sel.type === "zone" && current()) || lay.zones[0];
      if (!z) { SH.toast("请先添加区域 · add a zone first", true); return; }
      const code = fresh("item_", lay.items);
      lay.items.push({ code, name_zh: "新物品", name_en: "New item", zone: z.code, x: z.x + Math.round(z.w / 2), y: z.y + Math.round(z.h / 2), expected: 1, critical: false });
      sel = { type: "item", code }; touch(); render();
    });

    $("ed-save").addEventListener("click", async () => {
      const body = {
        base_version: version,
        width: lay.width, height: lay.height,
        zones: lay.zones.map(({ code, name_zh, name_en, kind, x, y, w, h }) => ({ code, name_zh, name_en, kind, x, y, w, h })),
        items: lay.items.map(({ code, name_zh, name_en, zone, x, y, expected, critical }) => ({ code, name_zh, name_en, zone, x, y, expected, critical })),
      };
      try {
        const saved = await SH.api("PUT", `${hallUrl}/layout`, body);
        lay = saved; version = saved.version; dirty = false;
        $("ed-dirty").hidden = true; $("ed-error").hidden = true;
        $("ed-version").textContent = `v${version}`;
        SH.toast(`已保存为第 ${version} 版 · saved as version ${version}`);
        render();
      } catch (e) {
        $("ed-error").textContent = e.message; $("ed-error").hidden = false;
      }
    });

    $("ed-photo-file").addEventListener("change", (e) => {
      const file = e.target.files[0]; const c = current();
      if (!file || !c) return;
      const rd = new FileReader();
      rd.onload = async () => {
        try {
          const saved = await SH.api("PUT", `${hallUrl}/layout/items/${encodeURIComponent(c.code)}/photo`, { photo: rd.result });
          const it = saved.items.find((x) => x.code === c.code);
          c.photo = it && it.photo; form();
          SH.toast("参考照片已保存 · reference photo saved");
        } catch (err) { SH.toast(err.message, true); }
        e.target.value = "";
      };
      rd.readAsDataURL(file);
    });

    // Drag with a pointer (mouse, pen or finger), in plan units.
    function bindDrag(svg) {
      const pt = (e) => {
        const m = svg.getScreenCTM().inverse();
        const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(m);
        return { x: p.x, y: p.y };
      };
      svg.querySelectorAll(".lm-zone, .lm-item").forEach((g) => {
        g.addEventListener("pointerdown", (e) => {
          e.preventDefault(); e.stopPropagation();
          sel = g.dataset.item ? { type: "item", code: g.dataset.item } : { type: "zone", code: g.dataset.zone };
          const c = current(); const start = pt(e);
          const orig = { x: c.x, y: c.y };
          const moved = sel.type === "zone" ? lay.items.filter((it) => it.zone === c.code).map((it) => [it, it.x, it.y]) : [];
          render();
          const svg2 = $("lm-map").querySelector("svg");
          const move = (ev) => {
            const p = pt(ev); const dx = Math.round(p.x - start.x), dy = Math.round(p.y - start.y);
            c.x = orig.x + dx; c.y = orig.y + dy;
            for (const [it, x, y] of moved) { it.x = x + dx; it.y = y + dy; }
            touch(); draw(lay, { selected: sel, focusable: true });
          };
          const up = () => { window.removeEventListener("pointermove", move); window.removeEventListener("pointerup", up); render(); };
          window.addEventListener("pointermove", move);
          window.addEventListener("pointerup", up);
          svg2.focus && $("lm-map").focus();
        });
      });
    }

    // Arrow keys move the selection (a zone takes its items along).
    $("lm-map").addEventListener("keydown", (e) => {
      const dirs = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
      const dir = dirs[e.key]; const c = current();
      if (!dir || !c) return;
      e.preventDefault();
      const step = e.shiftKey ? 50 : 10;
      const dx = dir[0] * step, dy = dir[1] * step;
      c.x += dx; c.y += dy;
      if (sel.type === "zone") lay.items.forEach((it) => { if (it.zone === c.code) { it.x += dx; it.y += dy; } });
      touch(); render();
    });
    window.addEventListener("beforeunload", (e) => { if (dirty) { e.preventDefault(); e.returnValue = ""; } });
    render();
  }
})();
