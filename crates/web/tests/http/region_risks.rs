//! 区域风险 over HTTP: a region's supervisor keeps its register (one id space with hall
//! risks, so `/api/v1/risks/{id}` serves both), managers of its halls read it, staff of
//! another region and hall staff without the permission are refused; bad input is a 422
//! naming the field, Chinese first; the roll-up counts the hall risks under the region.

use super::regions::{supervisor, tree};
use crate::common::{App, Auth, password_hash};
use reqwest::Method;
use serde_json::{Value, json};
use servicehall_domain::Role;
use servicehall_store::{HallStore, StaffInput};

fn body(owner: i64, code: &str) -> Value {
    json!({
        "code": code, "title": "区域性停电后多厅客户聚集", "category": "outage",
        "cause": "主网故障导致大面积停电", "event": "多个营业厅同时客户聚集", "consequence": "排队过长、投诉与舆情",
        "owner": owner,
        "inherent": {"likelihood": 3, "impact": 5}, "residual": {"likelihood": 2, "impact": 4},
        "controls": [{"text": "停电信息提前推送各厅", "owner": "市公司营销部", "test_every_days": 90}],
        "treatment": "reduce"
    })
}

#[tokio::test]
async fn a_region_register_is_kept_by_its_supervisors_and_read_by_its_halls() {
    let app = App::start().await;
    let admin = app.above_halls("boss", Role::Admin).await;
    let (_ln, dl, sy) = tree(&app, &admin).await;
    let dlsup = supervisor(&app, &admin, "dlsup", dl).await;
    let sysup = supervisor(&app, &admin, "sysup", sy).await;
    let sup_id = dlsup.staff["id"].as_i64().unwrap();
    let s = Auth::Person(&dlsup);

    let r = app
        .post("/api/v1/regions/LN-DL/risks", s, Some(body(sup_id, "RR01")))
        .await
        .expect(201);
    let id = r["id"].as_i64().unwrap();
    assert_eq!(r["region_id"], dl);
    assert_eq!(r["hall_id"], Value::Null);
    assert_eq!(r["residual"]["score"], 8);
    // The same id space: a hall risk registered next gets a later id.
    let manager = app.login("manager").await;
    let m = Auth::Person(&manager);
    let hall = app.fx.hall.code.clone();
    let mut hb = body(app.fx.manager.id, "R01");
    hb["residual"] = json!({"likelihood": 3, "impact": 4});
    let h = app
        .post(&format!("/api/v1/halls/{hall}/risks"), m, Some(hb))
        .await
        .expect(201);
    assert!(h["id"].as_i64().unwrap() > id);

    // The supervisor reads and changes it through /api/v1/risks/{id}; the history grows.
    let one = app.get(&format!("/api/v1/risks/{id}"), s).await.expect(200);
    assert_eq!(one["history"].as_array().unwrap().len(), 1);
    let mut changed = body(sup_id, "RR01");
    changed["residual"] = json!({"likelihood": 1, "impact": 4});
    let put = App::send(
        app.request(Method::PUT, &format!("/api/v1/risks/{id}"), s)
            .json(&changed),
    )
    .await
    .expect(200);
    assert_eq!(put["residual"]["score"], 4);
    assert_eq!(put["history"].as_array().unwrap().len(), 2);

    // The manager of a hall in the region reads the city's and the province's registers.
    let list = app.get("/api/v1/regions/LN-DL/risks", m).await.expect(200);
    assert_eq!(list.as_array().unwrap().len(), 1);
    app.get("/api/v1/regions/LN/risks", m).await.expect(200);
    app.get(&format!("/api/v1/risks/{id}"), m).await.expect(200);
    // …but does not change it.
    let d = App::send(
        app.request(Method::PUT, &format!("/api/v1/risks/{id}"), m)
            .json(&changed),
    )
    .await
    .problem(403);
    assert!(d.starts_with("区域风险由本区域的督查"), "{d}");
    app.post("/api/v1/regions/LN-DL/risks", m, Some(body(sup_id, "RR02")))
        .await
        .problem(403);

    // A manager of a hall in another region, and that region's supervisor: refused.
    app.store
        .create_staff(
            &StaffInput {
                hall_id: Some(app.fx.other_hall.id),
                username: "symgr".into(),
                name: "沈阳经理".into(),
                badge_no: "SY-M".into(),
                role: Role::HallManager,
                photo: String::new(),
                active: true,
            },
            password_hash(),
        )
        .await
        .unwrap();
    let symgr = app.login("symgr").await;
    for who in [Auth::Person(&symgr), Auth::Person(&sysup)] {
        app.get("/api/v1/regions/LN-DL/risks", who)
            .await
            .problem(403);
        app.get(&format!("/api/v1/risks/{id}"), who)
            .await
            .problem(403);
    }
    app.post(
        "/api/v1/regions/LN-DL/risks",
        Auth::Person(&sysup),
        Some(body(sup_id, "RR03")),
    )
    .await
    .problem(403);
    let clerk = app.login("clerk1").await;
    app.get("/api/v1/regions/LN-DL/risks", Auth::Person(&clerk))
        .await
        .problem(403);
    app.get("/api/v1/regions/NOPE/risks", s).await.problem(404);

    // Bad input: 422 naming the field, Chinese first.
    let mut bad = body(sup_id, "RR09");
    bad["category"] = json!("weather");
    let d = app
        .post("/api/v1/regions/LN-DL/risks", s, Some(bad))
        .await
        .problem(422);
    assert!(d.starts_with("没有这个风险类别 · unknown category"), "{d}");
    let mut bad = body(sup_id, "RR09");
    bad["residual"] = json!({"likelihood": 9, "impact": 1});
    let d = app
        .post("/api/v1/regions/LN-DL/risks", s, Some(bad))
        .await
        .problem(422);
    assert!(d.contains("可能性和影响须为 1–5"), "{d}");
    // An owner from a hall of another region; an owner who is nobody.
    let far = symgr.staff["id"].as_i64().unwrap();
    let d = app
        .post("/api/v1/regions/LN-DL/risks", s, Some(body(far, "RR09")))
        .await
        .problem(422);
    assert!(d.starts_with("责任人须为本区域的人员"), "{d}");
    let d = app
        .post("/api/v1/regions/LN-DL/risks", s, Some(body(0, "RR09")))
        .await
        .problem(422);
    assert!(d.starts_with("责任人须为在岗员工"), "{d}");
    let dup = app
        .post("/api/v1/regions/LN-DL/risks", s, Some(body(sup_id, "RR01")))
        .await
        .problem(409);
    assert!(dup.starts_with("本区域已有这个风险编号"), "{dup}");

    // The roll-up counts the hall risks under the region, cell by cell.
    let up = app
        .get("/api/v1/regions/LN-DL/risk-rollup", s)
        .await
        .expect(200);
    assert_eq!(up["counts"][2][3], 1);
    assert_eq!(up["total"], 1);
    assert_eq!(up["halls"], 1);
    let province = app
        .get("/api/v1/regions/LN/risk-rollup", Auth::Person(&admin))
        .await
        .expect(200);
    assert_eq!(province["halls"], 2);

    // The screens: the supervisor may add, the manager reads only.
    let page = app.get("/risks?region=LN-DL", s).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("id=\"region-new\""));
    assert!(page.text.contains("data-cell=\"3-4\" data-count=\"1\""));
    assert!(page.text.contains("RR01"));
    let page = app.get("/risks?region=LN-DL", m).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(!page.text.contains("id=\"region-new\""));
    let detail = app.get(&format!("/risks/{id}"), m).await;
    assert_eq!(detail.status, 200, "{}", detail.text);
    assert!(detail.text.contains("risk-readonly"));
    assert!(!detail.text.contains("id=\"risk-kris\""));
    let hall_page = app.get(&format!("/risks?hall={hall}"), m).await;
    assert!(
        hall_page.text.contains("/risks?region=LN-DL"),
        "link to the region register"
    );
}

/// A hall manager's register links up to the nearest region that keeps risks of its own: a
/// district usually keeps none, its city does; with none anywhere, the hall's own region.
#[tokio::test]
async fn a_hall_register_links_to_the_nearest_region_that_keeps_risks() {
    let app = App::start().await;
    let admin = app.above_halls("boss", Role::Admin).await;
    let (_ln, dl, _sy) = tree(&app, &admin).await;
    let district = app
        .post(
            "/api/v1/regions",
            Auth::Person(&admin),
            Some(json!({"code": "LN-DL-XG", "name_zh": "西岗区", "parent_id": dl})),
        )
        .await
        .expect(201)["id"]
        .as_i64()
        .unwrap();
    let moved = App::send(
        app.request(
            Method::PUT,
            &format!("/api/v1/halls/{}/region", app.fx.hall.id),
            Auth::Person(&admin),
        )
        .json(&json!({"region_id": district})),
    )
    .await;
    assert_eq!(moved.status, 204, "{}", moved.text);
    let manager = app.login("manager").await;
    let m = Auth::Person(&manager);
    let hall = app.fx.hall.code.clone();
    let link = |text: &str, code: &str| text.contains(&format!("href=\"/risks?region={code}\""));

    let page = app.get(&format!("/risks?hall={hall}"), m).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(link(&page.text, "LN-DL-XG"), "no region keeps risks yet");

    let dlsup = supervisor(&app, &admin, "dlsup", dl).await;
    let sup_id = dlsup.staff["id"].as_i64().unwrap();
    app.post(
        "/api/v1/regions/LN-DL/risks",
        Auth::Person(&dlsup),
        Some(body(sup_id, "RR01")),
    )
    .await
    .expect(201);
    let page = app.get(&format!("/risks?hall={hall}"), m).await;
    assert!(link(&page.text, "LN-DL"), "the city keeps one now");
    assert!(!link(&page.text, "LN-DL-XG"));
}
