//! Satisfaction figures, surveys and observations over HTTP: who may see and do what, bad
//! input as clear 4xx, answers once within the window.

use crate::common::{App, Auth, Session};
use serde_json::{Value, json};
use servicehall_domain::{DeviceKind, Role};

/// Serves and finishes one payment visit at counter 1; returns the ticket id.
async fn visit(app: &App, clerk: &Session, kiosk: &str) -> i64 {
    app.finished_visit(clerk, kiosk).await["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn satisfaction_view_counts_the_pad_and_checks_roles() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let pad = app
        .device(DeviceKind::Evaluator, Some(app.fx.counter(1).id))
        .await;
    let clerk = app.clerk_on_duty(1).await;
    let manager = app.login("manager").await;
    let admin = app.above_halls("admin", Role::Admin).await;
    let sup = app.above_halls("sup", Role::Supervisor).await;
    for body in [
        json!({"level": 5}),
        json!({"level": 4}),
        json!({"level": 1, "reasons": ["long_wait", "attitude"]}),
    ] {
        let id = visit(&app, &clerk, &kiosk).await;
        app.post(
            &format!("/api/v1/tickets/{id}/rating"),
            Auth::Device(&pad),
            Some(body),
        )
        .await
        .expect(201);
    }
    let path = "/api/v1/insight/satisfaction";
    let v = app.get(path, Auth::Person(&manager)).await.expect(200);
    let sat = &v["total"]["figures"]["satisfaction"];
    assert_eq!(sat["n"], 3, "{v}");
    assert_eq!(sat["too_few"], true, "3 < the default minimum of 30: {v}");
    assert!(sat["value"].is_null());
    assert_eq!(
        v["halls"].as_array().unwrap().len(),
        1,
        "a manager sees their hall"
    );

    // The administrator lowers the minimum; bad definitions are refused.
    let bad = app
        .request(
            reqwest::Method::PUT,
            "/api/v1/insight/settings",
            Auth::Person(&admin),
        )
        .json(&json!({"good_from": 3, "min_n": 1, "weights": [1, -1, 1, 1, 1]}));
    let res = App::send(bad).await;
    assert!(res.problem(422).contains("attitude"), "{}", res.text);
    let by_manager = app
        .request(
            reqwest::Method::PUT,
            "/api/v1/insight/settings",
            Auth::Person(&manager),
        )
        .json(&json!({"good_from": 3, "min_n": 1, "weights": [1, 1, 1, 1, 1]}));
    App::send(by_manager).await.problem(403);
    let ok = app
        .request(
            reqwest::Method::PUT,
            "/api/v1/insight/settings",
            Auth::Person(&admin),
        )
        .json(&json!({"good_from": 3, "min_n": 1, "weights": [1, 1, 1, 1, 1]}));
    App::send(ok).await.expect(200);

    let v = app
        .get(&format!("{path}?by=counter"), Auth::Person(&manager))
        .await
        .expect(200);
    // Good = levels 3..5: 2 of 3 → 66.7%; bad 1 of 3 → 33.3%; CSAT 2 of 3.
    assert_eq!(v["total"]["figures"]["satisfaction"]["value"], 66.7, "{v}");
    assert_eq!(v["total"]["figures"]["bad"]["value"], 33.3);
    assert_eq!(v["total"]["figures"]["csat"]["value"], 66.7);
    assert_eq!(v["groups"][0]["key"], app.fx.counter(1).id);
    assert!(
        v["groups"][0]["label"]
            .as_str()
            .unwrap()
            .contains("1号窗口")
    );
    let reasons: Vec<&str> = v["pareto"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, vec!["attitude", "long_wait"]);

    // Roles and halls.
    let other = &app.fx.other_hall.code;
    app.get(&format!("{path}?halls={other}"), Auth::Person(&manager))
        .await
        .problem(403);
    app.get(path, Auth::Person(&clerk)).await.problem(403);
    app.get(path, Auth::Anon).await.problem(401);
    let both = app
        .get(
            &format!("{path}?halls={},{other}", app.fx.hall.code),
            Auth::Person(&sup),
        )
        .await
        .expect(200);
    assert_eq!(both["halls"].as_array().unwrap().len(), 2);
    let all = app.get(path, Auth::Person(&sup)).await.expect(200);
    assert_eq!(
        all["halls"].as_array().unwrap().len(),
        2,
        "every hall by default"
    );

    // Bad input says what to fix.
    assert!(
        app.get(&format!("{path}?from=2026-13-01"), Auth::Person(&manager))
            .await
            .problem(400)
            .contains("YYYY-MM-DD")
    );
    assert!(
        app.get(
            &format!("{path}?from=2026-11-02&to=2026-11-01"),
            Auth::Person(&manager)
        )
        .await
        .problem(400)
        .contains("after")
    );
    assert!(
        app.get(&format!("{path}?by=weather"), Auth::Person(&manager))
            .await
            .problem(400)
            .contains("business_type")
    );
    let curve = app
        .get("/api/v1/insight/curve", Auth::Person(&manager))
        .await
        .expect(200);
    let counter = curve["points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["touchpoint"] == "counter")
        .unwrap();
    assert_eq!(counter["satisfaction"]["n"], 3, "{curve}");
}

fn survey_body(bt: i64) -> Value {
    json!({
        "title": "缴费体验",
        "trigger": "business_type",
        "window_hours": 24,
        "business_type_ids": [bt],
        "items": [
            {"key": "wait", "kind": "level", "text": "等候时间", "touchpoint": "waiting", "dimension": "efficiency"},
            {"key": "nps", "kind": "recommend", "text": "推荐"},
            {"key": "more", "kind": "text", "text": "其他"}
        ]
    })
}

#[tokio::test]
async fn surveys_are_answered_once_on_the_phone() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk = app.clerk_on_duty(1).await;
    let manager = app.login("manager").await;
    let admin = app.above_halls("admin", Role::Admin).await;
    let payment = app.fx.bt[0].id;

    app.post(
        "/api/v1/surveys",
        Auth::Person(&manager),
        Some(survey_body(payment)),
    )
    .await
    .problem(403);
    let mut bad = survey_body(payment);
    bad["items"][0]["touchpoint"] = json!("parking");
    assert!(
        app.post("/api/v1/surveys", Auth::Person(&admin), Some(bad))
            .await
            .problem(422)
            .contains("parking")
    );
    let survey = app
        .post(
            "/api/v1/surveys",
            Auth::Person(&admin),
            Some(survey_body(payment)),
        )
        .await
        .expect(201);
    assert_eq!(survey["business_type_ids"], json!([payment]));

    let id = visit(&app, &clerk, &kiosk).await;
    let link = app
        .post(
            &format!("/api/v1/tickets/{id}/survey"),
            Auth::Person(&clerk),
            None,
        )
        .await
        .expect(201);
    let path = link["path"].as_str().unwrap();
    let token = path.trim_start_matches("/s/");
    app.post(
        &format!("/api/v1/tickets/{id}/survey"),
        Auth::Person(&clerk),
        None,
    )
    .await
    .problem(409);

    let api = format!("/api/v1/public/surveys/{token}");
    let shown = app.get(&api, Auth::Anon).await.expect(200);
    assert_eq!(shown["answered"], false);
    assert_eq!(shown["items"].as_array().unwrap().len(), 3);
    assert!(
        app.post(
            &api,
            Auth::Anon,
            Some(json!({"values": {"wait": 0, "nps": 9}}))
        )
        .await
        .problem(422)
        .contains("1 to 5")
    );
    app.post(&api, Auth::Anon, Some(json!({"values": {"wait": 4}})))
        .await
        .problem(422);
    app.post(
        &api,
        Auth::Anon,
        Some(json!({"values": {"wait": 2, "nps": 3}, "comment": "等太久"})),
    )
    .await
    .expect(201);
    assert!(
        app.post(
            &api,
            Auth::Anon,
            Some(json!({"values": {"wait": 5, "nps": 10}}))
        )
        .await
        .problem(409)
        .contains("already")
    );
    app.get("/api/v1/public/surveys/nope", Auth::Anon)
        .await
        .problem(404);
    // The phone page says it was answered.
    let page = app.get(path, Auth::Anon).await;
    assert_eq!(page.status.as_u16(), 409);
    assert!(page.text.contains("已提交过"), "{}", page.text);

    // One answer, counted once: NPS from 1 answer (too few, but n = 1).
    let v = app
        .get("/api/v1/insight/satisfaction", Auth::Person(&manager))
        .await
        .expect(200);
    assert_eq!(v["total"]["figures"]["nps"]["n"], 1, "{v}");
    assert_eq!(
        v["total"]["figures"]["csi"]["n"], 0,
        "only one dimension answered"
    );
}

pub fn observation(counter: i64, clerk: Option<i64>) -> Value {
    json!({
        "counter_id": counter,
        "staff_id": clerk,
        "observer_kind": "mystery_shopper",
        "evidence": "找零未唱付",
        "items": [
            {"code": "grooming", "verdict": "met", "touchpoints": ["counter"]},
            {"code": "read_back", "verdict": "not_met", "note": "找零 13.50 元未唱付", "touchpoints": ["payment"]}
        ]
    })
}

#[tokio::test]
async fn observations_are_checked_and_stay_in_their_hall() {
    let app = App::start().await;
    let sup = app.above_halls("sup", Role::Supervisor).await;
    let clerk = app.login("clerk1").await;
    let hall = &app.fx.hall.code;
    let path = format!("/api/v1/halls/{hall}/observations");
    let c1 = app.fx.counter(1).id;
    let own_clerk = app.fx.clerks[0].id;

    app.post(
        &path,
        Auth::Person(&clerk),
        Some(observation(c1, Some(own_clerk))),
    )
    .await
    .problem(403);
    assert!(
        app.post(
            &path,
            Auth::Person(&sup),
            Some(observation(app.fx.other_counter.id, None))
        )
        .await
        .problem(422)
        .contains("another hall")
    );
    let mut no_note = observation(c1, None);
    no_note["items"][1]["note"] = json!("");
    assert!(
        app.post(&path, Auth::Person(&sup), Some(no_note))
            .await
            .problem(422)
            .contains("note")
    );
    let mut bad_code = observation(c1, None);
    bad_code["items"][0]["code"] = json!("smiling");
    app.post(&path, Auth::Person(&sup), Some(bad_code))
        .await
        .problem(422);
    let mut bad_time = observation(c1, None);
    bad_time["observed_local"] = json!("tomorrow");
    app.post(&path, Auth::Person(&sup), Some(bad_time))
        .await
        .problem(422);

    let o = app
        .post(
            &path,
            Auth::Person(&sup),
            Some(observation(c1, Some(own_clerk))),
        )
        .await
        .expect(201);
    assert_eq!(o["score_pct"], 50.0, "{o}");
    assert_eq!(o["observer_kind"], "mystery_shopper");
    let list = app
        .get("/api/v1/insight/observations", Auth::Person(&sup))
        .await
        .expect(200);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let id = o["id"].as_i64().unwrap();
    let page = app
        .get(&format!("/observations/{id}"), Auth::Person(&sup))
        .await;
    assert_eq!(page.status.as_u16(), 200);
    assert!(page.text.contains("不符合") && page.text.contains("50%"));
}

/// The satisfaction screen explains its figures in words, not with a developer's file path.
#[tokio::test]
async fn the_satisfaction_screen_shows_no_developer_paths() {
    let app = App::start().await;
    let manager = app.login("manager").await;
    let page = app.get("/insight", Auth::Person(&manager)).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("满意率"), "{}", page.text);
    assert!(!page.text.contains("docs/"), "a file path on the screen");
    assert!(!page.text.contains(".md"), "a file path on the screen");
}

/// A clerk's scorecard line for observations leads to that clerk's observations only.
#[tokio::test]
async fn a_clerks_observation_line_lists_only_that_clerks_observations() {
    let app = App::start().await;
    let sup = app.above_halls("sup", Role::Supervisor).await;
    let hall = app.fx.hall.code.clone();
    let path = format!("/api/v1/halls/{hall}/observations");
    let c1 = app.fx.counter(1).id;
    let (a, b) = (app.fx.clerks[0].id, app.fx.clerks[1].id);
    let mut ids = Vec::new();
    for clerk in [a, b] {
        let o = app
            .post(
                &path,
                Auth::Person(&sup),
                Some(observation(c1, Some(clerk))),
            )
            .await
            .expect(201);
        ids.push(o["id"].as_i64().unwrap());
    }
    let manager = app.login("manager").await;
    let card = app
        .get(
            &format!("/api/v1/halls/{hall}/staff/{a}/scorecard"),
            Auth::Person(&manager),
        )
        .await
        .expect(200);
    let line = card["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["indicator"] == "observation_score")
        .unwrap_or_else(|| panic!("no observation line in {card}"));
    let link = line["records"].as_str().unwrap();
    assert!(link.contains(&format!("clerk={a}")), "{link}");
    let page = app.get(link, Auth::Person(&manager)).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let shows = |id: i64| page.text.contains(&format!("href=\"/observations/{id}\""));
    assert!(shows(ids[0]), "the clerk's own observation: {}", page.text);
    assert!(!shows(ids[1]), "another clerk's observation");
}
