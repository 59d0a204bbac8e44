//! The layout map over HTTP: the plan put and read back (validated, versioned, 409 on a
//! stale edit), a walk on it to its score and the findings by zone and item, reference
//! photos, the screens, and who may do what.

use crate::common::{App, Auth};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use reqwest::Method;
use serde_json::{Value, json};
use servicehall_domain::layout_map::sample;

fn sample_body() -> Value {
    serde_json::to_value(sample()).unwrap()
}

async fn put(app: &App, path: &str, auth: Auth<'_>, body: Value) -> crate::common::Resp {
    App::send(app.request(Method::PUT, path, auth).json(&body)).await
}

#[tokio::test]
async fn the_layout_is_validated_versioned_and_kept_to_its_roles() {
    let app = App::start().await;
    let manager = app.login("manager").await;
    let m = Auth::Person(&manager);
    let path = format!("/api/v1/halls/{}/layout", app.fx.hall.code);
    let p = app.get(&path, m).await.problem(404);
    assert!(p.contains("尚未绘制定置图"), "{p}");

    let v1 = put(&app, &path, m, sample_body()).await.expect(200);
    assert_eq!(v1["version"], 1);
    assert_eq!(v1["zones"].as_array().unwrap().len(), 7);
    assert!(
        v1["zones"]
            .as_array()
            .unwrap()
            .iter()
            .any(|z| z["kind"] == "self_service_24h")
    );
    let got = app.get(&path, m).await.expect(200);
    assert_eq!(got["items"], v1["items"]);

    // Each mistake is refused naming what to fix.
    let mut outside = sample_body();
    outside["items"][0]["x"] = json!(5000);
    let p = put(&app, &path, m, outside).await.problem(422);
    assert!(p.contains("1号窗评价器") && p.contains("不在其区域"), "{p}");
    let mut twice = sample_body();
    twice["zones"][1]["code"] = json!("high_counter");
    let p = put(&app, &path, m, twice).await.problem(422);
    assert!(
        p.contains("high_counter") && p.contains("used twice"),
        "{p}"
    );
    let mut negative = sample_body();
    negative["items"][11]["expected"] = json!(-1);
    let p = put(&app, &path, m, negative).await.problem(422);
    assert!(p.contains("定额数量") && p.contains("老花镜"), "{p}");
    let mut off_plan = sample_body();
    off_plan["zones"][6]["w"] = json!(900);
    let p = put(&app, &path, m, off_plan).await.problem(422);
    assert!(p.contains("超出平面图范围"), "{p}");

    // An edit started from version 1 saves as 2; a second one from 1 is stale.
    let mut edit = sample_body();
    edit["base_version"] = json!(1);
    assert_eq!(
        put(&app, &path, m, edit.clone()).await.expect(200)["version"],
        2
    );
    let p = put(&app, &path, m, edit).await.problem(409);
    assert!(p.contains("第 2 版"), "{p}");
    let old = app
        .get(&format!("/api/v1/layouts/{}", v1["id"]), m)
        .await
        .expect(200);
    assert_eq!(old["version"], 1);

    for user in ["clerk1", "guide"] {
        let s = app.login(user).await;
        app.get(&path, Auth::Person(&s)).await.problem(403);
        put(&app, &path, Auth::Person(&s), sample_body())
            .await
            .problem(403);
    }
}

#[tokio::test]
async fn a_walk_marks_items_and_scores_by_zone_and_item() {
    let app = App::start().await;
    let manager = app.login("manager").await;
    let m = Auth::Person(&manager);
    let hall = &app.fx.hall.code;
    let walks = format!("/api/v1/halls/{hall}/layout-walks");
    let p = app.post(&walks, m, None).await.problem(422);
    assert!(p.contains("尚未绘制定置图"), "{p}");
    put(
        &app,
        &format!("/api/v1/halls/{hall}/layout"),
        m,
        sample_body(),
    )
    .await
    .expect(200);

    let w = app.post(&walks, m, None).await.expect(201);
    let id = w["inspection"]["id"].as_i64().unwrap();
    assert_eq!(w["inspection"]["template_code"], "layout_map");
    assert_eq!(w["layout"]["version"], 1);
    let n = w["layout"]["items"].as_array().unwrap().len();
    assert_eq!(w["inspection"]["items"].as_array().unwrap().len(), n);

    let mark = |item: &str, body: Value| {
        let path = format!("/api/v1/layout-walks/{id}/findings/{item}");
        let rb = app.request(Method::PUT, &path, m).json(&body);
        App::send(rb)
    };
    let p = mark("reading_glasses", json!({"finding": "short"}))
        .await
        .problem(422);
    assert!(p.contains("定额 3"), "{p}");
    let p = mark("nothing_here", json!({"finding": "in_place"}))
        .await
        .problem(422);
    assert!(p.contains("nothing_here"), "{p}");
    for it in sample().items {
        let body = match it.code.as_str() {
            "reading_glasses" => json!({"finding": "short", "counted": 2, "note": "缺一副"}),
            "brochure_rack" => json!({"finding": "moved"}),
            _ => json!({"finding": "in_place"}),
        };
        mark(&it.code, body).await.expect(200);
    }
    let done = app
        .post(&format!("/api/v1/inspections/{id}/submit"), m, None)
        .await
        .expect(200);
    assert_eq!(done["passed"], true, "{done}");
    let shown = app
        .get(&format!("/api/v1/layout-walks/{id}"), m)
        .await
        .expect(200);
    let glasses = shown["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["item"] == "reading_glasses")
        .unwrap();
    assert_eq!(
        (glasses["finding"].as_str(), glasses["counted"].as_i64()),
        (Some("short"), Some(2))
    );
    mark("brochure_rack", json!({"finding": "in_place"}))
        .await
        .problem(409);

    let f = app
        .get(&format!("/api/v1/halls/{hall}/layout/findings?days=7"), m)
        .await
        .expect(200);
    assert_eq!(f["walks"], 1);
    let guide = f["zones"]
        .as_array()
        .unwrap()
        .iter()
        .find(|z| z["code"] == "guide")
        .unwrap();
    // Four items in the guide area, the brochure rack moved: 3 of 4.
    assert_eq!(
        (
            guide["passed_weight"].as_u64(),
            guide["applicable_weight"].as_u64()
        ),
        (Some(3), Some(4))
    );
    assert_eq!(guide["score"], "75");
    let rack = f["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "brochure_rack")
        .unwrap();
    assert_eq!(
        (rack["checked"].as_u64(), rack["moved"].as_u64()),
        (Some(1), Some(1))
    );
    app.get(&format!("/api/v1/halls/{hall}/layout/findings?days=0"), m)
        .await
        .problem(422);

    // The screens: the walk, the overview with the tables, the editor.
    let page = app.get(&format!("/layout-map?walk={id}"), m).await;
    assert_eq!(page.status.as_u16(), 200, "{}", page.text);
    assert!(page.text.contains("定置巡检") && page.text.contains("Findings by item"));
    let page = app.get("/admin/layout-map", m).await;
    assert_eq!(page.status.as_u16(), 200);
    assert!(page.text.contains("定置图编辑"));
    let clerk = app.login("clerk1").await;
    assert_eq!(
        app.get("/layout-map", Auth::Person(&clerk))
            .await
            .status
            .as_u16(),
        403
    );
    app.post(&walks, Auth::Person(&clerk), None)
        .await
        .problem(403);
}

#[tokio::test]
async fn an_item_keeps_a_reference_photo() {
    let app = App::start().await;
    let manager = app.login("manager").await;
    let m = Auth::Person(&manager);
    let hall = &app.fx.hall.code;
    put(
        &app,
        &format!("/api/v1/halls/{hall}/layout"),
        m,
        sample_body(),
    )
    .await
    .expect(200);
    let mut png = Vec::new();
    image::DynamicImage::new_rgb8(1200, 800)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let path = format!("/api/v1/halls/{hall}/layout/items/water_dispenser/photo");
    let body = json!({"photo": format!("data:image/png;base64,{}", BASE64.encode(&png))});
    let view = put(&app, &path, m, body.clone()).await.expect(200);
    let item = view["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "water_dispenser")
        .unwrap();
    let url = item["photo"].as_str().unwrap().to_string();
    assert!(url.starts_with(&path), "{url}");
    let r = app.get(&url, m).await;
    assert_eq!((r.status.as_u16(), r.content_type()), (200, "image/png"));
    // Not a picture, or an item the plan does not have.
    let p = put(
        &app,
        &path,
        m,
        json!({"photo": "data:image/png;base64,aGVsbG8="}),
    )
    .await
    .problem(422);
    assert!(!p.is_empty());
    put(
        &app,
        &format!("/api/v1/halls/{hall}/layout/items/ghost/photo"),
        m,
        body,
    )
    .await
    .problem(404);
    let clerk = app.login("clerk1").await;
    app.get(&url, Auth::Person(&clerk)).await.problem(403);
}
