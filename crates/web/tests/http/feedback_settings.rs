//! The feedback settings screen over HTTP: validation of every field, audit, who may edit.

use crate::common::{App, Auth, Session};
use servicehall_domain::Role;
use servicehall_store::{FeedbackSettingsStore, InsightStore};

pub(super) async fn form(
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
