// The one-time notice form: classes follow the chosen business; giving a notice records it
// against the customer and ticket and opens the printable notice.
"use strict";
(() => {
  const d = SH.data();
  const type = document.getElementById("nf-type");
  const box = document.getElementById("nf-classes");
  const result = document.getElementById("nf-result");
  const showClasses = () => {
    const cs = d.classes[type.value] || [];
    box.innerHTML = cs.map((c, i) => `<label><input type="radio" name="nf-class" value="${SH.esc(c.class)}"${i === 0 ? " checked" : ""}> ${SH.esc(c.zh)} <span class="en">${SH.esc(c.en)}</span></label>`).join("");
  };
  type.addEventListener("change", showClasses);
  showClasses();
  const body = (outcome) => ({
    business_type: type.value,
    class: (document.querySelector('input[name="nf-class"]:checked') || {}).value || "",
    contact: document.getElementById("nf-contact").value,
    ticket_id: d.ticket_id || null,
    outcome,
  });
  const outcome = () => document.getElementById("nf-outcome").value;
  document.getElementById("notice-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      const r = await SH.api("POST", `/api/v1/halls/${encodeURIComponent(d.hall)}/notices`, body(outcome()));
      location.href = r.url;
    } catch (e) {
      result.textContent = e.message;
      SH.toast(e.message, true);
    }
  });
  document.getElementById("nf-outcome-only").addEventListener("click", async () => {
    try {
      const v = await SH.api("POST", `/api/v1/halls/${encodeURIComponent(d.hall)}/visits`, body(outcome()));
      result.textContent = `已登记 Recorded: ${v.outcome_zh} · ${v.contact}` + (v.repeat_of ? " · 重复往返 Repeat trip flagged" : "");
    } catch (e) {
      result.textContent = e.message;
      SH.toast(e.message, true);
    }
  });
})();
