//! Case document files over HTTP: multipart upload with its bad inputs (too big, wrong type,
//! another hall), download headers and supersede.

use crate::common::{App, Auth, Session};
use reqwest::Method;
use serde_json::{Value, json};
use servicehall_domain::Role;
use servicehall_store::{HallStore, StaffInput};

pub(crate) const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01";

pub(super) fn complaint() -> Value {
    json!({
        "kind": "complaint",
        "customer_name": "李四",
        "customer_phone": "13912345678",
        "summary": "等候时间长",
    })
}

pub(super) async fn open_complaint(app: &App, clerk: &Session) -> Value {
    let hall = &app.fx.hall.code;
    app.post(
        &format!("/api/v1/halls/{hall}/cases"),
        Auth::Person(clerk),
        Some(complaint()),
    )
    .await
    .expect(201)
}

/// A multipart/form-data body with a `file` part and a `note` part.
pub(crate) fn multipart(name: &str, bytes: &[u8], note: &str) -> (String, Vec<u8>) {
    let b = "----servicehall-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{b}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n{note}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}

pub(crate) async fn upload(
    app: &App,
    who: &Session,
    case: i64,
    name: &str,
    bytes: &[u8],
) -> crate::common::Resp {
    let (ct, body) = multipart(name, bytes, "正面");
    App::send(
        app.request(
            Method::POST,
            &format!("/api/v1/cases/{case}/documents/upload"),
            Auth::Person(who),
        )
        .header("content-type", ct)
        .body(body),
    )
    .await
}

/// A clerk of the other hall, signed in.
async fn other_hall_clerk(app: &App) -> Session {
    let (_, hash) = app.store.staff_login("clerk1").await.unwrap().unwrap();
    app.store
        .create_staff(
            &StaffInput {
                hall_id: Some(app.fx.other_hall.id),
                username: "sy1".into(),
                name: "沈阳柜员".into(),
                badge_no: "SY001".into(),
                role: Role::Clerk,
                photo: String::new(),
                active: true,
            },
            &hash,
        )
        .await
        .unwrap();
    app.login("sy1").await
}

#[tokio::test]
async fn documents_upload_download_and_supersede() {
    let app = App::start().await;
    let clerk = app.login("clerk1").await;
    let case = open_complaint(&app, &clerk).await;
    let cid = case["id"].as_i64().unwrap();

    let v = upload(&app, &clerk, cid, "身份证 正面.png", PNG)
        .await
        .expect(200);
    let doc = &v["documents"][0];
    assert_eq!(doc["content_type"], "image/png");
    assert_eq!(doc["size_bytes"], PNG.len());
    assert_eq!(doc["note"], "正面");
    let did = doc["id"].as_i64().unwrap();

    // Download: the bytes, the type by content, the name for the browser.
    let file = format!("/api/v1/cases/{cid}/documents/{did}/file");
    let res = app
        .request(Method::GET, &file, Auth::Person(&clerk))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    assert_eq!(h["content-type"], "image/png");
    assert_eq!(h["x-content-type-options"], "nosniff");
    let cd = h["content-disposition"].to_str().unwrap().to_string();
    assert!(cd.starts_with("attachment;"), "{cd}");
    assert!(
        cd.contains("filename*=UTF-8''%E8%BA%AB%E4%BB%BD%E8%AF%81%20"),
        "{cd}"
    );
    assert_eq!(res.bytes().await.unwrap().as_ref(), PNG);
    // A hall manager may read it; a device may not.
    let manager = app.login("manager").await;
    assert_eq!(
        app.get(&file, Auth::Person(&manager)).await.status.as_u16(),
        200
    );
    let display = app
        .device(servicehall_domain::DeviceKind::Display, None)
        .await;
    app.get(&file, Auth::Device(&display)).await.problem(403);
    app.get(&file, Auth::Anon).await.problem(401);

    // Superseded, never deleted: still listed and downloadable.
    let sup = format!("/api/v1/cases/{cid}/documents/{did}/supersede");
    let d = app
        .post(&sup, Auth::Person(&clerk), Some(json!({"reason": ""})))
        .await
        .problem(422);
    assert!(d.contains("why"), "{d}");
    let v = app
        .post(
            &sup,
            Auth::Person(&clerk),
            Some(json!({"reason": "客户提供了新版"})),
        )
        .await
        .expect(200);
    assert_eq!(v["documents"].as_array().unwrap().len(), 1);
    assert_eq!(v["documents"][0]["superseded_reason"], "客户提供了新版");
    assert!(v["documents"][0]["superseded_at"].is_i64());
    app.post(&sup, Auth::Person(&clerk), Some(json!({"reason": "again"})))
        .await
        .problem(409);
    assert_eq!(
        app.get(&file, Auth::Person(&clerk)).await.status.as_u16(),
        200
    );
    // Writes need the CSRF header like every cookie-authenticated API write.
    let (ct, body) = multipart("a.png", PNG, "");
    let r = App::send(
        app.request(
            Method::POST,
            &format!("/api/v1/cases/{cid}/documents/upload"),
            Auth::PersonNoCsrf(&clerk),
        )
        .header("content-type", ct)
        .body(body),
    )
    .await;
    assert_eq!(r.status.as_u16(), 403, "{}", r.text);
}

#[tokio::test]
async fn bad_uploads_are_refused_and_change_nothing() {
    let app = App::start().await;
    let clerk = app.login("clerk1").await;
    let case = open_complaint(&app, &clerk).await;
    let cid = case["id"].as_i64().unwrap();

    // Too big: over 10 MiB is refused before it is stored.
    let big = [b"%PDF-1.7\n".as_slice(), &vec![b'x'; 11 * 1024 * 1024]].concat();
    let d = upload(&app, &clerk, cid, "scan.pdf", &big)
        .await
        .problem(413);
    assert!(d.contains("10 MiB"), "{d}");
    // Wrong type by content, whatever the name says.
    let d = upload(&app, &clerk, cid, "合同.pdf", b"MZ\x90\0\x03\0\0\0")
        .await
        .problem(422);
    assert!(d.contains("not a PDF, JPEG or PNG"), "{d}");
    let d = upload(&app, &clerk, cid, "photo.jpg", PNG)
        .await
        .problem(422);
    assert!(d.contains("rename it to .png"), "{d}");
    let d = upload(&app, &clerk, cid, "empty.pdf", b"")
        .await
        .problem(422);
    assert!(d.contains("empty"), "{d}");
    // No file part at all.
    let r = App::send(
        app.request(
            Method::POST,
            &format!("/api/v1/cases/{cid}/documents/upload"),
            Auth::Person(&clerk),
        )
        .header("content-type", "multipart/form-data; boundary=x")
        .body("--x\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--x--\r\n"),
    )
    .await;
    assert!(r.problem(422).contains("`file`"));
    // Another hall's clerk can neither upload to nor download from this case.
    let sy = other_hall_clerk(&app).await;
    upload(&app, &sy, cid, "a.png", PNG).await.problem(403);
    let v = upload(&app, &clerk, cid, "a.png", PNG).await.expect(200);
    let did = v["documents"][0]["id"].as_i64().unwrap();
    app.get(
        &format!("/api/v1/cases/{cid}/documents/{did}/file"),
        Auth::Person(&sy),
    )
    .await
    .problem(403);
    // Only the accepted upload is on record.
    let v = app
        .get(&format!("/api/v1/cases/{cid}"), Auth::Person(&clerk))
        .await
        .expect(200);
    assert_eq!(v["documents"].as_array().unwrap().len(), 1);
    // A document id of another case is not served through this one.
    let other = open_complaint(&app, &clerk).await;
    let oid = other["id"].as_i64().unwrap();
    app.get(
        &format!("/api/v1/cases/{oid}/documents/{did}/file"),
        Auth::Person(&clerk),
    )
    .await
    .problem(404);
}
