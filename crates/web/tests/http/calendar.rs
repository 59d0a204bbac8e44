//! The public calendar API: working days, deadlines and working time, and its 4xx answers.

use crate::common::{App, Auth};
use servicehall_store::CalendarStore;

#[tokio::test]
async fn is_workday_knows_make_up_saturdays_and_provisional_years() {
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
    assert_eq!(day["provisional"], true);
    assert_eq!(
        (day["working"].clone(), day["name"].clone()),
        (false.into(), "元旦".into())
    );
    assert_eq!(day["uncovered_years"], serde_json::json!([2027]));
    assert!(
        day["warnings"][0]
            .as_str()
            .unwrap()
            .contains("暂按法定节假日推算")
    );
    // Thu 2027-02-04 + 1 working day: 除夕 Feb 5 to 初三 Feb 8 are statutory holidays
    // (Feb 6–7 a weekend anyway), so Tue Feb 9, marked provisional.
    let res = app
        .get(
            "/api/v1/calendar/add?from=2027-02-04T10:00:00%2B08:00&working_days=1",
            Auth::Anon,
        )
        .await
        .expect(200);
    assert_eq!(res["deadline"], "2027-02-09T17:30:00+08:00");
    assert_eq!(res["provisional"], true);
    let official = app
        .get(
            "/api/v1/calendar/between?from=2026-03-02T09:00&to=2026-03-03T09:00",
            Auth::Anon,
        )
        .await
        .expect(200);
    assert_eq!(official["provisional"], false);
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

#[tokio::test]
async fn an_administrator_imports_a_year_and_every_answer_counts_with_it() {
    let app = App::start().await;
    let years = app
        .get("/api/v1/calendar/years", Auth::Anon)
        .await
        .expect(200);
    assert_eq!(years["first_missing"], 2027);
    assert_eq!(years["years"][6]["year"], 2026);
    assert_eq!(years["years"][6]["origin"], "shipped");

    let text = "year 2027 示例通知 sample notice\nholiday 2027-01-01 元旦\n";
    let body = serde_json::json!({ "text": text });
    // A hall manager may not change the calendar every hall counts with; nor may anyone anonymous.
    let manager = app.login("manager").await;
    let res = app
        .post(
            "/api/v1/calendar/years",
            Auth::Person(&manager),
            Some(body.clone()),
        )
        .await;
    assert!(res.problem(403).contains("administrator above halls"));
    app.post("/api/v1/calendar/years", Auth::Anon, Some(body.clone()))
        .await
        .problem(401);

    let admin = app
        .above_halls("cal-admin", servicehall_domain::Role::Admin)
        .await;
    let bad = serde_json::json!({ "text": "year 2027 x\nholiday 2027-02-30 春节\n" });
    let res = app
        .post("/api/v1/calendar/years", Auth::Person(&admin), Some(bad))
        .await;
    assert!(res.problem(422).contains("line 2"), "{}", res.text);
    let day = app
        .get("/api/v1/calendar/is-workday?date=2027-01-01", Auth::Anon)
        .await
        .expect(200);
    assert_eq!(day["covered"], false, "a bad file changed nothing");

    let res = app
        .post("/api/v1/calendar/years", Auth::Person(&admin), Some(body))
        .await;
    assert_eq!(res.expect(201)["imported"], serde_json::json!([2027]));
    let day = app
        .get("/api/v1/calendar/is-workday?date=2027-01-01", Auth::Anon)
        .await
        .expect(200);
    assert_eq!(
        (day["covered"].clone(), day["working"].clone()),
        (true.into(), false.into())
    );
    assert_eq!(day["name"], "元旦");
    // 2026-12-31 16:00 + 4 working hours skips 元旦 and the weekend: Monday 2027-01-04.
    let res = app
        .get(
            "/api/v1/calendar/add?from=2026-12-31T16:00:00%2B08:00&working_hours=4",
            Auth::Anon,
        )
        .await
        .expect(200);
    assert_eq!(res["deadline"], "2027-01-04T11:00:00+08:00");
    assert_eq!(res["warnings"], serde_json::json!([]));
    assert_eq!(res["provisional"], false);

    // The admin screen lists it as imported; removing it brings the gap back.
    let page = app.get("/admin/calendar", Auth::Person(&admin)).await;
    assert_eq!(page.status, 200);
    assert!(
        page.text.contains("示例通知 sample notice"),
        "{}",
        page.text
    );
    let res = App::send(app.request(
        reqwest::Method::DELETE,
        "/api/v1/calendar/years/2027",
        Auth::Person(&admin),
    ))
    .await;
    assert_eq!(res.status, 204);
    let day = app
        .get("/api/v1/calendar/is-workday?date=2027-01-01", Auth::Anon)
        .await
        .expect(200);
    assert_eq!(day["covered"], false);
}

#[tokio::test]
async fn the_calendar_screen_keeps_a_bad_file_and_names_its_lines() {
    let app = App::start().await;
    let admin = app
        .above_halls("cal-admin", servicehall_domain::Role::Admin)
        .await;
    let manager = app.login("manager").await;
    assert_eq!(
        app.get("/admin/calendar", Auth::Person(&manager))
            .await
            .status,
        403
    );
    let page = app
        .get("/admin/calendar?edit=2026", Auth::Person(&admin))
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.text.contains("holiday 2026-02-15..2026-02-23 春节"),
        "the year to edit is prefilled"
    );
    let form = [
        ("_csrf", admin.csrf.as_str()),
        ("text", "year 2027 x\nworkday 2027-01-06 不是周末\n"),
    ];
    let res = App::send(
        app.request(
            reqwest::Method::POST,
            "/admin/calendar",
            Auth::PersonNoCsrf(&admin),
        )
        .form(&form),
    )
    .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(
        res.text
            .contains("<li>第 2 行 line 2: 调休上班日须为周六或周日，2027-01-06 是周三 2027-01-06 is a Wed; a make-up working day"),
        "one entry per wrong line: {}",
        res.text
    );
    assert!(res.text.contains("不是周末"), "the text is kept for fixing");
    assert!(app.store.imported_years().await.unwrap().is_empty());
}

/// A case opened on Thu 2027-02-04 counts its deadline on the provisional 2027 (春节 Feb 5–8
/// by the statutory rules) and says so; the official notice (春节 Feb 5–11) imported over the
/// API moves the deadline and the case's trail names the old and the new one.
#[tokio::test]
async fn importing_the_official_year_recomputes_open_deadlines_and_logs_them() {
    use servicehall_web::clock::ManualClock;
    let app = App::start_with_clock(ManualClock::at(1_801_706_400_000)).await;
    let clerk = app.clerk_on_duty(2).await;
    let hall = app.fx.hall.code.clone();
    let body = serde_json::json!({
        "kind": "application", "business_type": "new_connection", "customer_class": "resident",
        "customer_name": "张三丰", "customer_phone": "13812345678", "summary": "居民新装",
    });
    let case = app
        .post(
            &format!("/api/v1/halls/{hall}/cases"),
            Auth::Person(&clerk),
            Some(body),
        )
        .await
        .expect(201);
    let cid = case["id"].as_i64().unwrap();
    // 3 working days after Thu Feb 4: Feb 9, 10, Thu Feb 11 (17:30 +08:00).
    assert_eq!(case["clocks"][0]["view"]["deadline"], 1_802_338_200_000_i64);
    assert_eq!(case["clocks"][0]["provisional"], true);
    assert_eq!(case["provisional"], true);
    let list = app
        .get(
            &format!("/api/v1/halls/{hall}/cases?view=open"),
            Auth::Person(&clerk),
        )
        .await
        .expect(200);
    assert_eq!(list[0]["provisional"], true);

    let admin = app
        .above_halls("cal-admin", servicehall_domain::Role::Admin)
        .await;
    let notice = "year 2027 示例通知 sample notice\nholiday 2027-01-01 元旦\n\
        holiday 2027-02-05..2027-02-11 春节\nworkday 2027-02-20 春节调休\n";
    app.post(
        "/api/v1/calendar/years",
        Auth::Person(&admin),
        Some(serde_json::json!({ "text": notice })),
    )
    .await
    .expect(201);
    let case = app
        .get(&format!("/api/v1/cases/{cid}"), Auth::Person(&clerk))
        .await
        .expect(200);
    // Now Fri Feb 12, Mon Feb 15, Tue Feb 16.
    assert_eq!(case["clocks"][0]["view"]["deadline"], 1_802_770_200_000_i64);
    assert_eq!(case["clocks"][0]["provisional"], false);
    assert_eq!(case["calendar_warnings"], serde_json::json!([]));
    let trail = case["trail"].as_array().unwrap();
    let moved: Vec<_> = trail
        .iter()
        .filter(|e| e["kind"] == "deadline_recomputed")
        .collect();
    assert_eq!(moved.len(), 1, "{trail:?}");
    let note = moved[0]["note"].as_str().unwrap();
    assert!(
        note.contains("2027-02-11 17:30") && note.contains("2027-02-16 17:30"),
        "{note}"
    );
    assert_eq!(moved[0]["clock"], "scheme_reply.step");
    assert_eq!(moved[0]["data"]["old_deadline"], 1_802_338_200_000_i64);
}
