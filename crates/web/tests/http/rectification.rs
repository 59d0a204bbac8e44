//! Rectification (整改) and photo evidence over HTTP: a photo on a failed item (type told by
//! content, EXIF and location stripped, a thumbnail), the submit's answer with the case it
//! opened, the fix with new evidence, the 409 when the fixer verifies, reopen and accept,
//! the list's filters and the screens.

use crate::common::{App, Auth, Session};
use reqwest::Method;
use serde_json::{Value, json};
use servicehall_domain::Role;
use servicehall_domain::inspections::shipped::shipped;
use servicehall_store::InspectionStore;
use std::io::Cursor;

/// A small PNG (40×30).
pub fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(40, 30, image::Rgb([200, 40, 40]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// A 900×600 JPEG carrying an EXIF segment with a GPS marker, as a phone camera writes.
pub fn jpeg_with_exif() -> Vec<u8> {
    let img = image::RgbImage::from_fn(900, 600, |x, y| {
        image::Rgb([(x % 255) as u8, (y % 255) as u8, 90])
    });
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    let payload = b"Exif\0\0MM\0*GPSLatitude 38.91N GPSLongitude 121.61E";
    let len = (payload.len() + 2) as u16;
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(payload);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A multipart body with the `photo` field (and `supersedes` when given).
pub fn photo_form(bytes: &[u8]) -> (String, Vec<u8>) {
    form(bytes, None)
}

fn form(bytes: &[u8], supersedes: Option<i64>) -> (String, Vec<u8>) {
    let boundary = "----servicehall-test-photo";
    let mut b = Vec::new();
    if let Some(id) = supersedes {
        b.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"supersedes\"\r\n\r\n{id}\r\n").as_bytes(),
        );
    }
    b.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").as_bytes(),
    );
    b.extend_from_slice(bytes);
    b.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), b)
}

async fn upload(
    app: &App,
    who: &Session,
    url: &str,
    bytes: &[u8],
    supersedes: Option<i64>,
) -> crate::common::Resp {
    let (ct, body) = form(bytes, supersedes);
    App::send(
        app.request(Method::POST, url, Auth::Person(who))
            .header("content-type", ct)
            .body(body),
    )
    .await
}

/// For the role matrix: a finding photo of `door` on the running inspection, and the
/// rectification case of a second inspection whose `door` failed. Returns (case, photo).
pub async fn world(
    app: &App,
    admin: &Session,
    code: &str,
    template: i64,
    running: i64,
) -> (i64, i64) {
    let photo = upload(
        app,
        admin,
        &format!("/api/v1/inspections/{running}/items/door/photos"),
        &png(),
        None,
    )
    .await
    .expect(201)["id"]
        .as_i64()
        .unwrap();
    let a = Auth::Person(admin);
    let i = app
        .post(
            &format!("/api/v1/halls/{code}/inspections"),
            a,
            Some(json!({"template": template, "subject": "hall"})),
        )
        .await
        .expect(201)["id"]
        .as_i64()
        .unwrap();
    app.post(
        &format!("/api/v1/inspections/{i}/items/door"),
        a,
        Some(json!({"result": "fail", "note": "门未上锁"})),
    )
    .await
    .expect(200);
    let done = app
        .post(&format!("/api/v1/inspections/{i}/submit"), a, None)
        .await
        .expect(200);
    (
        done["rectifications"][0]["case_id"].as_i64().unwrap(),
        photo,
    )
}

fn item(v: &Value, key: &str) -> bool {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["key"] == key)
}

#[tokio::test]
async fn a_failed_item_with_a_photo_is_fixed_and_verified_by_someone_else() {
    let app = App::start().await;
    app.store
        .install_inspection_templates(&shipped().unwrap(), app.now())
        .await
        .unwrap();
    let manager = app.login("manager").await;
    let sup = app.above_halls("sup_r", Role::Supervisor).await;
    let (m, s) = (Auth::Person(&manager), Auth::Person(&sup));
    let hall = &app.fx.hall.code;
    let list = app
        .get(&format!("/api/v1/halls/{hall}/inspection-templates"), s)
        .await
        .expect(200);
    let opening = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "opening")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let i = app
        .post(
            &format!("/api/v1/halls/{hall}/inspections"),
            s,
            Some(json!({"template": opening, "subject": "hall"})),
        )
        .await
        .expect(201);
    let id = i["id"].as_i64().unwrap();
    assert!(item(&i, "floor_clean"));
    for it in i["items"].as_array().unwrap() {
        let key = it["key"].as_str().unwrap();
        let (result, note) = if key == "floor_clean" {
            ("fail", "地面有水渍")
        } else {
            ("pass", "")
        };
        app.post(
            &format!("/api/v1/inspections/{id}/items/{key}"),
            s,
            Some(json!({"result": result, "note": note})),
        )
        .await
        .expect(200);
    }
    // A photo of the failed item: kept re-encoded (no EXIF, no location), shrunk, thumbed.
    let url = format!("/api/v1/inspections/{id}/items/floor_clean/photos");
    let p = upload(&app, &sup, &url, &jpeg_with_exif(), None)
        .await
        .expect(201);
    assert_eq!(p["stage"], "finding");
    assert_eq!(p["uploader_name"], sup.staff["name"]);
    let img = app.get(p["url"].as_str().unwrap(), s).await;
    assert_eq!(img.status, 200);
    assert_eq!(img.content_type(), "image/jpeg");
    let full = App::send(app.request(Method::GET, p["url"].as_str().unwrap(), s)).await;
    let bytes = full.text.as_bytes();
    assert!(!bytes.windows(4).any(|w| w == b"Exif"), "EXIF stripped");
    assert!(!full.text.contains("GPSLatitude"), "location stripped");
    let thumb = App::send(app.request(Method::GET, p["thumb_url"].as_str().unwrap(), s)).await;
    assert!(
        thumb.text.len() < full.text.len(),
        "the thumbnail is smaller"
    );
    // Told by content: text named .jpg is refused, and so is an item the checklist lacks.
    let e = upload(&app, &sup, &url, b"<svg onload=alert(1)>", None)
        .await
        .problem(422);
    assert!(e.contains("JPEG") && e.contains("PNG"), "{e}");
    upload(
        &app,
        &sup,
        &format!("/api/v1/inspections/{id}/items/nope/photos"),
        &png(),
        None,
    )
    .await
    .problem(404);
    // A replacement supersedes the first; both are kept.
    let p2 = upload(&app, &sup, &url, &png(), p["id"].as_i64())
        .await
        .expect(201);
    let photos = app
        .get(&format!("/api/v1/inspections/{id}/photos"), s)
        .await
        .expect(200);
    assert_eq!(photos.as_array().unwrap().len(), 2);
    assert_eq!(photos[0]["superseded_by"], p2["id"]);
    // A clerk may not add photos.
    let clerk = app.login("clerk1").await;
    upload(&app, &clerk, &url, &png(), None).await.problem(403);

    // Submit: the score and the case the failed item opened.
    let done = app
        .post(&format!("/api/v1/inspections/{id}/submit"), s, None)
        .await
        .expect(200);
    assert!(done["score"].is_string(), "{done}");
    assert_eq!(done["passed"], false);
    let opened = done["rectifications"].as_array().unwrap();
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0]["item"], "floor_clean");
    assert_eq!(opened[0]["stage"], "open");
    assert_eq!(
        opened[0]["owner_name"], manager.staff["name"],
        "the hall manager owns it"
    );
    let case = opened[0]["case_id"].as_i64().unwrap();
    let r = format!("/api/v1/rectifications/{case}");
    let d = app.get(&r, m).await.expect(200);
    assert_eq!(d["before"].as_array().unwrap().len(), 2);
    assert!(d["after"].as_array().unwrap().is_empty());
    assert_eq!(d["may_verify"], false);

    // The fix needs new evidence: nothing → 422; a photo of the fix → fixed.
    let e = app
        .post(&format!("{r}/fix"), m, Some(json!({"note": " "})))
        .await
        .problem(422);
    assert!(e.contains("证据") && e.contains("evidence"), "{e}");
    upload(&app, &manager, &format!("{r}/photos"), &png(), None)
        .await
        .expect(201);
    let d = app
        .post(&format!("{r}/fix"), m, Some(json!({})))
        .await
        .expect(200);
    assert_eq!(d["rectification"]["stage"], "fixed");
    assert_eq!(d["after"].as_array().unwrap().len(), 1);
    // The fixer cannot verify: 409, Chinese first.
    let e = app
        .post(
            &format!("{r}/verify"),
            m,
            Some(json!({"verdict": "accept"})),
        )
        .await
        .problem(409);
    assert!(
        e.starts_with("整改人不能验证") && e.contains("cannot verify"),
        "{e}"
    );
    assert_eq!(app.get(&r, s).await.expect(200)["may_verify"], true);
    // The supervisor reopens (saying why), the manager fixes again, the supervisor accepts.
    app.post(
        &format!("{r}/verify"),
        s,
        Some(json!({"verdict": "reopen"})),
    )
    .await
    .problem(422);
    let d = app
        .post(
            &format!("{r}/verify"),
            s,
            Some(json!({"verdict": "reopen", "note": "角落仍有水渍"})),
        )
        .await
        .expect(200);
    assert_eq!(
        (
            d["rectification"]["stage"].as_str(),
            d["rectification"]["reopened"].as_i64()
        ),
        (Some("open"), Some(1))
    );
    app.post(
        &format!("{r}/fix"),
        m,
        Some(json!({"note": "已重新清洁并放置防滑垫"})),
    )
    .await
    .expect(200);
    let d = app
        .post(
            &format!("{r}/verify"),
            s,
            Some(json!({"verdict": "accept", "note": "复查合格"})),
        )
        .await
        .expect(200);
    assert_eq!(d["rectification"]["stage"], "verified");
    app.post(
        &format!("{r}/verify"),
        s,
        Some(json!({"verdict": "reopen", "note": "x"})),
    )
    .await
    .problem(409);
    // Verified: the case is closed like any case.
    let c = app
        .get(&format!("/api/v1/cases/{case}"), m)
        .await
        .expect(200);
    assert_eq!(c["status"], "closed");

    // The list by state, and a bad state named.
    let l = |q: &str| format!("/api/v1/halls/{hall}/rectifications?{q}");
    assert_eq!(app.get(&l("state=open"), m).await.expect(200)["total"], 0);
    let closed = app.get(&l("state=closed"), m).await.expect(200);
    assert_eq!(closed["total"], 1);
    assert_eq!(closed["items"][0]["case_id"], case);
    let e = app.get(&l("state=done"), m).await.problem(422);
    assert!(e.contains("to_verify"), "{e}");
    app.get(&l(""), Auth::Person(&clerk)).await.problem(403);

    // The screens.
    let page = app
        .get(&format!("/rectifications?hall={hall}&state=closed"), m)
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.text
            .contains(opened[0]["case_number"].as_str().unwrap()),
        "{}",
        page.text
    );
    let show = app.get(&format!("/rectifications/{case}"), m).await;
    assert_eq!(show.status, 200);
    assert!(
        show.text.contains("已销号") && show.text.contains("整改前"),
        "{}",
        show.text
    );
    let xlsx = app
        .get(&format!("/rectifications?hall={hall}&format=xlsx"), m)
        .await;
    assert_eq!(xlsx.status, 200);
}

#[tokio::test]
async fn rectification_cases_keep_to_their_own_workflow() {
    let app = App::start().await;
    let manager = app.login("manager").await;
    let m = Auth::Person(&manager);
    let admin = app.above_halls("adm_r", Role::Admin).await;
    let hall = app.fx.hall.code.clone();
    let t = app
        .post(
            &format!("/api/v1/halls/{hall}/inspection-templates"),
            Auth::Person(&admin),
            Some(json!({
                "code": "door_check", "name_zh": "门禁检查", "name_en": "Door check", "subject": "hall",
                "sections": [{"key": "door", "title_zh": "门", "title_en": "Door", "items": [
                    {"key": "door", "text_zh": "门已上锁", "text_en": "Door locked", "weight": 1, "critical": true}
                ]}]
            })),
        )
        .await
        .expect(201);
    let running = app
        .post(
            &format!("/api/v1/halls/{hall}/inspections"),
            m,
            Some(json!({"template": t["id"], "subject": "hall"})),
        )
        .await
        .expect(201)["id"]
        .as_i64()
        .unwrap();
    let (case, _) = world(&app, &admin, &hall, t["id"].as_i64().unwrap(), running).await;
    // Not by the generic case actions, and not registered by hand.
    let e = app
        .post(
            &format!("/api/v1/cases/{case}/close"),
            m,
            Some(json!({"note": "done"})),
        )
        .await
        .problem(409);
    assert!(e.contains("整改"), "{e}");
    let e = app
        .post(
            &format!("/api/v1/halls/{hall}/cases"),
            m,
            Some(json!({"kind": "rectification", "customer_name": "王五", "customer_phone": "13900001111"})),
        )
        .await
        .problem(422);
    assert!(e.contains("整改工单"), "{e}");
    // A critical item is due within one working day.
    let r = app
        .get(&format!("/api/v1/rectifications/{case}"), m)
        .await
        .expect(200);
    assert_eq!(r["rectification"]["critical"], true);
    let due = r["rectification"]["deadline_at"].as_i64().unwrap();
    assert!(
        due > app.now() && due <= app.now() + 4 * 86_400_000,
        "{due}"
    );
    assert_eq!(
        app.store.inspection(running).await.unwrap().submitted_at,
        None
    );
}
