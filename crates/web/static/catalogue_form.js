// The catalogue field form: rows of documents and fees are added and removed in place (and
// renumbered, so names stay `fees[0]`, `fees[1]`…), and the public page's preview and the
// messages next to the fields follow the form as it changes.
"use strict";
(() => {
  const form = document.getElementById("cat-form");
  if (!form) return;
  const renumber = () => {
    form.querySelectorAll("[data-rows]").forEach((list) => {
      [...list.children].forEach((row, i) => {
        row.querySelectorAll("[name], [data-err-for]").forEach((el) => {
          for (const attr of ["name", "data-err-for"]) {
            const v = el.getAttribute(attr);
            if (v) el.setAttribute(attr, v.replace(/\[\d+\]/, `[${i}]`));
          }
        });
      });
    });
  };
  const fromTemplate = (id, cls) => {
    const html = document.getElementById(id).innerHTML.replaceAll("__C__", cls || "");
    const t = document.createElement("template");
    t.innerHTML = html.trim();
    return t.content.firstElementChild;
  };
  const add = (list, row) => {
    list.appendChild(row);
    renumber();
    row.querySelector("input").focus();
    schedule();
  };
  form.addEventListener("click", (ev) => {
    const b = ev.target.closest("button");
    if (!b) return;
    if (b.hasAttribute("data-remove")) {
      const row = b.closest(".form-row");
      const list = row.parentElement;
      row.remove();
      renumber();
      (list.parentElement.querySelector("button[data-add-doc], #add-fee") || form).focus();
      schedule();
    } else if (b.dataset.addDoc) {
      const c = b.dataset.addDoc;
      // Adding a document offers the business to that class.
      const tick = form.querySelector(`input[name="offered"][value="${c}"]`);
      if (tick) tick.checked = true;
      add(form.querySelector(`[data-rows="documents.${c}"]`), fromTemplate("tpl-doc", c));
    } else if (b.id === "add-fee") {
      add(form.querySelector('[data-rows="fees"]'), fromTemplate("tpl-fee"));
    }
  });
  const status = document.getElementById("form-status");
  const general = document.getElementById("form-general");
  const showErrors = (errors) => {
    form.querySelectorAll("[data-err-for]").forEach((el) => { el.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    const loose = [];
    for (const [field, why] of Object.entries(errors)) {
      const slot = form.querySelector(`[data-err-for="${CSS.escape(field)}"]`);
      if (slot) {
        slot.textContent = why;
        const input = form.querySelector(`[name="${CSS.escape(field)}"]`);
        if (input) input.setAttribute("aria-invalid", "true");
      } else loose.push(why);
    }
    general.hidden = loose.length === 0;
    general.textContent = loose.join(" · ");
    const n = Object.keys(errors).length;
    status.textContent = n ? `${n} 处需修改 · ${n} to fix` : "可以保存 · Ready to save";
  };
  let timer = null, seq = 0;
  const refresh = async () => {
    const mine = ++seq;
    try {
      const r = await fetch(form.dataset.preview, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        credentials: "same-origin",
      });
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      const j = await r.json();
      if (mine !== seq) return; // a newer preview is on its way
      document.getElementById("preview-body").innerHTML = j.html;
      showErrors(j.errors);
    } catch (e) {
      status.textContent = "预览失败 Preview failed: " + e.message;
    }
  };
  const schedule = () => { clearTimeout(timer); timer = setTimeout(refresh, 300); };
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  renumber();
})();
