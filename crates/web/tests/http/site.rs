//! The site's figures and limits over HTTP: the rectification limits as a hall setting (the
//! API answers them, refuses 0 and 31 in both languages, audits a change, keeps them when a
//! change leaves them out, and a new case's clock runs on them); the figures page of a hall
//! and the halls side by side (sorted, refused to a clerk); and the region's rectifications.

use crate::common::{App, Auth, Session, hall_input};
use serde_json::{Value, json};
use servicehall_domain::Role;
use servicehall_domain::inspections::shipped::shipped;
use servicehall_store::{HallStore, InspectionStore};

/// Runs the opening check in the caller's hall with `failed` failed (a note given), the rest
/// passed; returns the rectification case it opened.
pub async fn failed_check(app: &App, who: &Session, failed: &str) -> i64 {
    failed_check_in(app, who, &app.fx.hall.code, failed).await
}

async fn failed_check_in(app: &App, who: &Session, hall: &str, failed: &str) -> i64 {
    let a = Auth::Person(who);
    let list = app
        .get(&format!("/api/v1/halls/{hall}/inspection-templates"), a)
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
            a,
            Some(json!({"template": opening, "subject": "hall"})),
        )
        .await
        .expect(201);
    let id = i["id"].as_i64().unwrap();
    for it in i["items"].as_array().unwrap() {
        let key = it["key"].as_str().unwrap();
        let (result, note) = if key == failed {
            ("fail", "地面有水渍，已拖干")
        } else {
            ("pass", "")
        };
        app.post(
            &format!("/api/v1/inspections/{id}/items/{key}"),
            a,
            Some(json!({"result": result, "note": note})),
        )
        .await
        .expect(200);
    }
    let done = app
        .post(&format!("/api/v1/inspections/{id}/submit"), a, None)
        .await
        .expect(200);
    done["rectifications"][0]["case_id"].as_i64().unwrap()
}

async fn install(app: &App) {
    app.store
        .install_inspection_templates(&shipped().unwrap(), app.now())
        .await
        .unwrap();
}

#[tokio::test]
async fn rectification_limits_are_a_hall_setting_checked_audited_and_on_the_clock() {
    let app = App::start().await;
    install(&app).await;
    let manager = app.login("manager").await;
    let m = Auth::Person(&manager);
    let hall = app.fx.hall.code.clone();
    let url = format!("/api/v1/halls/{hall}/inspection-schedule");
    let mut body: Value = app.get(&url, m).await.expect(200);
    assert_eq!(
        (&body["rect_critical_days"], &body["rect_other_days"]),
        (&json!(1), &json!(3)),
        "our defaults until the hall sets its own"
    );
    for (field, bad) in [("rect_critical_days", 0), ("rect_other_days", 31)] {
        let mut b = body.clone();
        b[field] = json!(bad);
        let e = app
            .request(reqwest::Method::PUT, &url, m)
            .json(&b)
            .send()
            .await
            .unwrap();
        assert_eq!(e.status(), 422, "{field} = {bad}");
        let text = e.text().await.unwrap();
        assert!(
            text.contains("1–30 个工作日") && text.contains("1–30 working days"),
            "{text}"
        );
    }
    body["rect_critical_days"] = json!(2);
    body["rect_other_days"] = json!(10);
    let changes = crate::common::App::send(app.request(reqwest::Method::PUT, &url, m).json(&body))
        .await
        .expect(200);
    let changed: Vec<(String, String, String)> = changes
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["setting"].as_str().unwrap().to_string(),
                c["old_value"].as_str().unwrap().to_string(),
                c["new_value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(changed.contains(&("rect_critical_days".into(), "1".into(), "2".into())));
    assert!(changed.contains(&("rect_other_days".into(), "3".into(), "10".into())));
    // A change that leaves the limits out (an older client) keeps them.
    let mut older = body.clone();
    older.as_object_mut().unwrap().remove("rect_critical_days");
    older.as_object_mut().unwrap().remove("rect_other_days");
    older["grace_min"] = json!(45);
    App::send(app.request(reqwest::Method::PUT, &url, m).json(&older))
        .await
        .expect(200);
    let now = app.get(&url, m).await.expect(200);
    assert_eq!(
        (
            now["rect_critical_days"].as_u64(),
            now["rect_other_days"].as_u64()
        ),
        (Some(2), Some(10))
    );
    // A supervisor reads but may not change them.
    let sup = app.above_halls("sup_l", Role::Supervisor).await;
    App::send(
        app.request(reqwest::Method::PUT, &url, Auth::Person(&sup))
            .json(&body),
    )
    .await
    .problem(403);
    // The case a failed (non-critical) item opens runs on the hall's 10 working days.
    let case = failed_check(&app, &manager, "floor_clean").await;
    let c = app
        .get(&format!("/api/v1/cases/{case}"), m)
        .await
        .expect(200);
    let clock = &c["clocks"][0];
    assert_eq!(clock["amount"], json!({"unit": "working_days", "n": 10}));
    assert!(
        clock["source"].as_str().unwrap().contains("本厅设置"),
        "{clock}"
    );
    // The screen shows the limits and who changed them, in words.
    let page = app
        .get(&format!("/inspections/schedule?hall={hall}"), m)
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.text.contains("id=\"rect-other-days\""),
        "{}",
        page.text
    );
    assert!(page.text.contains("value=\"10\""));
    assert!(page.text.contains("其他项整改期限"));
}

#[tokio::test]
async fn the_figures_pages_show_a_hall_and_the_halls_side_by_side() {
    let app = App::start().await;
    install(&app).await;
    let second = app
        .store
        .create_hall(&hall_input("DL-ZZ", "大连中山营业厅"))
        .await
        .unwrap();
    let manager = app.login("manager").await;
    let m = Auth::Person(&manager);
    let sup = app.above_halls("sup_f", Role::Supervisor).await;
    let s = Auth::Person(&sup);
    let hall = app.fx.hall.code.clone();
    failed_check(&app, &manager, "floor_clean").await;
    failed_check_in(&app, &sup, &second.code, "floor_clean").await;
    failed_check_in(&app, &sup, &second.code, "floor_clean").await;

    let page = app.get("/inspections/figures", m).await;
    assert_eq!(page.status, 200, "{}", page.text);
    for part in [
        "最常不合格项",
        "Most-failed items",
        "地面、座椅",
        "id=\"fig-open\"",
    ] {
        assert!(page.text.contains(part), "{part}: {}", page.text);
    }
    assert!(
        page.text.contains("state=open") && page.text.contains(">1</a>"),
        "one open rectification, linked"
    );
    assert!(
        !page.text.contains("fig-to-halls"),
        "a hall manager sees one hall"
    );
    let bad = app.get("/inspections/figures?period=year", m).await;
    assert_eq!(bad.status, 422);
    assert!(bad.text.contains("day, week or month"), "{}", bad.text);

    // The supervisor: both halls, worst first by default, sortable, each linking in.
    let halls = app.get("/inspections/figures/halls", s).await;
    assert_eq!(halls.status, 200, "{}", halls.text);
    assert!(
        halls
            .text
            .contains(&format!("/inspections/figures?hall={}", second.code))
    );
    assert!(
        halls
            .text
            .contains(&format!("/inspections/figures?hall={hall}"))
    );
    let by_open = app.get("/inspections/figures/halls?sort=open", s).await;
    let (a, b) = (
        by_open
            .text
            .find(&format!("data-hall=\"{}\"", second.code))
            .unwrap(),
        by_open.text.find(&format!("data-hall=\"{hall}\"")).unwrap(),
    );
    assert!(a < b, "the hall with two open fixes comes first");
    let by_name = app.get("/inspections/figures/halls?sort=name", s).await;
    let (a, b) = (
        by_name
            .text
            .find(&format!("data-hall=\"{}\"", second.code))
            .unwrap(),
        by_name.text.find(&format!("data-hall=\"{hall}\"")).unwrap(),
    );
    assert!(b < a, "by code: {hall} before DL-ZZ");
    let one = app
        .get(&format!("/inspections/figures?hall={}", second.code), s)
        .await;
    assert_eq!(one.status, 200);
    assert!(one.text.contains("大连中山营业厅") && one.text.contains("fig-to-halls"));

    // Clerks do not see the figures.
    let clerk = app.login("clerk1").await;
    assert_eq!(
        app.get("/inspections/figures", Auth::Person(&clerk))
            .await
            .status,
        403
    );
    assert_eq!(
        app.get("/inspections/figures/halls", Auth::Person(&clerk))
            .await
            .status,
        403
    );

    // The region's rectifications: every hall, filterable by hall and state.
    let all = app.get("/rectifications?hall=all&state=open", s).await;
    assert_eq!(all.status, 200, "{}", all.text);
    assert!(all.text.contains("大连中山营业厅") && all.text.contains(&app.fx.hall.name));
    assert_eq!(
        all.text.matches("<tr id=\"rect-").count(),
        3,
        "{}",
        all.text
    );
    let one = app
        .get(
            &format!("/rectifications?hall={}&state=open", second.code),
            s,
        )
        .await;
    assert_eq!(one.status, 200);
    assert!(
        one.text.contains("name=\"hall\""),
        "the hall stays a filter"
    );
    let xlsx = app.get("/rectifications?hall=all&format=xlsx", s).await;
    assert_eq!(xlsx.status, 200);
    // A hall manager asking for the region gets their own hall.
    let own = app.get("/rectifications?hall=all", m).await;
    assert_eq!(own.status, 200);
    assert!(!own.text.contains("大连中山营业厅"));
}
