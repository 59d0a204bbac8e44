//! The customer's screens at their device sizes (issue 14): the phone page (390×844) leaves
//! the queue and says "on my way", warns when N or fewer are ahead and refuses a second
//! rating; the kiosk's large-text mode (1080×1920); the lobby display's scrolling waiting
//! table (1920×1080).

use super::*;
use crate::common::{App, Auth};
use serde_json::Value;
use servicehall_domain::DeviceKind;
use servicehall_store::HallStore;

async fn open_display(d: &Driver, base: &str, token: &str) -> WebDriver {
    let display = browser(d, 1920, 1080).await;
    display
        .goto(format!("{base}/device/pair?token={token}"))
        .await
        .unwrap();
    watch_errors(&display).await;
    display
}

async fn queue_view(app: &App) -> Value {
    let guide = app.login("guide").await;
    let hall = &app.fx.hall.code;
    app.get(&format!("/api/v1/halls/{hall}/queue"), Auth::Person(&guide))
        .await
        .expect(200)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phone_leaves_the_queue_says_on_my_way_and_is_warned_near_the_front() {
    let Some(d) =
        driver("phone_leaves_the_queue_says_on_my_way_and_is_warned_near_the_front").await
    else {
        return;
    };
    let app = App::start().await;
    let base = app.base.clone();
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let display_token = app.device(DeviceKind::Display, None).await;
    // The hall warns at 1 ahead.
    app.store
        .change_notify_ahead(app.fx.hall.id, 1, None, app.now())
        .await
        .unwrap();
    let mut t = Vec::new();
    for _ in 0..4 {
        t.push(app.issue(Auth::Device(&kiosk), "payment").await);
    }
    let code = |i: usize| t[i]["code"].as_str().unwrap().to_string();

    let display = open_display(&d, &base, &display_token).await;
    wait_for("A002 on the display", Duration::from_secs(10), || async {
        css_text(&display, "#waits tr[data-number='A002']")
            .await
            .contains("A002")
    })
    .await;

    // A002 leaves from the phone, after confirming.
    let phone = browser(&d, 390, 844).await;
    phone.goto(format!("{base}/t/{}", code(1))).await.unwrap();
    watch_errors(&phone).await;
    // One ahead of A002, and the hall warns at one: the notice is up from the start.
    assert!(visible(&phone, "f-near").await);
    click(&phone, "#f-leave").await;
    assert!(visible(&phone, "f-confirm").await, "leaving asks first");
    assert!(text_of(&phone, "f-confirm").await.contains("确定取消排队"));
    click(&phone, "#f-leave-yes").await;
    wait_for(
        "the phone says the ticket left",
        Duration::from_secs(5),
        || async { visible(&phone, "f-left").await },
    )
    .await;
    assert!(!visible(&phone, "f-leave").await && !visible(&phone, "f-on-way").await);
    // The display drops it at once (the hall's live stream), not at its 30 s refresh.
    let took = wait_for(
        "A002 gone from the display",
        Duration::from_secs(5),
        || async {
            let table = text_of(&display, "waits").await;
            table.contains("A003") && !table.contains("A002")
        },
    )
    .await;
    assert!(took < Duration::from_secs(3), "took {took:?}");
    no_js_errors(&phone).await;

    // A004 follows with 2 ahead (A001, A003): no notice yet; vibration counted.
    phone.goto(format!("{base}/t/{}", code(3))).await.unwrap();
    watch_errors(&phone).await;
    phone
        .execute(
            "window.__vibrations = 0; navigator.vibrate = () => { window.__vibrations++; return true; };",
            vec![],
        )
        .await
        .unwrap();
    assert!(text_of(&phone, "f-ahead").await == "2");
    assert!(!visible(&phone, "f-near").await);
    // I'm on my way: the phone confirms and the counter's queue view carries the mark.
    click(&phone, "#f-on-way").await;
    wait_for("on my way noted", Duration::from_secs(5), || async {
        visible(&phone, "f-on-way-done").await
    })
    .await;
    assert!(!visible(&phone, "f-on-way").await, "said once");
    let q = queue_view(&app).await;
    let a004 = q["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["number"] == "A004")
        .unwrap();
    assert!(a004["on_way_at"].is_i64(), "{a004}");

    // The counter calls A001: A004 now has 1 ahead and the notice shows, with a vibration.
    let clerk = app.clerk_on_duty(1).await;
    assert_eq!(app.call_next(&clerk, 1).await.unwrap()["number"], "A001");
    wait_for("the near notice", Duration::from_secs(8), || async {
        visible(&phone, "f-near").await
    })
    .await;
    let near = text_of(&phone, "f-near").await;
    assert!(
        near.contains("快到您了") && near.contains("Almost your turn"),
        "{near}"
    );
    let (top, bottom) = vertical_extent(&phone, "f-near").await;
    assert!(
        top >= 0.0 && bottom <= 844.0,
        "the notice is on screen ({top}–{bottom})"
    );
    let vibrations: i64 = phone
        .execute("return window.__vibrations", vec![])
        .await
        .unwrap()
        .convert()
        .unwrap();
    assert_eq!(vibrations, 1, "one vibration when the threshold is crossed");
    // The notice, the steps and the confirmation meet WCAG 2.1 AA.
    click(&phone, "#f-leave").await;
    let found = super::accessibility::violations(&phone).await;
    assert!(found.is_empty(), "phone page: {found:#?}");
    no_js_errors(&phone).await;
    no_js_errors(&display).await;
    quit(phone).await;
    quit(display).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visit_rated_on_the_pad_shows_rated_on_the_phone() {
    let Some(d) = driver("a_visit_rated_on_the_pad_shows_rated_on_the_phone").await else {
        return;
    };
    let app = App::start().await;
    let base = app.base.clone();
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let pad = app
        .device(DeviceKind::Evaluator, Some(app.fx.counter(1).id))
        .await;
    let clerk = app.clerk_on_duty(1).await;
    let visit = app.finished_visit(&clerk, &kiosk).await;
    let code = visit["code"].as_str().unwrap().to_string();
    let phone = browser(&d, 390, 844).await;
    phone.goto(format!("{base}/t/{code}")).await.unwrap();
    wait_for("the rate button", Duration::from_secs(5), || async {
        visible(&phone, "f-rate").await
    })
    .await;
    // The pad rates; the open phone page turns to 已评价 by itself.
    let id = visit["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/tickets/{id}/rating"),
        Auth::Device(&pad),
        Some(serde_json::json!({"level": 5})),
    )
    .await
    .expect(201);
    wait_for("已评价 on the phone", Duration::from_secs(8), || async {
        visible(&phone, "f-rated").await
    })
    .await;
    assert!(!visible(&phone, "f-rate").await, "no second rating offered");
    // The rating page says so, and the API refuses in both languages.
    phone.goto(format!("{base}/t/{code}/rate")).await.unwrap();
    assert!(text_of(&phone, "r-closed").await.contains("已评价"));
    assert!(!visible(&phone, "r-form").await);
    let refused: Vec<Value> = phone
        .execute(
            "return fetch(`/api/v1/public/tickets/${arguments[0]}/rating`, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{\"level\": 4}'}).then(async r => [r.status, (await r.json()).detail]);",
            vec![serde_json::json!(code)],
        )
        .await
        .unwrap()
        .convert()
        .unwrap();
    assert_eq!(refused[0], 409);
    let detail = refused[1].as_str().unwrap();
    assert!(
        detail.contains("已经评价过") && detail.contains("already been rated"),
        "{detail}"
    );
    quit(phone).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kiosk_large_text_stays_on_screen_and_the_display_scrolls_thirty_waiting() {
    let Some(d) =
        driver("kiosk_large_text_stays_on_screen_and_the_display_scrolls_thirty_waiting").await
    else {
        return;
    };
    let app = App::start().await;
    let base = app.base.clone();
    let kiosk_token = app.device(DeviceKind::Kiosk, None).await;
    let display_token = app.device(DeviceKind::Display, None).await;

    let kiosk = browser(&d, 1080, 1920).await;
    kiosk
        .goto(format!("{base}/device/pair?token={kiosk_token}"))
        .await
        .unwrap();
    watch_errors(&kiosk).await;
    // Every tile has its icon, drawn inline.
    wait_for("tiles", Duration::from_secs(10), || async {
        kiosk.find(By::Css(".tile .icon svg")).await.is_ok()
    })
    .await;
    let tiles = kiosk.find_all(By::Css(".tile")).await.unwrap().len();
    let icons = kiosk
        .find_all(By::Css(".tile .icon svg"))
        .await
        .unwrap()
        .len();
    assert_eq!((tiles, icons), (3, 3));
    click(&kiosk, ".tile[data-code='payment']").await;
    wait_for("issued number", Duration::from_secs(10), || async {
        text_of(&kiosk, "issued-number").await == "A001"
    })
    .await;
    let spoken = kiosk
        .find(By::Id("issued"))
        .await
        .unwrap()
        .attr("data-spoken")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(
        spoken.contains("A 0 0 1") && spoken.contains("前面还有0人"),
        "{spoken}"
    );
    let box_of = |id: &'static str| {
        let k = kiosk.clone();
        async move {
            let r: Vec<f64> = k
                .execute(
                    "const r = document.getElementById(arguments[0]).getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom];",
                    vec![serde_json::json!(id)],
                )
                .await
                .unwrap()
                .convert()
                .unwrap();
            r
        }
    };
    let normal = box_of("issued-number").await;
    click(&kiosk, "#btn-large").await;
    let large = box_of("issued-number").await;
    let height = |r: &[f64]| r[3] - r[1];
    assert!(
        height(&large) > 1.3 * height(&normal),
        "large text enlarges the number: {normal:?} → {large:?}"
    );
    let card = box_of("issued").await;
    assert!(
        card[0] >= 0.0 && card[1] >= 0.0 && card[2] <= 1080.0 && card[3] <= 1920.0,
        "the number box leaves the 1080×1920 screen: {card:?}"
    );
    assert!(
        large[2] <= card[2] && large[0] >= card[0],
        "the number overflows its box"
    );
    let found = super::accessibility::violations(&kiosk).await;
    assert!(found.is_empty(), "kiosk in large text: {found:#?}");
    no_js_errors(&kiosk).await;
    quit(kiosk).await;

    // Thirty waiting (the guide desk issues them: a kiosk is held to its tap rate): the
    // table does not fit, so it scrolls until its last row shows.
    let guide = app.login("guide").await;
    for i in 0..29 {
        let bt = ["payment", "new_connection", "inquiry"][i % 3];
        app.issue(Auth::Person(&guide), bt).await;
    }
    let display = open_display(&d, &base, &display_token).await;
    wait_for("30 rows", Duration::from_secs(10), || async {
        display
            .find_all(By::Css("#waits tr[data-number]"))
            .await
            .map(|r| r.len() == 30)
            .unwrap_or(false)
    })
    .await;
    let scroll = || async {
        let v: Vec<f64> = display
            .execute(
                "const s = document.getElementById('waits-scroll'); const last = [...document.querySelectorAll('#waits tr')].pop().getBoundingClientRect(); const box = s.getBoundingClientRect(); return [s.scrollTop, s.scrollHeight, s.clientHeight, last.bottom, box.bottom];",
                vec![],
            )
            .await
            .unwrap()
            .convert()
            .unwrap();
        v
    };
    let first = scroll().await;
    assert!(
        first[1] > first[2],
        "30 rows fit without scrolling? {first:?}"
    );
    assert!(first[3] > first[4], "the last row starts hidden: {first:?}");
    // About 33 px a second: some 1000 px of overflow take half a minute.
    wait_for(
        "the last row scrolled into view",
        Duration::from_secs(60),
        || async {
            let s = scroll().await;
            s[3] <= s[4] + 1.0
        },
    )
    .await;
    assert!(scroll().await[0] > 0.0, "scrolled");
    // Then it starts again from the top.
    wait_for("back to the top", Duration::from_secs(10), || async {
        scroll().await[0] == 0.0
    })
    .await;
    no_js_errors(&display).await;
    quit(display).await;
}
