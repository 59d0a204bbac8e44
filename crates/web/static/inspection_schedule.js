// 检查计划 · the schedule form: sent whole to the API; the server checks the windows and
// answers what to fix in both languages.
"use strict";
(() => {
  const d = SH.data();
  const form = document.getElementById("sched-form");
  if (!form) return;
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const w = (k) => [f.get(`${k}_start`), f.get(`${k}_end`)];
    const body = {
      pre_shift_mode: f.get("mode"),
      pre_shift: w("pre_shift"), opening: w("opening"), midday: w("midday"), closing: w("closing"),
      grace_min: Number(f.get("grace_min")),
      rect_critical_days: Number(f.get("rect_critical_days")),
      rect_other_days: Number(f.get("rect_other_days")),
    };
    const err = document.getElementById("sched-error");
    err.hidden = true;
    try {
      const changes = await SH.api("PUT", `/api/v1/halls/${encodeURIComponent(d.hall)}/inspection-schedule`, body);
      if (changes.length) location.reload();
      else document.getElementById("sched-saved").textContent = "没有改动 · Nothing changed";
    } catch (e) {
      err.textContent = e.message;
      err.hidden = false;
    }
  });
})();
