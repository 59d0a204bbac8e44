//! The lobby display under a burst of calls, in the browser.

use super::*;
use crate::common::{App, Auth};
use servicehall_domain::DeviceKind;

/// Three calls within a second all show on the lobby display at once (the last three
/// large); the big number takes them in turn, each held at least 5 s; a recall is marked 重呼.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lobby_display_shows_a_burst_of_calls_in_turn() {
    let Some(d) = driver("lobby_display_shows_a_burst_of_calls_in_turn").await else {
        return;
    };
    let app = App::start().await;
    let token = app.device(DeviceKind::Display, None).await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let display = browser(&d, 1920, 1080).await;
    display
        .goto(format!("{}/device/pair?token={token}", app.base))
        .await
        .unwrap();
    watch_errors(&display).await;
    wait_for("lobby display", Duration::from_secs(10), || async {
        visible(&display, "call-number").await && !text_of(&display, "counters").await.is_empty()
    })
    .await;
    let mut clerks = Vec::new();
    for n in 1..=3 {
        clerks.push(app.clerk_on_duty(n).await);
    }
    for bt in ["payment", "new_connection", "payment"] {
        app.issue(Auth::Device(&kiosk), bt).await;
    }
    let mut called = Vec::new();
    for (i, s) in clerks.iter().enumerate() {
        let t = app
            .call_next(s, i as i64 + 1)
            .await
            .expect("a ticket to call");
        called.push((
            t["id"].as_i64().unwrap(),
            t["number"].as_str().unwrap().to_string(),
        ));
    }
    let numbers: Vec<&str> = called.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(numbers, ["A001", "B001", "A002"]);

    wait_for(
        "all three calls on screen",
        Duration::from_secs(3),
        || async {
            let latest = text_of(&display, "latest").await;
            numbers.iter().all(|n| latest.contains(n))
        },
    )
    .await;
    let shown_at = |d: &WebDriver| {
        let d = d.clone();
        async move {
            let v = d
                .execute(
                    "return Number(document.getElementById('current').dataset.shownAt)",
                    vec![],
                )
                .await
                .unwrap();
            v.json().as_f64().unwrap()
        }
    };
    assert_eq!(
        text_of(&display, "call-number").await,
        "A001",
        "the first call first"
    );
    let first_at = shown_at(&display).await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(
        text_of(&display, "call-number").await,
        "A001",
        "a call is held, not replaced within a second"
    );
    wait_for(
        "the second call in turn",
        Duration::from_secs(8),
        || async { text_of(&display, "call-number").await == "B001" },
    )
    .await;
    // Measured in the page's own time, so a slow test machine cannot shorten it.
    let held_ms = shown_at(&display).await - first_at;
    assert!(held_ms >= 4900.0, "A001 held only {held_ms} ms");
    assert!(text_of(&display, "call-counter").await.contains('2'));

    // Counter 1 calls A001 again: marked 重呼 on the screen.
    let r = app.act(&clerks[0], called[0].0, "recall", None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    wait_for("the recall marked", Duration::from_secs(3), || async {
        text_of(&display, "latest").await.contains("重呼")
    })
    .await;
    let latest = text_of(&display, "latest").await;
    assert!(
        latest.starts_with("A001"),
        "the recall is the newest: {latest}"
    );
    no_js_errors(&display).await;
    quit(display).await;
}
