// 整改 · one rectification: add photos of the fix, record the fix, verify or reopen. The
// server decides what is allowed (new evidence, a different verifier); the page reloads to
// show the case as it now stands.
"use strict";
(() => {
  const d = SH.data();
  const $ = (id) => document.getElementById(id);
  const base = `/api/v1/rectifications/${d.case_id}`;
  const done = (msg) => { SH.toast(msg); setTimeout(() => location.reload(), 600); };

  const photo = $("rect-photo");
  if (photo) photo.addEventListener("change", async () => {
    if (!photo.files.length) return;
    const label = photo.closest(".ev-add");
    label.classList.add("busy");
    try {
      const p = await SH.evidence.upload(`${base}/photos`, photo.files[0]);
      const none = $("rect-after-none");
      if (none) none.remove();
      $("rect-after").insertAdjacentHTML("beforeend", SH.evidence.thumb(p));
      SH.toast("照片已保存 · Photo saved");
    } catch (e) { SH.toast(e.message, true); }
    label.classList.remove("busy");
    photo.value = "";
  });

  const fix = $("rect-fix-go");
  if (fix) fix.addEventListener("click", async () => {
    try {
      await SH.api("POST", `${base}/fix`, { note: $("rect-fix-note").value });
      done("已记录整改，等待他人验证 · Fix recorded; waiting for verification");
    } catch (e) { SH.toast(e.message, true); }
  });

  const verify = (verdict) => async () => {
    try {
      await SH.api("POST", `${base}/verify`, { verdict, note: $("rect-verify-note").value });
      done(verdict === "accept" ? "已验证销号 · Verified and closed" : "已退回重新整改 · Sent back to be fixed again");
    } catch (e) { SH.toast(e.message, true); }
  };
  if ($("rect-accept")) $("rect-accept").addEventListener("click", verify("accept"));
  if ($("rect-reopen")) $("rect-reopen").addEventListener("click", verify("reopen"));
})();
