//! 区域风险矩阵 over HTTP: a region's supervisor sets the region's own matrix and its risks
//! re-band at once; a manager of a hall in the region reads it and is refused a change; a
//! supervisor of another region reads nothing; bad bands and colours are 422s naming the fix,
//! Chinese first; a size that would strand a rated region risk is refused; each changed band
//! lands in the deployment's settings audit under the region's name.

use super::regions::{supervisor, tree};
use crate::common::{App, Auth, Session};
use reqwest::Method;
use serde_json::{Value, json};
use servicehall_domain::Role;
use servicehall_store::FeedbackSettingsStore;

/// Two bands: everything from 8 up is 高 High.
fn two_bands(high_colour: &str) -> Value {
    json!({"bands": [
        {"key": "low", "name_zh": "低", "name_en": "Low", "min_score": 1, "colour": "#d7ecd9", "review_days": 365},
        {"key": "high", "name_zh": "高", "name_en": "High", "min_score": 8, "colour": high_colour, "review_days": 60}
    ]})
}

async fn put(app: &App, who: &Session, url: &str, body: &Value) -> crate::common::Resp {
    App::send(app.request(Method::PUT, url, Auth::Person(who)).json(body)).await
}

#[tokio::test]
async fn a_region_supervisor_sets_the_region_matrix_and_its_risks_re_band() {
    let app = App::start().await;
    let admin = app.above_halls("boss", Role::Admin).await;
    let (_ln, dl, sy) = tree(&app, &admin).await;
    let dlsup = supervisor(&app, &admin, "dlsup", dl).await;
    let sysup = supervisor(&app, &admin, "sysup", sy).await;
    let s = Auth::Person(&dlsup);
    let owner = dlsup.staff["id"].as_i64().unwrap();
    let risk = json!({
        "code": "RR01", "title": "区域性停电后多厅客户聚集", "category": "outage",
        "cause": "主网故障", "event": "多厅客户聚集", "consequence": "投诉与舆情", "owner": owner,
        "inherent": {"likelihood": 3, "impact": 5}, "residual": {"likelihood": 2, "impact": 4},
        "controls": [], "treatment": "reduce"
    });
    app.post("/api/v1/regions/LN-DL/risks", s, Some(risk))
        .await
        .expect(201);

    // The default matrix first: a residual 8 is 中 Medium, and the supervisor may edit.
    let m = app
        .get("/api/v1/regions/LN-DL/risk-matrix", s)
        .await
        .expect(200);
    assert_eq!(m["size"], 5);
    assert_eq!(m["editable"], true);
    let list = app.get("/api/v1/regions/LN-DL/risks", s).await.expect(200);
    assert_eq!(list[0]["residual"]["band"], "medium");

    // Set: the answer is the new matrix, and the register re-bands at once.
    let set = put(
        &app,
        &dlsup,
        "/api/v1/regions/LN-DL/risk-matrix",
        &two_bands("#ffd3a8"),
    )
    .await
    .expect(200);
    assert_eq!(set["bands"][1]["min_score"], 8);
    assert_eq!(set["bands"][1]["max_score"], 25);
    let list = app.get("/api/v1/regions/LN-DL/risks", s).await.expect(200);
    assert_eq!(list[0]["residual"]["band"], "high");
    assert_eq!(list[0]["residual"]["colour"], "#ffd3a8");
    // The halls keep their own matrix.
    let hall = app.fx.hall.code.clone();
    let hm = app
        .get(
            &format!("/api/v1/halls/{hall}/risk-matrix"),
            Auth::Person(&admin),
        )
        .await
        .expect(200);
    assert_eq!(hm["bands"].as_array().unwrap().len(), 4);

    // Audited band by band on the deployment's settings, named for the region.
    let audit = app.store.settings_audit(None, 50).await.unwrap();
    let mine: Vec<_> = audit
        .iter()
        .filter(|c| c.setting.starts_with(&format!("region{dl}.risk_matrix.")))
        .collect();
    assert_eq!(mine.len(), 4, "two bands changed, two removed");
    assert!(mine.iter().any(|c| c.setting.ends_with("band2")
        && c.new_value.contains("高 High 8–25 #ffd3a8 60d")
        && c.by_staff == Some(owner)));

    // A manager of a hall in the region reads it, read-only, and may not change it.
    let manager = app.login("manager").await;
    let m = app
        .get("/api/v1/regions/LN-DL/risk-matrix", Auth::Person(&manager))
        .await
        .expect(200);
    assert_eq!(m["editable"], false);
    assert_eq!(m["bands"][1]["colour"], "#ffd3a8");
    let d = put(
        &app,
        &manager,
        "/api/v1/regions/LN-DL/risk-matrix",
        &two_bands("#ffffff"),
    )
    .await
    .problem(403);
    assert!(d.starts_with("区域风险由本区域的督查"), "{d}");
    // Another region's supervisor neither reads nor changes it; a clerk reads nothing.
    app.get("/api/v1/regions/LN-DL/risk-matrix", Auth::Person(&sysup))
        .await
        .problem(403);
    put(
        &app,
        &sysup,
        "/api/v1/regions/LN-DL/risk-matrix",
        &two_bands("#ffffff"),
    )
    .await
    .problem(403);
    let clerk = app.login("clerk1").await;
    app.get("/api/v1/regions/LN-DL/risk-matrix", Auth::Person(&clerk))
        .await
        .problem(403);
    app.get("/api/v1/regions/NOPE/risk-matrix", s)
        .await
        .problem(404);

    // Bad input: the colour the dark text cannot be read on, one that is no colour, a gap.
    let d = put(
        &app,
        &dlsup,
        "/api/v1/regions/LN-DL/risk-matrix",
        &two_bands("#202020"),
    )
    .await
    .problem(422);
    assert!(
        d.starts_with("风险等级设置有误：“高”的颜色 #202020 太深"),
        "{d}"
    );
    assert!(d.contains("· band high colour #202020 is too dark"), "{d}");
    let d = put(
        &app,
        &dlsup,
        "/api/v1/regions/LN-DL/risk-matrix",
        &two_bands("red"),
    )
    .await
    .problem(422);
    assert!(
        d.starts_with("风险等级设置有误：“高”的颜色须为 #rrggbb"),
        "{d}"
    );
    let mut gap = two_bands("#ffd3a8");
    gap["bands"][0]["min_score"] = json!(2);
    let d = put(&app, &dlsup, "/api/v1/regions/LN-DL/risk-matrix", &gap)
        .await
        .problem(422);
    assert!(d.contains("第一级须从 1 分开始 · the first band"), "{d}");
    let d = put(
        &app,
        &dlsup,
        "/api/v1/regions/LN-DL/risk-matrix",
        &json!({"bands": []}),
    )
    .await
    .problem(422);
    assert!(d.starts_with("风险矩阵至少需要一个等级"), "{d}");
    // Shrinking to 3×3 would leave RR01 (inherent 3×5) outside the grid.
    let mut small = two_bands("#ffd3a8");
    small["size"] = json!(3);
    small["bands"][1]["min_score"] = json!(5);
    let d = put(&app, &dlsup, "/api/v1/regions/LN-DL/risk-matrix", &small)
        .await
        .problem(422);
    assert!(d.starts_with("有 1 项区域风险的评分超出 3×3 矩阵"), "{d}");
    // Nothing of the refused changes was kept.
    let m = app
        .get("/api/v1/regions/LN-DL/risk-matrix", s)
        .await
        .expect(200);
    assert_eq!(m["size"], 5);
    assert_eq!(m["bands"][1]["colour"], "#ffd3a8");

    // The screen: editable for the supervisor, read-only for the manager, linked from the
    // register; its history names the bands.
    let page = app.get("/risks/matrix?region=LN-DL", s).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("/api/v1/regions/LN-DL/risk-matrix"));
    assert!(page.text.contains("高 High 8–25 #ffd3a8 60d"));
    assert!(page.text.contains("id=\"b-add\""));
    let page = app
        .get("/risks/matrix?region=LN-DL", Auth::Person(&manager))
        .await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(!page.text.contains("id=\"b-add\""));
    assert!(page.text.contains("区域风险矩阵由本区域（或上级）的督查"));
    let register = app.get("/risks?region=LN-DL", s).await;
    assert!(register.text.contains("/risks/matrix?region=LN-DL"));
    let page = app
        .get("/risks/matrix?region=LN-DL", Auth::Person(&sysup))
        .await;
    assert_eq!(page.status, 403);
}
