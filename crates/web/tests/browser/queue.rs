//! The hall's day in the browser.

use super::*;
use crate::common::App;
use servicehall_domain::DeviceKind;
use servicehall_store::{EventStore, QueueStore};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kiosk_counter_display_evaluator() {
    let Some(d) = driver("kiosk_counter_display_evaluator").await else {
        return;
    };
    let app = App::start().await;
    let base = app.base.clone();
    let c1 = app.fx.counter(1).id;
    let kiosk_token = app.device(DeviceKind::Kiosk, None).await;
    let display_token = app.device(DeviceKind::Display, None).await;
    let pad_token = app.device(DeviceKind::Evaluator, Some(c1)).await;

    // The lobby display and the evaluator pad stay open all along, each in its own browser.
    let display = browser(&d, 1920, 1080).await;
    display
        .goto(format!("{base}/device/pair?token={display_token}"))
        .await
        .unwrap();
    wait_for("lobby display", Duration::from_secs(10), || async {
        visible(&display, "call-number").await
    })
    .await;
    let pad = browser(&d, 1280, 800).await;
    pad.goto(format!("{base}/device/pair?token={pad_token}"))
        .await
        .unwrap();
    wait_for("evaluator idle", Duration::from_secs(10), || async {
        visible(&pad, "idle").await
    })
    .await;

    // A customer takes a 咨询 ticket at the kiosk.
    let kiosk = browser(&d, 1080, 1920).await;
    kiosk
        .goto(format!("{base}/device/pair?token={kiosk_token}"))
        .await
        .unwrap();
    watch_errors(&kiosk).await;
    click(&kiosk, ".tile[data-code='inquiry']").await;
    wait_for("issued number", Duration::from_secs(10), || async {
        text_of(&kiosk, "issued-number").await == "C001"
    })
    .await;
    // The number is on the portrait screen, not below its bottom edge, and the tiles are
    // gone while it shows, so a second tap cannot issue a second ticket.
    assert!(
        !visible(&kiosk, "tiles").await,
        "the tiles stay on screen (and tappable) after a tap"
    );
    let (_, bottom) = vertical_extent(&kiosk, "issued-number").await;
    assert!(
        bottom <= 1920.0,
        "the ticket number is drawn below the screen's edge (bottom at {bottom}px)"
    );
    no_js_errors(&kiosk).await;
    quit(kiosk).await;

    // The clerk opens counter 1 with their badge and calls.
    let clerk = browser(&d, 1440, 900).await;
    sign_in(&clerk, &base, "clerk1").await;
    assert!(
        clerk
            .current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/counter")
    );
    // Until a counter is open the console is not drawn (an empty frame showed under the
    // counter list).
    wait_for("the counter list", Duration::from_secs(10), || async {
        visible(&clerk, "open-panel").await
    })
    .await;
    assert!(
        !visible(&clerk, "console").await,
        "an empty console under the counter list"
    );
    click(&clerk, &format!("#open-list button[data-id=\'{c1}\']")).await;
    wait_for("console", Duration::from_secs(10), || async {
        visible(&clerk, "btn-call").await
    })
    .await;
    watch_errors(&clerk).await;
    click(&clerk, "#btn-call").await;
    // The call reaches the lobby display within one second.
    let took = wait_for(
        "the call on the lobby display",
        Duration::from_secs(3),
        || async { text_of(&display, "call-number").await == "C001" },
    )
    .await;
    assert!(
        took < Duration::from_secs(1),
        "the call took {took:?} to reach the display"
    );
    assert!(text_of(&display, "call-counter").await.contains('1'));
    assert!(text_of(&display, "latest").await.contains("C001"));

    wait_for("start button", Duration::from_secs(5), || async {
        visible(&clerk, "btn-start").await
    })
    .await;
    click(&clerk, "#btn-start").await;
    wait_for("finish button", Duration::from_secs(5), || async {
        visible(&clerk, "btn-finish").await
    })
    .await;
    click(&clerk, "#btn-finish").await;
    // 办结 asks how the visit ended; 办结 (completed) is the default.
    click(&clerk, "#finish-confirm").await;

    // The pad asks for the rating only now, and the customer gives 非常满意.
    wait_for("rating prompt", Duration::from_secs(5), || async {
        visible(&pad, "ask").await
    })
    .await;
    assert_eq!(text_of(&pad, "ask-number").await, "C001");
    click(&pad, ".levels button[data-level='5']").await;
    wait_for("thanks", Duration::from_secs(5), || async {
        visible(&pad, "thanks").await
    })
    .await;
    let ratings = app
        .store
        .ratings_between(app.fx.hall.id, 0, i64::MAX)
        .await
        .unwrap();
    assert_eq!(ratings.len(), 1);
    assert_eq!((ratings[0].level, ratings[0].counter_id), (5, c1));
    no_js_errors(&clerk).await;

    for b in [clerk, pad, display] {
        quit(b).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guide_desk_payment_receipt_and_phone_page() {
    let Some(d) = driver("guide_desk_payment_receipt_and_phone_page").await else {
        return;
    };
    let app = App::start().await;
    let base = app.base.clone();

    // The guide triages an elderly customer to the green channel for a payment, on the
    // desk's 1366×768 screen.
    let guide = browser(&d, 1366, 768).await;
    sign_in(&guide, &base, "guide").await;
    guide.goto(format!("{base}/guide")).await.unwrap();
    watch_errors(&guide).await;
    wait_for("business types", Duration::from_secs(5), || async {
        guide.find(By::Css("#bt-select option")).await.is_ok()
    })
    .await;
    click(&guide, "#bt-select option[value='payment']").await;
    click(&guide, "#green").await;
    click(&guide, "#green-reason option:nth-child(2)").await;
    click(&guide, "#issue-btn").await;
    wait_for("issued", Duration::from_secs(5), || async {
        text_of(&guide, "issued-number").await == "A001"
    })
    .await;
    let (top, bottom) = vertical_extent(&guide, "issued-number").await;
    assert!(
        top >= 0.0 && bottom <= 768.0,
        "the issued number is off the desk's screen ({top}–{bottom}px of 768)"
    );
    no_js_errors(&guide).await;
    let waiting = app.store.waiting(app.fx.hall.id).await.unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].priority, servicehall_domain::Priority::Green);
    assert!(waiting[0].green_reason.contains("老年人"));
    let code = waiting[0].code.clone();
    quit(guide).await;

    // The customer follows the ticket on a phone.
    let phone = browser(&d, 390, 844).await;
    phone.goto(format!("{base}/t/{code}")).await.unwrap();
    assert!(text_of(&phone, "f-status").await.contains("前面还有"));
    assert_eq!(text_of(&phone, "f-number").await, "A001");

    // The clerk calls, the phone says which counter, the clerk finishes with the read-back.
    let clerk = browser(&d, 1440, 900).await;
    sign_in(&clerk, &base, "clerk1").await;
    let c1 = app.fx.counter(1).id;
    click(&clerk, &format!("#open-list button[data-id=\'{c1}\']")).await;
    wait_for("console", Duration::from_secs(10), || async {
        visible(&clerk, "btn-call").await
    })
    .await;
    assert!(
        text_of(&clerk, "next").await.contains("A001"),
        "办一安二招呼三 shows the next ticket"
    );
    click(&clerk, "#btn-call").await;
    wait_for(
        "phone shows the counter",
        Duration::from_secs(8),
        || async { text_of(&phone, "f-status").await.contains("请到1号窗口") },
    )
    .await;
    wait_for("start", Duration::from_secs(5), || async {
        visible(&clerk, "btn-start").await
    })
    .await;
    click(&clerk, "#btn-start").await;
    wait_for("finish", Duration::from_secs(5), || async {
        visible(&clerk, "btn-finish").await
    })
    .await;
    click(&clerk, "#btn-finish").await;
    wait_for("read-back dialog", Duration::from_secs(5), || async {
        visible(&clerk, "due").await
    })
    .await;
    // received < due is refused and nothing changes
    clerk
        .find(By::Id("due"))
        .await
        .unwrap()
        .send_keys("123.45")
        .await
        .unwrap();
    clerk
        .find(By::Id("received"))
        .await
        .unwrap()
        .send_keys("100")
        .await
        .unwrap();
    click(&clerk, "#finish-confirm").await;
    wait_for("error toast", Duration::from_secs(5), || async {
        text_of(&clerk, "toast").await.contains("less than")
    })
    .await;
    let t = app.store.ticket_by_code(&code).await.unwrap();
    assert_eq!(t.state, servicehall_domain::TicketState::Serving);
    // The dialog stays open with the amounts as typed; they are corrected in place.
    assert!(visible(&clerk, "finish-error").await);
    for id in ["due", "received"] {
        clerk.find(By::Id(id)).await.unwrap().clear().await.unwrap();
    }
    clerk
        .find(By::Id("due"))
        .await
        .unwrap()
        .send_keys("123.45")
        .await
        .unwrap();
    clerk
        .find(By::Id("received"))
        .await
        .unwrap()
        .send_keys("200")
        .await
        .unwrap();
    assert!(text_of(&clerk, "change-line").await.contains("76.55"));
    click(&clerk, "#finish-confirm").await;
    wait_for("read-back shown", Duration::from_secs(5), || async {
        text_of(&clerk, "readback").await.contains("找零76.55元")
    })
    .await;
    no_js_errors(&clerk).await;

    clerk
        .goto(format!("{base}/receipts/{}", t.id))
        .await
        .unwrap();
    assert_eq!(text_of(&clerk, "rb-change").await, "¥ 76.55");
    assert_eq!(
        text_of(&clerk, "receipt-badge").await,
        app.fx.clerks[0].badge_no
    );
    wait_for("phone shows done", Duration::from_secs(8), || async {
        text_of(&phone, "f-status").await.contains("办结")
    })
    .await;
    for b in [clerk, phone] {
        quit(b).await;
    }
}

/// The network between the lobby display and the server drops: the display shows the
/// 连接中断 banner within 5 s, keeps retrying, and when the network is back it hides the
/// banner and catches up on the call it missed (Last-Event-ID).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lobby_display_survives_a_network_drop() {
    let Some(d) = driver("lobby_display_survives_a_network_drop").await else {
        return;
    };
    let app = App::start().await;
    let token = app.device(DeviceKind::Display, None).await;
    let link = super::queue_proxy::Link::open(&app.base).await;
    let display = browser(&d, 1920, 1080).await;
    display
        .goto(format!("{}/device/pair?token={token}", link.base))
        .await
        .unwrap();
    wait_for("display", Duration::from_secs(5), || async {
        visible(&display, "call-number").await
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!visible(&display, "offline").await);

    link.cut().await;
    let took = wait_for("the banner", Duration::from_secs(8), || async {
        visible(&display, "offline").await
    })
    .await;
    assert!(took <= Duration::from_secs(5), "banner after {took:?}");
    assert!(text_of(&display, "offline").await.contains("连接中断"));

    // A call happens while the display is cut off.
    let clerk = app.clerk_on_duty(1).await;
    app.issue(crate::common::Auth::Person(&clerk), "payment")
        .await;
    let called = app.call_next(&clerk, 1).await.expect("a ticket to call");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(visible(&display, "offline").await, "still cut off");

    link.restore().await;
    wait_for("reconnected", Duration::from_secs(15), || async {
        !visible(&display, "offline").await
    })
    .await;
    let number = called["number"].as_str().unwrap().to_string();
    wait_for("the missed call", Duration::from_secs(5), || async {
        text_of(&display, "call-number").await == number
    })
    .await;
    quit(display).await;
}

/// With a live heartbeat the banner never shows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lobby_display_stays_connected_with_a_heartbeat() {
    let Some(d) = driver("lobby_display_stays_connected_with_a_heartbeat").await else {
        return;
    };
    let app = App::start().await;
    let token = app.device(DeviceKind::Display, None).await;
    let display = browser(&d, 1920, 1080).await;
    display
        .goto(format!("{}/device/pair?token={token}", app.base))
        .await
        .unwrap();
    wait_for("display", Duration::from_secs(5), || async {
        visible(&display, "call-number").await
    })
    .await;
    for _ in 0..8 {
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert!(
            !visible(&display, "offline").await,
            "banner shown while the stream is alive"
        );
    }
    quit(display).await;
}

/// A manager who opens the dashboard signed out signs in and lands on it again; a time of
/// another day shows its date (12月5日 17:30), today's only the time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_out_manager_comes_back_and_times_carry_their_date() {
    let Some(d) = driver("signed_out_manager_comes_back_and_times_carry_their_date").await else {
        return;
    };
    let app = App::start().await;
    let base = app.base.clone();
    let b = browser(&d, 1366, 768).await;
    b.goto(format!("{base}/manager")).await.unwrap();
    let url = b.current_url().await.unwrap();
    assert_eq!(
        (url.path(), url.query()),
        ("/login", Some("next=/manager")),
        "a signed-out page goes to sign in"
    );
    assert!(css_text(&b, "#login-form").await.contains("请登录后继续"));
    b.find(By::Name("username"))
        .await
        .unwrap()
        .send_keys("manager")
        .await
        .unwrap();
    b.find(By::Name("password"))
        .await
        .unwrap()
        .send_keys(crate::common::PASSWORD)
        .await
        .unwrap();
    click(&b, "#login-form button[type=submit]").await;
    wait_for("back on the dashboard", Duration::from_secs(10), || async {
        b.current_url().await.unwrap().path() == "/manager"
    })
    .await;
    let shown = b
        .execute(
            "return [SH.when(Date.now()), SH.when(Date.now() - 3 * 86400000)];",
            vec![],
        )
        .await
        .unwrap()
        .convert::<Vec<String>>()
        .unwrap();
    let (today, before) = (shown[0].as_str(), shown[1].as_str());
    let hhmm = |s: &str| s.len() == 5 && s.as_bytes()[2] == b':';
    assert!(hhmm(today), "today's time alone: {today:?}");
    let (date, time) = before.split_once(' ').expect("a date and a time");
    assert!(
        date.ends_with('日') && date.contains('月') && hhmm(time),
        "another day's time carries its date: {before:?}"
    );
    no_js_errors(&b).await;
    quit(b).await;
}

/// Two quick taps on a kiosk tile give one ticket; after the kiosk page reloads, a tap on
/// the same business shows the same number again with 再取一张 Take another, which issues
/// a second ticket on purpose.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kiosk_repeat_taps_give_one_ticket() {
    let Some(d) = driver("kiosk_repeat_taps_give_one_ticket").await else {
        return;
    };
    let app = App::start().await;
    let base = app.base.clone();
    let token = app.device(DeviceKind::Kiosk, None).await;
    let kiosk = browser(&d, 1080, 1920).await;
    kiosk
        .goto(format!("{base}/device/pair?token={token}"))
        .await
        .unwrap();
    watch_errors(&kiosk).await;
    wait_for("tiles", Duration::from_secs(10), || async {
        visible(&kiosk, "tiles").await
            && !css_text(&kiosk, ".tile[data-code='payment']")
                .await
                .is_empty()
    })
    .await;
    // Two taps within a few milliseconds.
    kiosk
        .execute(
            "const t = document.querySelector(\".tile[data-code='payment']\"); t.click(); t.click();",
            vec![],
        )
        .await
        .unwrap();
    wait_for("issued number", Duration::from_secs(10), || async {
        text_of(&kiosk, "issued-number").await == "A001"
    })
    .await;
    assert!(!visible(&kiosk, "issued-repeat").await);
    let count = || async { app.store.waiting(app.fx.hall.id).await.unwrap().len() };
    assert_eq!(count().await, 1, "two taps, one ticket");

    // The page reloads (or a second fetch got through): the server gives the same ticket.
    kiosk.refresh().await.unwrap();
    wait_for("tiles again", Duration::from_secs(10), || async {
        !css_text(&kiosk, ".tile[data-code='payment']")
            .await
            .is_empty()
    })
    .await;
    click(&kiosk, ".tile[data-code='payment']").await;
    wait_for(
        "the same number, said to be a repeat",
        Duration::from_secs(10),
        || async { visible(&kiosk, "issued-repeat").await },
    )
    .await;
    assert_eq!(text_of(&kiosk, "issued-number").await, "A001");
    assert!(text_of(&kiosk, "issued-repeat").await.contains("再取一张"));
    assert_eq!(count().await, 1, "the repeat tap issued nothing");
    let (_, bottom) = vertical_extent(&kiosk, "btn-another").await;
    assert!(
        bottom <= 1920.0,
        "Take another is below the screen ({bottom}px)"
    );

    // The customer wants a second ticket after all.
    click(&kiosk, "#btn-another").await;
    wait_for("a second ticket", Duration::from_secs(10), || async {
        text_of(&kiosk, "issued-number").await == "A002"
    })
    .await;
    assert!(!visible(&kiosk, "issued-repeat").await);
    assert_eq!(count().await, 2);
    no_js_errors(&kiosk).await;
    quit(kiosk).await;
}
