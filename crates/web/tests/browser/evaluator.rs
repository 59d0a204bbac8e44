//! The devices at a counter, at their sizes: the evaluator pad (1280×800) shows who served
//! (name, badge, photo) and a payment's read-back, and its reasons screen goes back to the
//! faces; the counter screen (1280×800) shows the number being served.

use super::*;
use crate::common::{App, Auth};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use reqwest::Method;
use servicehall_domain::DeviceKind;
use servicehall_store::EventStore;

/// A PNG as a data URL.
pub(super) fn png_url(w: u32, h: u32) -> String {
    let img = image::DynamicImage::new_rgb8(w, h);
    let mut bytes = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut bytes),
        image::ImageFormat::Png,
    )
    .unwrap();
    format!("data:image/png;base64,{}", BASE64.encode(bytes))
}

/// Whether the `img` inside element `id` loaded an image from a staff photo URL.
async fn photo_shown(b: &WebDriver, id: &str) -> bool {
    b.execute(
        "const i = document.querySelector('#' + arguments[0] + ' img'); return !!i && i.complete && i.naturalWidth > 0 && i.src.includes('/api/v1/staff/');",
        vec![serde_json::json!(id)],
    )
    .await
    .unwrap()
    .convert()
    .unwrap_or(false)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pad_and_the_counter_screen_show_who_serves_what() {
    let Some(d) = driver("the_pad_and_the_counter_screen_show_who_serves_what").await else {
        return;
    };
    let app = App::start().await;
    let c1 = app.fx.counter(1).id;
    let clerk_row = &app.fx.clerks[0];
    let manager = app.login("manager").await;
    let put = app
        .request(
            Method::PUT,
            &format!(
                "/api/v1/halls/{}/staff/{}/photo",
                app.fx.hall.code, clerk_row.id
            ),
            Auth::Person(&manager),
        )
        .json(&serde_json::json!({"photo": png_url(60, 80)}));
    App::send(put).await.expect(200);
    let clerk = app.clerk_on_duty(1).await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let pad_token = app.device(DeviceKind::Evaluator, Some(c1)).await;
    let screen_token = app.device(DeviceKind::CounterScreen, Some(c1)).await;

    let pad = browser(&d, 1280, 800).await;
    pad.goto(format!("{}/device/pair?token={pad_token}", app.base))
        .await
        .unwrap();
    wait_for("the pad idle", Duration::from_secs(10), || async {
        visible(&pad, "idle").await
    })
    .await;
    watch_errors(&pad).await;
    assert_eq!(text_of(&pad, "clerk-name").await, clerk_row.name);
    assert_eq!(text_of(&pad, "clerk-badge").await, clerk_row.badge_no);
    wait_for(
        "the clerk's photo on the pad",
        Duration::from_secs(5),
        || async { photo_shown(&pad, "clerk-photo").await },
    )
    .await;

    let screen = browser(&d, 1280, 800).await;
    screen
        .goto(format!("{}/device/pair?token={screen_token}", app.base))
        .await
        .unwrap();
    wait_for("the counter screen", Duration::from_secs(10), || async {
        text_of(&screen, "cs-badge").await == clerk_row.badge_no
    })
    .await;
    watch_errors(&screen).await;
    assert!(
        !visible(&screen, "cs-serving").await,
        "nobody is served yet"
    );
    wait_for(
        "the photo on the counter screen",
        Duration::from_secs(5),
        || async { photo_shown(&screen, "cs-photo").await },
    )
    .await;

    // Called: the counter screen shows the number; served and finished with a read-back.
    let issued = app.issue(Auth::Device(&kiosk), "payment").await;
    let id = issued["id"].as_i64().unwrap();
    app.call_next(&clerk, 1).await.expect("a ticket");
    wait_for(
        "the number on the counter screen",
        Duration::from_secs(8),
        || async { text_of(&screen, "cs-serving-number").await == "A001" },
    )
    .await;
    let v = super::accessibility::violations(&screen).await;
    assert!(v.is_empty(), "counter screen serving: {v:?}");
    app.serve_and_finish(&clerk, id).await;
    wait_for("the rating prompt", Duration::from_secs(8), || async {
        visible(&pad, "ask").await && visible(&pad, "amounts").await
    })
    .await;
    assert_eq!(text_of(&pad, "amt-due").await, "¥123.45");
    assert_eq!(text_of(&pad, "amt-received").await, "¥150.00");
    assert_eq!(text_of(&pad, "amt-change").await, "¥26.55");
    assert_eq!(text_of(&pad, "ask-name").await, clerk_row.name);
    assert_eq!(text_of(&pad, "ask-badge").await, clerk_row.badge_no);
    assert!(photo_shown(&pad, "ask-photo").await);
    let v = super::accessibility::violations(&pad).await;
    assert!(v.is_empty(), "the pad's rating screen: {v:?}");
    // Every part of the prompt is on the pad's screen.
    let (_, bottom) = vertical_extent(&pad, "ask").await;
    assert!(
        bottom <= 800.0,
        "the prompt runs off the pad ({bottom}px of 800)"
    );
    wait_for(
        "the counter screen clears",
        Duration::from_secs(8),
        || async { !visible(&screen, "cs-serving").await },
    )
    .await;

    // A bad face asks why; Back returns to the faces with nothing sent.
    click(&pad, ".levels button[data-level='1']").await;
    wait_for("the reasons", Duration::from_secs(5), || async {
        visible(&pad, "why").await
    })
    .await;
    click(&pad, "#reason-list input").await;
    click(&pad, "#why-back").await;
    wait_for("the faces again", Duration::from_secs(5), || async {
        visible(&pad, "ask").await && !visible(&pad, "why").await
    })
    .await;
    let ratings = |app: &App| {
        let store = app.store.clone();
        let hall = app.fx.hall.id;
        async move { store.ratings_between(hall, 0, i64::MAX).await.unwrap() }
    };
    assert!(ratings(&app).await.is_empty(), "Back sends nothing");
    click(&pad, ".levels button[data-level='4']").await;
    wait_for("thanks", Duration::from_secs(5), || async {
        visible(&pad, "thanks").await
    })
    .await;
    let r = ratings(&app).await;
    assert_eq!((r.len(), r[0].level, r[0].ticket_id), (1, 4, id));
    no_js_errors(&pad).await;
    no_js_errors(&screen).await;
    for b in [pad, screen] {
        quit(b).await;
    }
}
