//! Going live (issue 13): readiness beside liveness, and the next year's holiday schedule
//! asked for on the administration overview before 1 January.

use crate::common::{App, Auth};
use servicehall_web::clock::ManualClock;

/// 2026-09-30 12:00 and 2026-10-01 12:00 in Beijing.
const SEPT_30: i64 = 1_790_740_800_000;
const OCT_1: i64 = SEPT_30 + 86_400_000;

#[tokio::test]
async fn the_overview_asks_for_next_years_schedule_from_october() {
    let app = App::start_with_clock(ManualClock::at(SEPT_30)).await;
    let admin = app
        .above_halls("golive-admin", servicehall_domain::Role::Admin)
        .await;
    let page = app.get("/admin", Auth::Person(&admin)).await;
    assert_eq!(page.status, 200);
    assert!(!page.text.contains("calendar-due"), "not yet in September");

    app.clock().set(OCT_1);
    // A day later the session has expired: sign in again.
    let admin = app
        .above_halls("golive-admin2", servicehall_domain::Role::Admin)
        .await;
    let page = app.get("/admin", Auth::Person(&admin)).await;
    assert!(page.text.contains("id=\"calendar-due\""), "{}", page.text);
    let zh = page
        .text
        .find("2027 年节假日安排尚未导入")
        .expect(&page.text);
    let en = page
        .text
        .find("The 2027 holiday schedule is not imported")
        .unwrap();
    assert!(zh < en);
    // A hall's own manager does not run the calendar and is not told.
    let manager = app.login("manager").await;
    let page = app.get("/admin", Auth::Person(&manager)).await;
    assert!(!page.text.contains("calendar-due"));

    // Imported: the warning goes.
    let body =
        serde_json::json!({ "text": "year 2027 示例通知 sample\nholiday 2027-01-01 元旦\n" });
    app.post("/api/v1/calendar/years", Auth::Person(&admin), Some(body))
        .await
        .expect(201);
    let page = app.get("/admin", Auth::Person(&admin)).await;
    assert!(!page.text.contains("calendar-due"));
}

#[tokio::test]
async fn readyz_answers_200_while_the_database_takes_writes() {
    let app = App::start().await;
    let res = app.get("/readyz", Auth::Anon).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.text, "ready");
    let res = app.get("/healthz", Auth::Anon).await;
    assert_eq!(res.status, 200);
}
