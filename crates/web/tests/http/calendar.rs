//! The public calendar API: working days, deadlines and working time, and its 4xx answers.

use crate::common::{App, Auth};

#[tokio::test]
async fn is_workday_knows_make_up_saturdays_and_missing_years() {
    let app = App::start().await;
    let day = app
        .get("/api/v1/calendar/is-workday?date=2026-02-14", Auth::Anon)
        .await
        .expect(200);
    assert_eq!(day["working"], true);
    assert_eq!(day["kind"], "make_up_workday");
    assert_eq!(day["name"], "春节调休");
    let day = app
        .get("/api/v1/calendar/is-workday?date=2026-02-16", Auth::Anon)
        .await
        .expect(200);
    assert_eq!(
        (day["working"].clone(), day["kind"].clone()),
        (false.into(), "holiday".into())
    );
    let day = app
        .get("/api/v1/calendar/is-workday?date=2027-01-01", Auth::Anon)
        .await
        .expect(200);
    assert_eq!(day["covered"], false);
    assert_eq!(day["uncovered_years"], serde_json::json!([2027]));
    assert!(day["warnings"][0].as_str().unwrap().contains("2027"));
}

#[tokio::test]
async fn add_and_between_follow_the_golden_examples() {
    let app = App::start().await;
    let res = app
        .get(
            "/api/v1/calendar/add?from=2024-09-30T16:00:00%2B08:00&working_hours=4",
            Auth::Anon,
        )
        .await
        .expect(200);
    assert_eq!(res["deadline"], "2024-10-08T11:00:00+08:00");
    // An unencoded `+` arrives as a space and is still understood.
    let res = app
        .get(
            "/api/v1/calendar/add?from=2026-02-13T15:00:00+08:00&working_days=3",
            Auth::Anon,
        )
        .await
        .expect(200);
    assert_eq!(res["deadline"], "2026-02-25T17:30:00+08:00");
    assert_eq!(res["period"]["working_days"], 3);
    let res = app
        .get(
            "/api/v1/calendar/add?from=2025-09-28T10:00&days=3",
            Auth::Anon,
        )
        .await
        .expect(200);
    assert_eq!(res["deadline"], "2025-10-09T17:30:00+08:00");
    let res = app
        .get(
            "/api/v1/calendar/between?from=2024-09-30T16:00&to=2024-10-08T11:00",
            Auth::Anon,
        )
        .await
        .expect(200);
    assert_eq!(res["working"], "4h");
    assert_eq!(res["working_seconds"], 4 * 3600);
    assert_eq!(res["working_days"], 1);
}

#[tokio::test]
async fn bad_input_says_what_to_fix() {
    let app = App::start().await;
    let cases = [
        ("/api/v1/calendar/is-workday", 400, "date="),
        (
            "/api/v1/calendar/is-workday?date=2026-02-30",
            400,
            "YYYY-MM-DD",
        ),
        ("/api/v1/calendar/add?working_days=3", 400, "from="),
        (
            "/api/v1/calendar/add?from=yesterday&working_days=3",
            400,
            "RFC 3339",
        ),
        (
            "/api/v1/calendar/add?from=2026-02-13T15:00",
            400,
            "exactly one",
        ),
        (
            "/api/v1/calendar/add?from=2026-02-13T15:00&days=1&hours=2",
            400,
            "exactly one",
        ),
        (
            "/api/v1/calendar/add?from=2026-02-13T15:00&working_days=-1",
            400,
            "whole number",
        ),
        (
            "/api/v1/calendar/add?from=2026-02-13T15:00&working_hours=4x",
            400,
            "4h30m",
        ),
        (
            "/api/v1/calendar/add?from=2026-02-13T15:00&working_days=4000000000",
            422,
            "outside the years",
        ),
        ("/api/v1/calendar/between?from=2026-02-13T15:00", 400, "to="),
    ];
    for (path, status, hint) in cases {
        let detail = app.get(path, Auth::Anon).await.problem(status);
        assert!(detail.contains(hint), "{path}: {detail}");
    }
}

#[tokio::test]
async fn openapi_lists_the_calendar() {
    let app = App::start().await;
    let spec = app.get("/api/openapi.json", Auth::Anon).await.expect(200);
    for p in [
        "/api/v1/calendar/is-workday",
        "/api/v1/calendar/add",
        "/api/v1/calendar/between",
    ] {
        assert!(spec["paths"][p]["get"].is_object(), "{p} missing");
    }
}
