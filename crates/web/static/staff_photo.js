// A staff member's photo, set from the hall's staff list: a camera photo is shrunk in the
// browser to fit the upload limit; the server decides by content whether it is a JPEG or
// PNG at all, re-encodes it and makes the thumbnail (api/halls/photos.rs).
"use strict";
(() => {
  const LIMIT = 150 * 1024;
  const dataUrl = (file) => new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result);
    r.onerror = () => reject(new Error("无法读取所选文件 · The chosen file cannot be read"));
    r.readAsDataURL(file);
  });
  // Only what the browser can draw is shrunk; anything else goes as it is, for the server
  // to refuse with a reason.
  const shrink = (file) => new Promise((resolve) => {
    const img = new Image();
    img.onload = () => {
      const scale = Math.min(1, 800 / Math.max(img.width, img.height));
      const c = document.createElement("canvas");
      c.width = Math.round(img.width * scale);
      c.height = Math.round(img.height * scale);
      c.getContext("2d").drawImage(img, 0, 0, c.width, c.height);
      let q = 0.85, url = c.toDataURL("image/jpeg", q);
      while (url.length > LIMIT * 1.3 && q > 0.3) { q -= 0.15; url = c.toDataURL("image/jpeg", q); }
      URL.revokeObjectURL(img.src);
      resolve(url);
    };
    img.onerror = () => { URL.revokeObjectURL(img.src); resolve(null); };
    img.src = URL.createObjectURL(file);
  });
  document.querySelectorAll("form.photo-form").forEach((form) => {
    const err = form.querySelector(".error-box");
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      err.hidden = true;
      const file = form.querySelector("input[type=file]").files[0];
      if (!file) return;
      try {
        const photo = (file.size > LIMIT && (await shrink(file))) || (await dataUrl(file));
        const v = await SH.api("PUT", `/api/v1/halls/${form.dataset.hall}/staff/${form.dataset.staff}/photo`, { photo });
        const cell = document.querySelector(`#staff-${form.dataset.staff} .staff-photo`);
        if (cell) cell.innerHTML = `<img class="avatar" src="${SH.esc(v.thumb)}" width="40" height="40" alt="">`;
        SH.toast("照片已保存 · Photo saved");
        form.reset();
      } catch (e) {
        err.textContent = e.message;
        err.hidden = false;
      }
    });
  });
})();
