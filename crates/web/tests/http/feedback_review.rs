//! The feedback settings screen (validation of every field, audit, who may edit) and the
//! stored anti-gaming flags with findings, over HTTP.

use crate::common::{App, Auth, Session};
use servicehall_domain::Role;
use servicehall_domain::feedback::gaming::{EvidenceTicket, Flag, FlagKind, Subject};
use servicehall_store::{FeedbackSettingsStore, GamingFlagStore, InsightStore};

async fn form(
    app: &App,
    path: &str,
    who: &Session,
    fields: &[(&str, &str)],
) -> crate::common::Resp {
    let mut body: Vec<(&str, &str)> = vec![("_csrf", who.csrf.as_str())];
    body.extend_from_slice(fields);
    App::send(
        app.request(reqwest::Method::POST, path, Auth::PersonNoCsrf(who))
            .form(&body),
    )
    .await
}

/// Every hall setting with its default, so a test changes only what it names.
fn hall_fields<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut out: Vec<(&str, &str)> = vec![
        ("hall", "DL-XH"),
        ("phone_window_hours", "72"),
        ("callback_working_days", "1"),
        ("rectify_working_days", "5"),
        ("fast_rating_s", "2"),
        ("fast_share_pct", "50"),
        ("min_ratings", "20"),
        ("top_run", "50"),
        ("long_visit_s", "900"),
        ("skip_share_pct", "50"),
        ("min_long_visits", "8"),
    ];
    for (k, v) in changes {
        if let Some(slot) = out.iter_mut().find(|(name, _)| name == k) {
            slot.1 = v;
        }
    }
    out
}

#[tokio::test]
async fn feedback_settings_screen_validates_audits_and_is_read_only_for_managers() {
    let app = App::start().await;
    let admin = app.above_halls("boss", Role::Admin).await;
    let manager = app.login("manager").await;
    let hall = app.fx.hall.id;

    let page = app
        .get("/admin/feedback-settings?hall=DL-XH", Auth::Person(&admin))
        .await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(
        page.text
            .contains("name=\"phone_window_hours\" value=\"72\"")
    );
    assert!(page.text.contains("保存本厅设置"), "an administrator edits");

    // Every wrong field is named at once; nothing is saved.
    let bad = hall_fields(&[("phone_window_hours", "0"), ("top_run", "many")]);
    let res = form(&app, "/admin/feedback-settings", &admin, &bad).await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(
        res.text.contains("一事一评有效期") && res.text.contains("(got 0)"),
        "{}",
        res.text
    );
    assert!(res.text.contains("连续满分达") && res.text.contains("enter a whole number"));
    assert!(
        res.text.contains("value=\"many\""),
        "the input is kept for fixing"
    );
    assert_eq!(
        app.store
            .feedback_settings(hall)
            .await
            .unwrap()
            .phone_window_hours,
        72
    );
    assert!(
        app.store
            .settings_audit(Some(hall), 10)
            .await
            .unwrap()
            .is_empty()
    );

    // A good form saves, and the change is on record with the person.
    let good = hall_fields(&[("phone_window_hours", "48"), ("callback_working_days", "2")]);
    let res = form(&app, "/admin/feedback-settings", &admin, &good).await;
    assert_eq!(res.status, 200, "followed the redirect: {}", res.text);
    assert!(res.text.contains("已保存本厅设置"));
    let s = app.store.feedback_settings(hall).await.unwrap();
    assert_eq!((s.phone_window_hours, s.callback_working_days), (48, 2));
    let changes = app
        .get(
            "/api/v1/halls/DL-XH/feedback/settings/changes",
            Auth::Person(&manager),
        )
        .await
        .expect(200);
    let changes = changes.as_array().unwrap();
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert!(changes.iter().any(|c| c["setting"] == "phone_window_hours"
        && c["old_value"] == "72"
        && c["new_value"] == "48"
        && c["by_staff"] == admin.staff["id"]));
    let page = app
        .get("/admin/feedback-settings?hall=DL-XH", Auth::Person(&admin))
        .await;
    assert!(page.text.contains("boss 甲 (boss)"), "the audit names who");

    // CSI weights must add up to 100%.
    let weights = |e: &'static str| {
        vec![
            ("hall", "DL-XH"),
            ("good_from", "4"),
            ("min_n", "30"),
            ("w_environment", e),
            ("w_attitude", "30"),
            ("w_efficiency", "20"),
            ("w_professionalism", "15"),
            ("w_disclosure", "10"),
        ]
    };
    let res = form(
        &app,
        "/admin/feedback-settings/figures",
        &admin,
        &weights("20"),
    )
    .await;
    assert_eq!(res.status, 422);
    assert!(res.text.contains("须为 100%，现为 95%"), "{}", res.text);
    assert_eq!(app.store.insight_config().await.unwrap().good_from, 3);
    let res = form(
        &app,
        "/admin/feedback-settings/figures",
        &admin,
        &weights("25"),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let cfg = app.store.insight_config().await.unwrap();
    assert_eq!(
        (cfg.good_from, cfg.weights.percents()),
        (4, [25, 30, 20, 15, 10])
    );
    assert!(!app.store.settings_audit(None, 10).await.unwrap().is_empty());

    // The hall manager reads but does not edit; a clerk does not even read.
    let page = app
        .get("/admin/feedback-settings", Auth::Person(&manager))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("只读") && !page.text.contains("保存本厅设置"));
    let res = form(&app, "/admin/feedback-settings", &manager, &good).await;
    assert_eq!(res.status, 403);
    let put = App::send(
        app.request(
            reqwest::Method::PUT,
            "/api/v1/halls/DL-XH/feedback/settings",
            Auth::Person(&manager),
        )
        .json(&serde_json::json!({"phone_window_hours": 1})),
    )
    .await;
    put.problem(403);
    let clerk = app.login("clerk1").await;
    assert_eq!(
        app.get("/admin/feedback-settings", Auth::Person(&clerk))
            .await
            .status,
        403
    );
    // A form without its CSRF token is refused.
    let res = App::send(
        app.request(
            reqwest::Method::POST,
            "/admin/feedback-settings",
            Auth::PersonNoCsrf(&admin),
        )
        .form(&[("_csrf", "wrong"), ("hall", "DL-XH")]),
    )
    .await;
    assert_eq!(res.status, 403);
}

fn flag(subject: Subject, tickets: &[i64]) -> Flag {
    Flag {
        kind: FlagKind::TopRun,
        subject,
        summary_zh: "连续 3 次“非常满意”".into(),
        figures: vec![],
        tickets: tickets
            .iter()
            .map(|&id| EvidenceTicket {
                ticket_id: id,
                number: format!("11-20 A{id:03}"),
                note: "非常满意 · very satisfied".into(),
            })
            .collect(),
    }
}

#[tokio::test]
async fn flags_are_kept_and_acknowledged_with_a_finding() {
    let app = App::start().await;
    let sup = app.above_halls("sup", Role::Supervisor).await;
    let manager = app.login("manager").await;
    let hall = app.fx.hall.id;
    let clerk = Subject::Clerk(app.fx.clerks[0].id);
    let now = app.now();
    app.store
        .record_flags(
            hall,
            &[
                flag(clerk, &[1, 2, 3]),
                flag(Subject::Counter(app.fx.counters[1].id), &[4]),
            ],
            now,
        )
        .await
        .unwrap();

    let list = app
        .get("/api/v1/halls/DL-XH/feedback/flags", Auth::Person(&sup))
        .await
        .expect(200);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2, "kept, not recomputed away: {list:?}");
    assert!(list.iter().all(|f| f["finding"].is_null()));
    let id = list
        .iter()
        .find(|f| f["flag"]["subject"]["type"] == "clerk")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/feedback/flags/{id}/finding");

    // The hall does not judge its own clerks; a finding needs a known verdict and a note.
    app.post(
        &path,
        Auth::Person(&manager),
        Some(serde_json::json!({"finding": "dismissed", "note": "x"})),
    )
    .await
    .problem(403);
    let m = app
        .post(
            &path,
            Auth::Person(&sup),
            Some(serde_json::json!({"finding": "maybe", "note": "x"})),
        )
        .await
        .problem(422);
    assert!(m.contains("confirmed or dismissed"), "{m}");
    let m = app
        .post(
            &path,
            Auth::Person(&sup),
            Some(serde_json::json!({"finding": "confirmed", "note": " "})),
        )
        .await
        .problem(422);
    assert!(m.contains("note"), "{m}");
    let done = app
        .post(
            &path,
            Auth::Person(&sup),
            Some(serde_json::json!({"finding": "confirmed", "note": "调取录像，柜员自行点按"})),
        )
        .await
        .expect(200);
    assert_eq!(done["finding"], "confirmed");
    app.post(
        &path,
        Auth::Person(&sup),
        Some(serde_json::json!({"finding": "dismissed", "note": "改判"})),
    )
    .await
    .problem(409);
    app.post(
        "/api/v1/feedback/flags/99999/finding",
        Auth::Person(&sup),
        Some(serde_json::json!({"finding": "dismissed", "note": "x"})),
    )
    .await
    .problem(404);

    // Open first; the judged flag stays with its finding, on the API and the page.
    let list = app
        .get("/api/v1/halls/DL-XH/feedback/flags", Auth::Person(&sup))
        .await
        .expect(200);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert!(list[0]["finding"].is_null());
    assert_eq!(list[1]["id"].as_i64(), Some(id));
    assert_eq!(list[1]["finding_note"], "调取录像，柜员自行点按");
    assert!(list[1]["finding_by"].as_str().unwrap().contains("sup"));
    let page = app
        .get("/feedback/flags?hall=DL-XH", Auth::Person(&sup))
        .await;
    assert_eq!(page.status, 200);
    let open_at = page
        .text
        .find("class=\"card flag open\"")
        .expect("an open flag");
    let judged_at = page
        .text
        .find("class=\"card flag judged\"")
        .expect("a judged flag");
    assert!(open_at < judged_at, "open first");
    assert!(page.text.contains("调取录像，柜员自行点按") && page.text.contains("属实"));

    // The page's own form: a finding without a note comes back with the reason.
    let other = list[0]["id"].as_i64().unwrap();
    let res = form(
        &app,
        &format!("/feedback/flags/{other}/finding"),
        &sup,
        &[("finding", "dismissed"), ("note", ""), ("days", "30")],
    )
    .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(res.text.contains("finding-error"));
    let res = form(
        &app,
        &format!("/feedback/flags/{other}/finding"),
        &sup,
        &[
            ("finding", "dismissed"),
            ("note", "排队老客户集中评价"),
            ("days", "30"),
        ],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(res.text.contains("已记录核查结论") && res.text.contains("排队老客户集中评价"));
}
