// Photo evidence (现场照片 · 整改照片): shrinks a photo from the tablet's camera to at most
// 1600 px as a JPEG before sending (the server decodes, re-encodes without EXIF and makes the
// thumbnail anyway), posts it as multipart with the CSRF header, and draws thumbnails.
"use strict";
SH.evidence = (() => {
  const SIDE = 1600;
  const esc = (s) => String(s == null ? "" : s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

  // The photo as a JPEG blob no larger than SIDE; the file itself if the browser cannot draw it.
  async function shrink(file) {
    try {
      const bmp = await createImageBitmap(file);
      const k = Math.min(1, SIDE / Math.max(bmp.width, bmp.height));
      const c = document.createElement("canvas");
      c.width = Math.round(bmp.width * k);
      c.height = Math.round(bmp.height * k);
      c.getContext("2d").drawImage(bmp, 0, 0, c.width, c.height);
      const blob = await new Promise((r) => c.toBlob(r, "image/jpeg", 0.85));
      return blob || file;
    } catch (_) {
      return file;
    }
  }

  async function upload(url, file, supersedes) {
    const form = new FormData();
    form.append("photo", await shrink(file), "photo.jpg");
    if (supersedes) form.append("supersedes", String(supersedes));
    const res = await fetch(url, { method: "POST", body: form, credentials: "same-origin", headers: { "X-CSRF-Token": SH.csrf } });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (_) { /* not JSON */ }
    if (!res.ok) throw new Error((json && json.detail) || text || res.statusText);
    return json;
  }

  const when = (ms) => new Date(ms).toLocaleString("zh-CN", { timeZone: SH.tz || "Asia/Shanghai", hour12: false, month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });

  // A thumbnail linking to the full photo; a replaced one is marked and kept.
  function thumb(p) {
    const old = p.superseded_by ? " superseded" : "";
    const tag = p.superseded_by ? `<span class="ev-old">已替换 replaced</span>` : "";
    return `<a class="ev-thumb${old}" href="${p.url}" target="_blank" rel="noopener" data-photo="${p.id}">
      <img src="${p.thumb_url}" alt="照片 photo ${p.id}" loading="lazy">
      <span class="ev-cap">${esc(p.uploader_name)} · ${when(p.uploaded_at)}</span>${tag}</a>`;
  }

  // The photo strip of an inspection item: its thumbnails and the camera button.
  function itemHtml(key) {
    return `<div class="ev-strip" data-key="${esc(key)}"><span class="ev-thumbs"></span>
      <label class="btn ev-add">拍照 <span class="en">Add photo</span>
        <input type="file" accept="image/jpeg,image/png" capture="environment" class="ev-file"></label></div>`;
  }

  // Fills the strips of `root` with the inspection's photos and uploads what is picked.
  function bindItems(root, inspectionId) {
    const draw = (photos) => root.querySelectorAll(".ev-strip").forEach((s) => {
      s.querySelector(".ev-thumbs").innerHTML = photos.filter((p) => p.item === s.dataset.key && p.stage === "finding").map(thumb).join("");
    });
    const load = async () => {
      try { draw(await SH.api("GET", `/api/v1/inspections/${inspectionId()}/photos`)); } catch (e) { SH.toast(e.message, true); }
    };
    if (!root.dataset.evBound) {
      root.dataset.evBound = "1";
      root.addEventListener("change", async (ev) => {
        if (!ev.target.classList.contains("ev-file") || !ev.target.files.length) return;
        const strip = ev.target.closest(".ev-strip");
        const label = ev.target.closest(".ev-add");
        label.classList.add("busy");
        try {
          await upload(`/api/v1/inspections/${inspectionId()}/items/${encodeURIComponent(strip.dataset.key)}/photos`, ev.target.files[0]);
          SH.toast("照片已保存 · Photo saved");
          await load();
        } catch (e) { SH.toast(e.message, true); }
        label.classList.remove("busy");
        ev.target.value = "";
      });
    }
    load();
  }

  return { upload, thumb, itemHtml, bindItems };
})();
