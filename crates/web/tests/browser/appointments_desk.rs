//! The desk's `/appointments` in the browser (1366×768, the manager's and guide's screen):
//! today's bookings listed, one checked in from its row, another turned 爽约 by the no-show
//! step once its time has passed, and the booking rules refusing bad input with a bilingual
//! message beside the form (then saved, and audited).

use super::*;
use crate::common::{App, Auth};
use servicehall_store::FeedbackSettingsStore;
use servicehall_web::clock::ManualClock;
use servicehall_web::{AppState, WebConfig};

/// Monday 2026-03-09 10:00 in Shanghai.
const NOW: i64 = 1_773_021_600_000;
const MIN: i64 = 60_000;

async fn set_value(b: &WebDriver, id: &str, text: &str) {
    let e = b.find(By::Id(id)).await.unwrap();
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_desk_lists_checks_in_marks_no_shows_and_guards_its_rules() {
    let Some(d) = driver("the_desk_lists_checks_in_marks_no_shows_and_guards_its_rules").await
    else {
        return;
    };
    let app = App::start_with_clock(ManualClock::at(NOW)).await;
    let (base, hall) = (app.base.clone(), app.fx.hall.code.clone());
    let guide = app.login("guide").await;
    let mut codes = Vec::new();
    for (phone, name) in [("13900001001", "周女士"), ("13900001002", "吴先生")] {
        let booked = app
            .post(
                &format!("/api/v1/halls/{hall}/appointments"),
                Auth::Person(&guide),
                Some(
                    serde_json::json!({"business_type": "payment", "date": "2026-03-09",
                    "time": "10:00", "phone": phone, "name": name}),
                ),
            )
            .await
            .expect(201);
        codes.push(booked["code"].as_str().unwrap().to_string());
    }
    let b = browser(&d, 1366, 768).await;
    sign_in(&b, &base, "manager").await;
    b.goto(format!("{base}/appointments")).await.unwrap();
    watch_errors(&b).await;
    wait_for("today's bookings", Duration::from_secs(5), || async {
        let t = css_text(&b, "#d-table tbody").await;
        t.contains(&codes[0]) && t.contains(&codes[1])
    })
    .await;
    let listed = css_text(&b, "#d-table tbody").await;
    assert!(listed.contains("139****1001"), "masked phones: {listed}");
    assert!(text_of(&b, "d-counts").await.contains("已预约 2"));

    // Check the first one in from its row: it turns 已签到 · 优先.
    let desk = b.window().await.unwrap();
    click(&b, &format!("[data-checkin='{}']", codes[0])).await;
    wait_for("the check-in", Duration::from_secs(5), || async {
        text_of(&b, "d-counts").await.contains("已签到 1")
    })
    .await;
    let first_row = css_text(&b, "#d-table tbody tr:first-child").await;
    assert!(
        first_row.contains("已签到") && first_row.contains("优先"),
        "{first_row}"
    );
    // The slip opens in its own tab for printing; the desk stays where it was.
    b.switch_to_window(desk).await.unwrap();

    // 10:41: the second was not checked in by 10:30 + 10 minutes' grace.
    app.clock().advance(41 * MIN);
    let state = AppState::new(app.store.clone(), WebConfig::default())
        .with_clock(ManualClock::at(app.now()));
    servicehall_web::notify::scan::step(&state, app.now())
        .await
        .unwrap();
    click(&b, "#d-date-form button").await;
    wait_for("the no-show", Duration::from_secs(5), || async {
        text_of(&b, "d-counts").await.contains("爽约 1")
    })
    .await;
    let rows = css_text(&b, "#d-table tbody").await;
    assert!(rows.contains("爽约"), "{rows}");
    assert!(
        b.find(By::Css(format!("[data-checkin='{}']", codes[1])))
            .await
            .is_err(),
        "a no-show has no check-in button"
    );

    // The booking rules refuse a grace of 90 minutes, in Chinese first, beside the form.
    click(&b, "#d-settings summary").await;
    set_value(&b, "ds-grace", "90").await;
    click(&b, "#d-settings-form button").await;
    wait_for("the refusal", Duration::from_secs(5), || async {
        visible(&b, "ds-error").await
    })
    .await;
    let msg = text_of(&b, "ds-error").await;
    assert!(
        msg.starts_with("签到宽限最多 60 分钟") && msg.contains("grace is at most 60 minutes"),
        "{msg}"
    );
    assert!(
        app.store
            .settings_audit(Some(app.fx.hall.id), 10)
            .await
            .unwrap()
            .is_empty(),
        "nothing saved"
    );
    set_value(&b, "ds-grace", "15").await;
    click(&b, "#d-settings-form button").await;
    wait_for("the save", Duration::from_secs(5), || async {
        text_of(&b, "ds-updated").await.contains("已保存")
    })
    .await;
    assert!(!visible(&b, "ds-error").await, "the refusal is gone");
    let audit = app
        .store
        .settings_audit(Some(app.fx.hall.id), 10)
        .await
        .unwrap();
    assert!(
        audit
            .iter()
            .any(|c| c.setting == "appointments.grace_min" && c.new_value == "15"),
        "{audit:?}"
    );
    no_js_errors(&b).await;
    quit(b).await;
}
