//! The tamper-evident record over HTTP: a rating made on the pad is chained with who and
//! from where; heads and verification for staff above halls; a manager reads their own
//! hall's records only; the /audit page.

use crate::common::{App, Auth};
use serde_json::json;
use servicehall_domain::{DeviceKind, Role};
use servicehall_store::AuditStore;

#[tokio::test]
async fn ratings_are_chained_with_who_and_where_and_verification_names_an_edit() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let pad = app
        .device(DeviceKind::Evaluator, Some(app.fx.counter(1).id))
        .await;
    let clerk = app.clerk_on_duty(1).await;
    let visit = app.finished_visit(&clerk, &kiosk).await;
    let id = visit["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/tickets/{id}/rating"),
        Auth::Device(&pad),
        Some(json!({"level": 4})),
    )
    .await
    .expect(201);
    app.store.seal_hall_events(1_000, app.now()).await.unwrap();

    let manager = app.login("manager").await;
    let hall = app.fx.hall.id;
    let mine = app
        .get(
            &format!("/api/v1/halls/{hall}/audit"),
            Auth::Person(&manager),
        )
        .await
        .expect(200);
    let records = mine["records"].as_array().unwrap();
    let rating = records
        .iter()
        .find(|r| r["kind"] == "rating")
        .expect("the rating is on the hall's chain");
    assert!(
        rating["actor"].as_str().unwrap().starts_with("device #"),
        "{rating}"
    );
    assert_eq!(
        rating["origin"], "127.0.0.* POST /api/v1/tickets/{id}/rating",
        "from where: the masked address and the route"
    );
    assert!(records.iter().any(|r| r["kind"] == "events.sealed"));
    assert_eq!(mine["head"]["seq"], records[0]["seq"]);
    // Their own hall only; the heads of every chain are for staff above halls.
    let other = app.fx.other_hall.id;
    app.get(
        &format!("/api/v1/halls/{other}/audit"),
        Auth::Person(&manager),
    )
    .await
    .problem(403);
    app.get("/api/v1/audit/head", Auth::Person(&manager))
        .await
        .problem(403);
    app.get(
        &format!("/api/v1/halls/{hall}/audit?limit=0"),
        Auth::Person(&manager),
    )
    .await
    .problem(422);

    let sup = app.above_halls("sup", Role::Supervisor).await;
    let heads = app
        .get("/api/v1/audit/head", Auth::Person(&sup))
        .await
        .expect(200);
    let head = heads["heads"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["chain"] == hall)
        .unwrap()
        .clone();
    assert_eq!(
        head["pin"],
        format!("{hall}:{}:{}", head["seq"], head["hash"].as_str().unwrap())
    );
    let ok = app
        .post("/api/v1/audit/verify", Auth::Person(&sup), None)
        .await
        .expect(200);
    assert_eq!(ok["ok"], true, "{ok}");

    sqlx::query("UPDATE ratings SET level = 1")
        .execute(app.store.pool())
        .await
        .unwrap();
    let bad = app
        .post("/api/v1/audit/verify", Auth::Person(&sup), None)
        .await
        .expect(200);
    assert_eq!(bad["ok"], false);
    let finding = bad["chains"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["chain"] == hall)
        .unwrap()["finding"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        finding.starts_with("源数据被改动 · source row edited: ratings #"),
        "{finding}"
    );
    let heads = app
        .get("/api/v1/audit/head", Auth::Person(&sup))
        .await
        .expect(200);
    assert_eq!(heads["last_verification"]["ok"], false);
    assert_eq!(heads["last_verification"]["by"], "sup");

    // The page: the supervisor sees the finding and the heads; a clerk may not open it.
    let page = app.get("/audit", Auth::Person(&sup)).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("上次校验发现篡改"), "{}", page.text);
    assert!(page.text.contains(head["pin"].as_str().unwrap()));
    assert!(
        page.text
            .contains("127.0.0.* POST /api/v1/tickets/{id}/rating")
    );
    let page = app.get("/audit", Auth::Person(&manager)).await;
    assert_eq!(page.status, 200);
    assert!(
        !page.text.contains("audit-verify"),
        "verification is started above halls"
    );
    assert_eq!(app.get("/audit", Auth::Person(&clerk)).await.status, 403);
}
