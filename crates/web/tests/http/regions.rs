//! The region tree: administrators shape it, halls hang on it, and a supervisor limited to a
//! region sees and acts on that region's halls only — lists, figures, pages and hand-overs.

use crate::common::{App, Auth, Session};
use reqwest::Method;
use serde_json::{Value, json};
use servicehall_domain::Role;

async fn put(app: &App, path: &str, s: &Session, body: Value) -> crate::common::Resp {
    App::send(app.request(Method::PUT, path, Auth::Person(s)).json(&body)).await
}

/// LN → {DL, SY}; the fixture hall on DL, the other hall on SY. Returns (LN, DL, SY) ids.
pub(crate) async fn tree(app: &App, admin: &Session) -> (i64, i64, i64) {
    let mk = |code: &'static str, name: &'static str, parent: Option<i64>| json!({"code": code, "name_zh": name, "parent_id": parent});
    let ln = app
        .post(
            "/api/v1/regions",
            Auth::Person(admin),
            Some(mk("LN", "辽宁", None)),
        )
        .await
        .expect(201)["id"]
        .as_i64()
        .unwrap();
    let dl = app
        .post(
            "/api/v1/regions",
            Auth::Person(admin),
            Some(mk("LN-DL", "大连", Some(ln))),
        )
        .await
        .expect(201)["id"]
        .as_i64()
        .unwrap();
    let sy = app
        .post(
            "/api/v1/regions",
            Auth::Person(admin),
            Some(mk("LN-SY", "沈阳", Some(ln))),
        )
        .await
        .expect(201)["id"]
        .as_i64()
        .unwrap();
    for (hall, region) in [(app.fx.hall.id, dl), (app.fx.other_hall.id, sy)] {
        let path = format!("/api/v1/halls/{hall}/region");
        let r = put(app, &path, admin, json!({"region_id": region})).await;
        assert_eq!(r.status, 204, "{}", r.text);
    }
    (ln, dl, sy)
}

/// A supervisor above halls limited to `region`, signed in.
pub(crate) async fn supervisor(app: &App, admin: &Session, user: &str, region: i64) -> Session {
    region_staff(app, admin, user, region, Role::Supervisor).await
}

/// Staff above halls with `role`, limited to `region`, signed in.
pub(crate) async fn region_staff(
    app: &App,
    admin: &Session,
    user: &str,
    region: i64,
    role: Role,
) -> Session {
    let s = app.above_halls(user, role).await;
    let id = s.staff["id"].as_i64().unwrap();
    let r = put(
        app,
        &format!("/api/v1/staff/{id}/region"),
        admin,
        json!({"region_id": region}),
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.text);
    // The scope is read at each request, so the same session now sees less.
    s
}

#[tokio::test]
async fn the_tree_refuses_loops_duplicates_and_removing_what_still_hangs_on_it() {
    let app = App::start().await;
    let admin = app.above_halls("root", Role::Admin).await;
    let (ln, dl, _) = tree(&app, &admin).await;
    let listed = app
        .get("/api/v1/regions", Auth::Person(&admin))
        .await
        .expect(200);
    let codes: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["LN", "LN-DL", "LN-SY"],
        "parents first, siblings by code"
    );
    assert_eq!(listed[1]["path_zh"], "辽宁 / 大连");
    assert_eq!(listed[1]["halls"][0], app.fx.hall.code.as_str());

    let dup = app
        .post(
            "/api/v1/regions",
            Auth::Person(&admin),
            Some(json!({"code": "LN-DL", "name_zh": "又一个"})),
        )
        .await
        .problem(409);
    assert!(dup.contains("taken"), "{dup}");
    let cycle = put(
        &app,
        &format!("/api/v1/regions/{ln}"),
        &admin,
        json!({"code": "LN", "name_zh": "辽宁", "parent_id": dl}),
    )
    .await
    .problem(422);
    assert!(cycle.contains("under itself"), "{cycle}");
    let busy = App::send(app.request(
        Method::DELETE,
        &format!("/api/v1/regions/{dl}"),
        Auth::Person(&admin),
    ))
    .await
    .problem(409);
    assert!(busy.contains("halls"), "{busy}");
    app.post(
        "/api/v1/regions",
        Auth::Person(&admin),
        Some(json!({"code": "大连", "name_zh": "x"})),
    )
    .await
    .problem(422);
    // Nothing was half-written by the refusals.
    let again = app
        .get("/api/v1/regions", Auth::Person(&admin))
        .await
        .expect(200);
    assert_eq!(again.as_array().unwrap().len(), 3);
    assert_eq!(again[0]["parent_id"], Value::Null);

    // Only a deployment-wide administrator reshapes the tree.
    let manager = app.login("manager").await;
    app.post(
        "/api/v1/regions",
        Auth::Person(&manager),
        Some(json!({"code": "X1", "name_zh": "x"})),
    )
    .await
    .problem(403);
    let city_admin = app.above_halls("cityadmin", Role::Admin).await;
    let id = city_admin.staff["id"].as_i64().unwrap();
    assert_eq!(
        put(
            &app,
            &format!("/api/v1/staff/{id}/region"),
            &admin,
            json!({"region_id": dl})
        )
        .await
        .status,
        204
    );
    app.post(
        "/api/v1/regions",
        Auth::Person(&city_admin),
        Some(json!({"code": "X2", "name_zh": "x"})),
    )
    .await
    .problem(403);
    // A hall clerk cannot be limited to a region.
    let clerk = app.fx.clerks[0].id;
    put(
        &app,
        &format!("/api/v1/staff/{clerk}/region"),
        &admin,
        json!({"region_id": dl}),
    )
    .await
    .problem(422);
}

#[tokio::test]
async fn a_city_supervisor_sees_and_acts_on_the_halls_of_their_city_only() {
    let app = App::start().await;
    let admin = app.above_halls("root", Role::Admin).await;
    let (ln, dl, sy) = tree(&app, &admin).await;
    let sy_sup = supervisor(&app, &admin, "sysup", sy).await;
    let dl_sup = supervisor(&app, &admin, "dlsup", dl).await;
    let (here, there) = (&app.fx.hall.code, &app.fx.other_hall.code);

    let halls = app
        .get("/api/v1/halls", Auth::Person(&sy_sup))
        .await
        .expect(200);
    let codes: Vec<&str> = halls
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, [there.as_str()]);
    app.get(
        &format!("/api/v1/halls/{here}/cases/on-time"),
        Auth::Person(&sy_sup),
    )
    .await
    .problem(403);
    app.get(
        &format!("/api/v1/halls/{there}/cases/on-time"),
        Auth::Person(&sy_sup),
    )
    .await
    .expect(200);

    // The on-time page: their own region, not the province above it or a hall outside.
    let page = app.get("/cases/on-time", Auth::Person(&sy_sup)).await;
    assert_eq!(page.status, 200);
    assert!(
        page.text.contains("辽宁 / 沈阳"),
        "defaults to their region"
    );
    assert!(
        !page.text.contains(&format!("hall:{here}")),
        "no hall outside their city"
    );
    let up = app
        .get(
            &format!("/cases/on-time?scope=region:{ln}"),
            Auth::Person(&sy_sup),
        )
        .await;
    assert_eq!(up.status, 403, "{}", up.text);
    let other = app
        .get(
            &format!("/cases/on-time?scope=hall:{here}"),
            Auth::Person(&sy_sup),
        )
        .await;
    assert_eq!(other.status, 400, "{}", other.text);
    let bad = app
        .get(
            &format!("/cases/on-time?scope=region:{dl}&from=2026-13-01"),
            Auth::Person(&dl_sup),
        )
        .await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.text.contains("2026-11-01"),
        "says what a date looks like"
    );

    // Hand-overs: to an administrator of the case's city, not of another city; never to a
    // supervisor, who reads cases but cannot work them (the case would be stranded).
    let sy_admin = region_staff(&app, &admin, "syadmin", sy, Role::Admin).await;
    let dl_admin = region_staff(&app, &admin, "dladmin", dl, Role::Admin).await;
    let clerk = app.clerk_on_duty(1).await;
    let case = app
        .post(
            &format!("/api/v1/halls/{here}/cases"),
            Auth::Person(&clerk),
            Some(json!({"kind": "complaint", "customer_name": "李四", "customer_phone": "13900001111", "summary": "电费异常"})),
        )
        .await
        .expect(201);
    let handover = format!("/api/v1/cases/{}/handover", case["id"]);
    let far = app
        .post(
            &handover,
            Auth::Person(&clerk),
            Some(json!({"to_staff_id": sy_admin.staff["id"], "reason": "督办"})),
        )
        .await
        .problem(422);
    assert!(far.contains("region"), "{far}");
    let reader = app
        .post(
            &handover,
            Auth::Person(&clerk),
            Some(json!({"to_staff_id": dl_sup.staff["id"], "reason": "督办"})),
        )
        .await
        .problem(422);
    assert!(
        reader.contains("督查") && reader.contains("cannot work cases"),
        "{reader}"
    );
    app.post(
        &handover,
        Auth::Person(&clerk),
        Some(json!({"to_staff_id": dl_admin.staff["id"], "reason": "督办"})),
    )
    .await
    .expect(200);

    // Satisfaction by region: the region's halls, and nothing above the person's own.
    let view = app
        .get(
            "/api/v1/insight/satisfaction?region=LN-SY",
            Auth::Person(&admin),
        )
        .await
        .expect(200);
    let codes: Vec<&str> = view["halls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, [there.as_str()]);
    app.get(
        "/api/v1/insight/satisfaction?region=LN",
        Auth::Person(&sy_sup),
    )
    .await
    .problem(403);
    app.get(
        "/api/v1/insight/satisfaction?region=NOPE",
        Auth::Person(&admin),
    )
    .await
    .problem(422);
    let page = app
        .get("/insight?region=LN-SY", Auth::Person(&sy_sup))
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.text.contains("<option value=\"LN-SY\" selected>"),
        "region picker keeps the choice"
    );
    assert!(
        !page.text.contains("value=\"LN-DL\""),
        "no region outside their own"
    );

    // Freed from the region, the same session sees every hall again.
    let id = sy_sup.staff["id"].as_i64().unwrap();
    assert_eq!(
        put(
            &app,
            &format!("/api/v1/staff/{id}/region"),
            &admin,
            json!({"region_id": null})
        )
        .await
        .status,
        204
    );
    let halls = app
        .get("/api/v1/halls", Auth::Person(&sy_sup))
        .await
        .expect(200);
    assert_eq!(halls.as_array().unwrap().len(), 2);
}
