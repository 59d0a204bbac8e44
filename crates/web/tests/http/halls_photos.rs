//! Staff photos (挂牌服务): who may set one, what is accepted (JPEG/PNG by content, re-encoded
//! without EXIF, with a thumbnail), how it is served, and that the counter shows it.
//! The read-back route the evaluator pad shows is checked here too.

use crate::common::{App, Auth};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use reqwest::Method;
use serde_json::json;
use servicehall_domain::{DeviceKind, Role};
use servicehall_store::HallStore;

fn jpeg_with_exif(w: u32, h: u32) -> Vec<u8> {
    let img = image::DynamicImage::new_rgb8(w, h);
    let mut jpeg = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut jpeg),
        image::ImageFormat::Jpeg,
    )
    .unwrap();
    let exif = b"Exif\0\0GPSLatitude=38.91N";
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(exif);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn data_url(label: &str, bytes: &[u8]) -> serde_json::Value {
    json!({"photo": format!("data:{label};base64,{}", BASE64.encode(bytes))})
}

#[tokio::test]
async fn a_hall_manager_sets_a_clerks_photo_and_the_counter_shows_it() {
    let app = App::start().await;
    let hall = &app.fx.hall.code;
    let clerk_id = app.fx.clerks[0].id;
    let clerk = app.clerk_on_duty(1).await;
    let manager = app.login("manager").await;
    let path = format!("/api/v1/halls/{hall}/staff/{clerk_id}/photo");
    let put = |auth, body| {
        let rb = app.request(Method::PUT, &path, auth).json(&body);
        App::send(rb)
    };
    let view = put(
        Auth::Person(&manager),
        data_url("image/png", &jpeg_with_exif(900, 600)),
    )
    .await
    .expect(200);
    let url = view["photo"].as_str().unwrap().to_string();
    assert!(
        url.starts_with(&format!("/api/v1/staff/{clerk_id}/photo?v=")),
        "{view}"
    );
    // Served as the JPEG its bytes are (not the PNG the label claimed), shrunk, no EXIF.
    let kiosk_free = app
        .device(DeviceKind::CounterScreen, Some(app.fx.counter(1).id))
        .await;
    let r = app.get(&url, Auth::Device(&kiosk_free)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.headers["content-type"], "image/jpeg");
    assert_eq!(r.headers["x-content-type-options"], "nosniff");
    assert!(
        r.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    let bytes = app
        .request(Method::GET, &url, Auth::Person(&clerk))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let img = image::load_from_memory(&bytes).unwrap();
    assert_eq!((img.width(), img.height()), (480, 320));
    assert!(!bytes.windows(3).any(|w| w == b"GPS"), "EXIF is stripped");
    let thumb = app
        .request(
            Method::GET,
            view["thumb"].as_str().unwrap(),
            Auth::Person(&clerk),
        )
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(image::load_from_memory(&thumb).unwrap().width(), 96);
    // The counter (screen, evaluator, console) and the staff list now carry the URL.
    let detail = app
        .get(&format!("/api/v1/halls/{hall}"), Auth::Person(&manager))
        .await
        .expect(200);
    let c1 = detail["counters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["number"] == 1)
        .unwrap();
    assert_eq!(c1["clerk"]["photo"], url.as_str(), "{c1}");
    // Signed out: the photo of a clerk on duty, as the public hall page shows them, and
    // nobody else's (the manager's, set too, is not on duty at a counter).
    assert_eq!(app.get(&url, Auth::Anon).await.status, 200);
    let manager_id = app.fx.manager.id;
    let mine = App::send(
        app.request(
            Method::PUT,
            &format!("/api/v1/halls/{hall}/staff/{manager_id}/photo"),
            Auth::Person(&manager),
        )
        .json(&data_url("image/png", &jpeg_with_exif(30, 30))),
    )
    .await
    .expect(200);
    let theirs = mine["photo"].as_str().unwrap();
    assert_eq!(app.get(theirs, Auth::Person(&clerk)).await.status, 200);
    let m = app.get(theirs, Auth::Anon).await.problem(404);
    assert!(m.starts_with("此人员没有照片 · "), "{m}");
    // Once the clerk closes the counter, their photo is no longer public.
    app.post(
        &format!("/api/v1/counters/{}/close", app.fx.counter(1).id),
        Auth::Person(&clerk),
        None,
    )
    .await
    .expect(200);
    app.get(&url, Auth::Anon).await.problem(404);
    // Nobody else has one.
    let other = app.fx.clerks[1].id;
    let m = app
        .get(
            &format!("/api/v1/staff/{other}/photo"),
            Auth::Person(&clerk),
        )
        .await
        .problem(404);
    assert!(m.starts_with("此人员没有照片 · "), "{m}");
}

#[tokio::test]
async fn what_is_not_a_jpeg_or_png_is_refused_in_both_languages() {
    let app = App::start().await;
    let hall = &app.fx.hall.code;
    let clerk_id = app.fx.clerks[0].id;
    let manager = app.login("manager").await;
    let path = format!("/api/v1/halls/{hall}/staff/{clerk_id}/photo");
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#;
    for body in [
        data_url("image/png", svg),
        data_url("image/jpeg", b"%PDF-1.4 not a photo"),
        json!({"photo": "https://example.com/me.png"}),
        data_url(
            "image/png",
            &[b"\x89PNG\r\n\x1a\n".as_slice(), b"<html>"].concat(),
        ),
    ] {
        let r = App::send(
            app.request(Method::PUT, &path, Auth::Person(&manager))
                .json(&body),
        )
        .await;
        let m = r.problem(422);
        assert!(
            m.starts_with("照片") || m.starts_with("只接受"),
            "Chinese first: {m}"
        );
        assert!(m.contains(" · "), "English beside: {m}");
    }
    // Too big: refused before it is decoded.
    let big = vec![0xFFu8; 200 * 1024];
    let r = App::send(
        app.request(Method::PUT, &path, Auth::Person(&manager))
            .json(&data_url("image/jpeg", &big)),
    )
    .await;
    assert!(r.problem(422).contains("kB"));
    // Nothing was kept.
    let staff = app.store.staff(clerk_id).await.unwrap();
    assert_eq!(staff.photo, "");
}

#[tokio::test]
async fn only_the_halls_administrators_set_photos() {
    let app = App::start().await;
    let hall = &app.fx.hall.code;
    let other_hall = &app.fx.other_hall.code;
    let clerk_id = app.fx.clerks[0].id;
    let body = data_url("image/png", &jpeg_with_exif(20, 20));
    let path = format!("/api/v1/halls/{hall}/staff/{clerk_id}/photo");
    let put = |path: String, auth| {
        let rb = app.request(Method::PUT, &path, auth).json(&body);
        App::send(rb)
    };
    let admin = app.above_halls("p_admin", Role::Admin).await;
    let sup = app.above_halls("p_sup", Role::Supervisor).await;
    let clerk = app.login("clerk1").await;
    let guide = app.login("guide").await;
    let manager = app.login("manager").await;
    put(path.clone(), Auth::Person(&admin)).await.expect(200);
    put(path.clone(), Auth::Person(&manager)).await.expect(200);
    // A clerk may not set even their own; a guide or supervisor neither; devices never.
    for who in [&clerk, &guide, &sup] {
        put(path.clone(), Auth::Person(who)).await.problem(403);
    }
    let display = app.device(DeviceKind::Display, None).await;
    put(path.clone(), Auth::Device(&display)).await.problem(403);
    put(path.clone(), Auth::Anon).await.problem(401);
    // The manager of this hall is no administrator of another hall's staff, and a staff
    // member is reached through their own hall only.
    let in_other = format!("/api/v1/halls/{other_hall}/staff/{clerk_id}/photo");
    put(in_other.clone(), Auth::Person(&manager))
        .await
        .problem(403);
    let m = put(in_other, Auth::Person(&admin)).await.problem(404);
    assert!(m.starts_with("本厅没有此人员 · "), "{m}");
}

#[tokio::test]
async fn the_read_back_of_a_finished_payment_is_there_for_the_evaluator() {
    let app = App::start().await;
    let clerk = app.clerk_on_duty(1).await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let issued = app.finished_visit(&clerk, &kiosk).await;
    let id = issued["id"].as_i64().unwrap();
    let pad = app
        .device(DeviceKind::Evaluator, Some(app.fx.counter(1).id))
        .await;
    let rb = app
        .get(
            &format!("/api/v1/tickets/{id}/read-back"),
            Auth::Device(&pad),
        )
        .await
        .expect(200);
    assert_eq!(
        rb["read_back"],
        json!({"due": 12_345, "received": 15_000, "change": 2_655})
    );
    // A visit without amounts has none.
    let t = app.issue(Auth::Device(&kiosk), "payment").await;
    let m = app
        .get(
            &format!("/api/v1/tickets/{}/read-back", t["id"]),
            Auth::Device(&pad),
        )
        .await
        .problem(404);
    assert!(m.starts_with("此票没有唱收唱付记录 · "), "{m}");
}
