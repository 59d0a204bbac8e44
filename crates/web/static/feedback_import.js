// 外评 import: posts the chosen CSV (as text) or XLSX (as bytes) file; shows the report.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  $("imp-form").onsubmit = async (ev) => {
    ev.preventDefault();
    const file = $("imp-file").files[0];
    if (!file) return;
    $("imp-submit").disabled = true;
    const out = $("imp-result");
    try {
      // .xlsx goes as the workbook's bytes; CSV as UTF-8 text.
      const xlsx = /\.xlsx$/i.test(file.name);
      const body = xlsx ? await file.arrayBuffer() : await file.text();
      const type = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8";
      const url = `/api/v1/feedback/imports?source=${encodeURIComponent($("imp-source").value)}&file_name=${encodeURIComponent(file.name)}`;
      const res = await fetch(url, { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": SH.csrf, "Content-Type": type }, body });
      const json = await res.json().catch(() => null);
      if (!res.ok) throw new Error((json && json.detail) || res.statusText);
      const errs = json.errors.map((e) => `<tr class="err"><td>${e.line}</td><td>${SH.esc(e.source_row_id)}</td><td>${SH.esc(e.reason)}</td></tr>`).join("");
      out.innerHTML = `<p class="ok" id="imp-summary">已导入 ${json.rows_imported} 行，重复跳过 ${json.rows_duplicate} 行，错误 ${json.rows_bad} 行，生成补救工单 ${json.cases_opened} 个 · imported ${json.rows_imported}, already imported ${json.rows_duplicate}, bad ${json.rows_bad}, recovery cases ${json.cases_opened}</p>` +
        (errs ? `<table id="imp-errors"><thead><tr><th>行 Line</th><th>来源编号 Row id</th><th>原因 Reason (row skipped)</th></tr></thead><tbody>${errs}</tbody></table>` : "");
    } catch (e) {
      out.innerHTML = `<p class="error-box" id="imp-error">未导入任何数据 · Nothing imported: ${SH.esc(e.message)}</p>`;
    } finally {
      $("imp-submit").disabled = false;
    }
  };
})();
