// ServiceHall — standards library (规章制度): quick search (library page and counter
// console), 我已阅读并遵守 buttons, new document, draft editor and publishing.
"use strict";
(() => {
  const data = SH.data();

  // Search as one types: results come back ranked with highlighted segments.
  const box = document.querySelector("[data-std-search]");
  if (box && data.hall) {
    const input = box.querySelector(".std-q");
    const list = box.querySelector(".std-results");
    const status = box.querySelector(".std-status");
    const segs = (parts) => parts.map((p) => (p.hit ? `<mark>${SH.esc(p.text)}</mark>` : SH.esc(p.text))).join("");
    let timer = null, seq = 0;
    const run = async () => {
      const q = input.value.trim();
      const mine = ++seq;
      if (!q) { list.innerHTML = ""; status.textContent = ""; return; }
      try {
        const r = await SH.api("GET", `/api/v1/halls/${encodeURIComponent(data.hall)}/search?limit=8&q=${encodeURIComponent(q)}`);
        if (mine !== seq) return; // a newer query is on its way
        status.textContent = r.hits.length
          ? `${r.hits.length} 条结果 · ${r.hits.length} result(s) in ${r.documents} documents`
          : `没有找到“${q}” · No match`;
        list.innerHTML = r.hits.map((h) => `<li><a href="${SH.esc(h.url)}" target="_blank" rel="noopener" data-key="${SH.esc(h.key)}">
            <span class="pill">${SH.esc(h.label_zh)}</span> <span class="t">${segs(h.title)}</span>
            <div class="s">${segs(h.snippet)}</div></a></li>`).join("");
      } catch (e) {
        if (mine === seq) status.textContent = e.message;
      }
    };
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 120); });
    input.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); clearTimeout(timer); run(); } });
    // At the counter, say when documents are waiting to be read.
    const note = box.querySelector("#std-pending-note");
    if (note && !document.getElementById("pending")) {
      SH.api("GET", "/api/v1/me/standards/pending").then((p) => {
        if (p && p.length) {
          note.innerHTML = `<a href="/standards#pending">您有 ${p.length} 份待阅读文件 · ${p.length} document(s) to read</a>`;
          note.hidden = false;
        }
      }).catch(() => {});
    }
  }

  // 我已阅读并遵守
  document.querySelectorAll("[data-ack]").forEach((b) => b.addEventListener("click", async () => {
    b.disabled = true;
    try {
      const r = await SH.api("POST", `/api/v1/standard-versions/${b.dataset.ack}/acknowledge`);
      const done = document.createElement("span");
      done.className = "acked";
      done.textContent = "✓ 已确认 Acknowledged " + SH.when(r.at);
      b.replaceWith(done);
      SH.toast("已确认 · Acknowledged");
    } catch (e) {
      b.disabled = false;
      SH.toast(e.message, true);
    }
  }));

  const roles = (name) => [...document.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
  const val = (id) => document.getElementById(id).value;

  const create = document.getElementById("std-new-form");
  if (create) create.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const d = await SH.api("POST", `/api/v1/halls/${encodeURIComponent(data.hall)}/standards`, {
        category: val("ns-category"),
        behaviour_code: val("ns-code") || null,
        company_wide: val("ns-scope") === "company",
        title: val("ns-title"), title_en: val("ns-title-en"), source: val("ns-source"),
        body: val("ns-body"), audience: roles("ns-role"),
      });
      location.href = `/standards/${d.id}#editor`;
    } catch (err) { SH.toast(err.message, true); }
  });

  const draft = document.getElementById("std-draft-form");
  if (draft) draft.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await SH.api("PUT", `/api/v1/standards/${draft.dataset.doc}/draft`, {
        title: val("d-title"), title_en: val("d-title-en"), source: val("d-source"),
        body: val("d-body"), audience: roles("d-role"),
      });
      SH.toast("草稿已保存 · Draft saved");
      setTimeout(() => location.reload(), 400);
    } catch (err) { SH.toast(err.message, true); }
  });

  const publish = document.getElementById("std-publish-form");
  if (publish) publish.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await SH.api("POST", `/api/v1/standards/${publish.dataset.doc}/publish`, { effective_from: val("p-date") });
      SH.toast("已发布 · Published");
      setTimeout(() => location.reload(), 400);
    } catch (err) { SH.toast(err.message, true); }
  });
})();
