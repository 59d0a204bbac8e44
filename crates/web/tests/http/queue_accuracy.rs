//! The wait estimate's accuracy over HTTP: the figures, who may see them, bad dates, and the
//! dashboard's section. The simulated day is `queue_accuracy_day.rs`.

use crate::common::{App, Auth, MONDAY_10AM};
use servicehall_domain::DeviceKind;
use servicehall_web::clock::ManualClock;

const MIN: i64 = 60_000;

#[tokio::test]
async fn accuracy_compares_each_slips_estimate_with_its_first_call() {
    let app = App::start_with_clock(ManualClock::at(MONDAY_10AM)).await;
    let clerk = app.clerk_on_duty(1).await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    // Counter 1 alone serves payment: 0, then 1 ahead × 5 min (the configured time).
    let first = app.issue(Auth::Device(&kiosk), "payment").await;
    let second = app.issue(Auth::Device(&kiosk), "payment").await;
    let third = app.issue(Auth::Device(&kiosk), "payment").await;
    assert_eq!(first["estimated_wait_s"], 0);
    assert_eq!(second["estimated_wait_s"], 300);
    assert_eq!(third["estimated_wait_s"], 600);
    // The first is called after 2 min (error 120 s), recalled later (not a new call).
    app.clock().advance(2 * MIN);
    let t = app.call_next(&clerk, 1).await.unwrap();
    assert_eq!(t["id"], first["id"]);
    app.clock().advance(MIN);
    app.act(&clerk, t["id"].as_i64().unwrap(), "recall", None)
        .await
        .expect(200);
    app.serve_and_finish_after(&clerk, t["id"].as_i64().unwrap(), 9 * MIN)
        .await;
    // The second after 12 min 30 s (error 450 s: outside ±5 min); the third never.
    app.clock().advance(30_000);
    let t = app.call_next(&clerk, 1).await.unwrap();
    assert_eq!(t["id"], second["id"]);

    let manager = app.login("manager").await;
    let hall = &app.fx.hall.code;
    let url = |q: &str| format!("/api/v1/halls/{hall}/estimate-accuracy{q}");
    let got = app
        .get(
            &url("?from=2026-06-01&to=2026-06-01"),
            Auth::Person(&manager),
        )
        .await
        .expect(200);
    assert_eq!(got["from"], "2026-06-01");
    let types = got["types"].as_array().unwrap();
    assert_eq!(types.len(), 1, "{got}");
    let pay = &types[0];
    assert_eq!(pay["code"], "payment");
    assert_eq!(pay["name_zh"], "电费缴纳");
    assert_eq!(pay["n"], 2);
    assert_eq!(pay["never_called"], 1);
    assert_eq!(pay["mae_s"], 285); // (120 + 450) / 2
    assert_eq!(pay["mae_min"], 4.8);
    assert_eq!(pay["within_5min_pct"], 50.0);
    assert_eq!(got["overall"]["n"], 2);
    assert_eq!(got["overall"]["mae_s"], 285);
    // Without dates: today. A day with nothing: no types, no figures.
    let today = app.get(&url(""), Auth::Person(&manager)).await.expect(200);
    assert_eq!(today["types"], got["types"]);
    let empty = app
        .get(
            &url("?from=2026-05-01&to=2026-05-31"),
            Auth::Person(&manager),
        )
        .await
        .expect(200);
    assert_eq!(empty["types"].as_array().unwrap().len(), 0);
    assert_eq!(empty["overall"]["n"], 0);
    assert!(empty["overall"]["mae_s"].is_null());

    // Figures are for those who may see the hall's statistics.
    let clerk_sees = app.get(&url(""), Auth::Person(&clerk)).await;
    assert_eq!(clerk_sees.status, 403);
    assert_eq!(app.get(&url(""), Auth::Device(&kiosk)).await.status, 403);
    assert_eq!(app.get(&url(""), Auth::Anon).await.status, 401);
}

#[tokio::test]
async fn bad_dates_are_refused_in_both_languages() {
    let app = App::start_with_clock(ManualClock::at(MONDAY_10AM)).await;
    let manager = app.login("manager").await;
    let hall = &app.fx.hall.code;
    for (q, zh, en) in [
        (
            "?from=2026-13-01",
            "须为日期",
            "from must be a date YYYY-MM-DD",
        ),
        (
            "?from=2026-06-01&to=june",
            "须为日期",
            "to must be a date YYYY-MM-DD",
        ),
        (
            "?from=2026-06-02&to=2026-06-01",
            "起始日期晚于结束日期",
            "from must not be after to",
        ),
        (
            "?from=2024-01-01&to=2026-06-01",
            "一次最多查询",
            "at most 366 days",
        ),
    ] {
        let res = app
            .get(
                &format!("/api/v1/halls/{hall}/estimate-accuracy{q}"),
                Auth::Person(&manager),
            )
            .await;
        let detail = res.problem(422);
        assert!(detail.contains(zh) && detail.contains(en), "{q}: {detail}");
        assert!(detail.find(zh) < detail.find(en), "Chinese first: {detail}");
    }
}

#[tokio::test]
async fn the_dashboard_shows_the_accuracy_section() {
    let app = App::start_with_clock(ManualClock::at(MONDAY_10AM)).await;
    let manager = app.login("manager").await;
    let page = app.get("/manager", Auth::Person(&manager)).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("预计等候准确度"), "{}", page.text);
    assert!(page.text.contains("近 7 天尚无记录的预计等候"));
    // A visit yesterday and one today: both in the 7 days, only one today.
    let clerk = app.clerk_on_duty(1).await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    app.clock().set(MONDAY_10AM - 24 * 60 * MIN);
    app.issue(Auth::Device(&kiosk), "payment").await;
    app.clock().advance(7 * MIN);
    app.call_next(&clerk, 1).await.unwrap();
    app.clock().set(MONDAY_10AM);
    app.issue(Auth::Device(&kiosk), "payment").await;
    app.clock().advance(MIN);
    let page = app.get("/manager", Auth::Person(&manager)).await;
    assert_eq!(page.status, 200);
    let table = &page.text[page.text.find("id=\"accuracy\"").expect("the table")..];
    // 电费缴纳: today nobody called yet (0, —), the week 1 estimate 7 min off (0.0% within).
    assert!(table.contains("电费缴纳"), "{table}");
    let row: String = table
        .split("</tr>")
        .find(|r| r.contains("电费缴纳"))
        .unwrap()
        .split_whitespace()
        .collect();
    assert!(
        row.contains("<td>0</td><td>—</td><td>—</td><td>1</td><td>7.0</td><td>0.0%</td>"),
        "{row}"
    );
}
