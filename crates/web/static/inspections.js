// 现场检查 · inspections: start a check, tap pass / fail / N/A per item (each tap is saved at
// once), add notes, submit, show the score. The server decides the score and what is missing.
"use strict";
(() => {
  const d = SH.data();
  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s == null ? "" : s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  const LABELS = { pass: ["合格", "Pass"], fail: ["不合格", "Fail"], not_applicable: ["不适用", "N/A"] };
  let current = null;

  const tpl = $("ins-template");
  const subjectRow = $("ins-subject-row");
  const syncSubject = () => {
    if (!tpl) return;
    const opt = tpl.options[tpl.selectedIndex];
    subjectRow.hidden = !(opt && opt.dataset.person === "true");
  };
  if (tpl) {
    tpl.addEventListener("change", syncSubject);
    syncSubject();
    $("ins-go").addEventListener("click", async () => {
      const subject = subjectRow.hidden ? "hall" : { staff: Number($("ins-subject").value) };
      try {
        show(await SH.api("POST", `/api/v1/halls/${encodeURIComponent(d.hall)}/inspections`, { template: Number(tpl.value), subject }));
      } catch (e) { SH.toast(e.message, true); }
    });
  }

  function show(v) {
    current = v;
    if (v.submitted_at) return result(v);
    $("ins-start").hidden = true;
    $("ins-run").hidden = false;
    $("ins-title").innerHTML = `${esc(v.template_name_zh)} <span class="en">${esc(v.template_name_en)}</span> · v${v.template_version}`;
    $("ins-meta").textContent = `${v.subject_name ? "被检查人 Person: " + v.subject_name + " · " : ""}检查人 Inspector: ${v.inspector_name} · 合格线 threshold ${v.pass_threshold}`;
    let html = "", section = null;
    for (const it of v.items) {
      if (it.section !== section) {
        section = it.section;
        const s = v.sections.find((x) => x.key === section) || {};
        html += `<h3 class="ins-section">${esc(s.title_zh)} <span class="en">${esc(s.title_en)}</span></h3>`;
      }
      const needs = it.evidence_on_fail !== "none";
      html += `<div class="ins-item" data-key="${esc(it.key)}">
        <div class="ins-text">${esc(it.text_zh)}${it.critical ? ' <b class="ins-critical">关键项 critical</b>' : ""}<br><span class="en">${esc(it.text_en)}</span>
          <span class="muted">权重 weight ${it.weight}${needs ? " · 不合格须附说明 a fail needs a note" : ""}</span></div>
        <div class="ins-choices" role="group" aria-label="${esc(it.text_zh)}">
          ${Object.entries(LABELS).map(([k, [zh, en]]) => `<button type="button" class="ins-choice ins-${k}${it.result === k ? " on" : ""}" data-result="${k}" aria-pressed="${it.result === k}">${zh} <span class="en">${en}</span></button>`).join("")}
        </div>
        <label class="ins-note"${it.result === "fail" || it.note ? "" : " hidden"}>说明 <span class="en">Note</span>
          <textarea rows="2" maxlength="500">${esc(it.note)}</textarea></label>
        ${SH.evidence.itemHtml(it.key)}
      </div>`;
    }
    $("ins-items").innerHTML = html;
    SH.evidence.bindItems($("ins-items"), () => current.id);
    provisional(v);
    history.replaceState(null, "", `/inspections?hall=${encodeURIComponent(d.hall)}&open=${v.id}`);
  }

  function provisional(v) {
    const done = v.items.filter((i) => i.result).length;
    $("ins-provisional").textContent = `已填 ${done}/${v.items.length} · answered · 暂计得分 provisional score ${v.score}`;
  }

  async function record(row, result) {
    const note = row.querySelector("textarea").value;
    const key = row.dataset.key;
    try {
      const v = await SH.api("POST", `/api/v1/inspections/${current.id}/items/${encodeURIComponent(key)}`, { result, note });
      current = v;
      const it = v.items.find((i) => i.key === key);
      row.querySelectorAll(".ins-choice").forEach((b) => {
        const on = b.dataset.result === it.result;
        b.classList.toggle("on", on);
        b.setAttribute("aria-pressed", on);
      });
      row.querySelector(".ins-note").hidden = !(it.result === "fail" || it.note);
      provisional(v);
      if (result === "fail" && it.evidence_on_fail !== "none" && !it.note) row.querySelector("textarea").focus();
    } catch (e) { SH.toast(e.message, true); }
  }

  $("ins-items").addEventListener("click", (ev) => {
    const b = ev.target.closest(".ins-choice");
    if (b) record(b.closest(".ins-item"), b.dataset.result);
  });
  // A note is saved with the item's result when the field is left.
  $("ins-items").addEventListener("change", (ev) => {
    if (ev.target.tagName !== "TEXTAREA") return;
    const row = ev.target.closest(".ins-item");
    const it = current.items.find((i) => i.key === row.dataset.key);
    if (it && it.result) record(row, it.result);
  });

  $("ins-submit").addEventListener("click", async () => {
    // Save the note being typed before submitting.
    const active = document.activeElement;
    if (active && active.tagName === "TEXTAREA") active.blur();
    await new Promise((r) => setTimeout(r, 0));
    try {
      result(await SH.api("POST", `/api/v1/inspections/${current.id}/submit`));
    } catch (e) { SH.toast(e.message, true); return; }
    await relist();
  });

  // The lists below are drawn by the server; after a submit they are fetched again so the
  // check just made shows under 今日检查 and today's site checks at once.
  async function relist() {
    try {
      const r = await fetch(`/inspections?hall=${encodeURIComponent(d.hall)}`, { credentials: "same-origin" });
      if (!r.ok) return;
      const doc = new DOMParser().parseFromString(await r.text(), "text/html");
      for (const id of ["site-checks", "ins-today", "ins-recent"]) {
        const fresh = doc.getElementById(id), old = $(id);
        if (fresh && old) old.replaceWith(fresh);
      }
    } catch (e) { /* the lists stay as they were; a reload shows them */ }
  }

  // “检查 Check” on a scheduled check starts its checklist for its clerk (or the hall).
  document.addEventListener("click", async (ev) => {
    const b = ev.target.closest(".sc-go");
    if (!b) return;
    const subject = b.dataset.staff ? { staff: Number(b.dataset.staff) } : "hall";
    try {
      show(await SH.api("POST", `/api/v1/halls/${encodeURIComponent(d.hall)}/inspections`, { template: Number(b.dataset.template), subject }));
      $("ins-run").scrollIntoView({ block: "start" });
    } catch (e) { SH.toast(e.message, true); }
  });

  function result(v) {
    $("ins-start").hidden = true;
    $("ins-run").hidden = true;
    $("ins-result").hidden = false;
    $("ins-score").textContent = `${v.score} 分 · points`;
    const verdict = $("ins-verdict");
    verdict.textContent = v.passed ? "合格 · pass" : "不合格 · fail";
    verdict.className = v.passed ? "ins-verdict pass" : "ins-verdict fail";
    const crit = $("ins-critical");
    if (v.critical_failed.length) {
      const names = v.critical_failed.map((k) => v.items.find((i) => i.key === k)).filter(Boolean);
      crit.innerHTML = `关键项不合格，本次检查不合格：${names.map((i) => esc(i.text_zh)).join("、")}<br><span class="en">A critical item failed, so the check fails: ${names.map((i) => esc(i.text_en)).join("; ")}</span>`;
      crit.hidden = false;
    }
    // 整改: the case each failed item opened (only in the submit's answer).
    const rect = $("ins-rect");
    if (rect && v.rectifications && v.rectifications.length) {
      rect.querySelector("ul").innerHTML = v.rectifications.map((r) =>
        `<li><a href="/rectifications/${r.case_id}">${esc(r.case_number)}</a> ${esc(r.item_zh)} <span class="en">${esc(r.item_en)}</span>${r.critical ? ' <b class="ins-critical">关键项 critical</b>' : ""}</li>`).join("");
      rect.hidden = false;
    }
    $("ins-sections").querySelector("tbody").innerHTML = v.sections.map((s) =>
      `<tr><td>${esc(s.title_zh)} <span class="en">${esc(s.title_en)}</span></td><td>${esc(s.score)}</td><td>${s.passed_weight}/${s.applicable_weight}</td></tr>`).join("");
  }

  if (d.open) show(d.open);
})();
