//! The counter console at its size (1366×768) driven from the keyboard: a function key
//! calls, starts and finishes; keys do nothing while the clerk types; the finish dialog
//! asks amounts only for 办结 of a payment; a no-show waits five seconds for Undo; a pause
//! shows how long it has lasted.

use super::*;
use crate::common::{App, Auth};
use servicehall_domain::{DeviceKind, TicketState};
use servicehall_store::{CounterStore, QueueStore};

async fn press(b: &WebDriver, key: Key) {
    b.action_chain().send_keys(key).perform().await.unwrap();
}

async fn focused(b: &WebDriver) -> String {
    b.execute("return document.activeElement.id", vec![])
        .await
        .unwrap()
        .convert()
        .unwrap()
}

async fn state(app: &App, id: &serde_json::Value) -> TicketState {
    app.store.ticket(id.as_i64().unwrap()).await.unwrap().state
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_works_from_the_keyboard() {
    let Some(d) = driver("the_console_works_from_the_keyboard").await else {
        return;
    };
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let pay = app.issue(Auth::Device(&kiosk), "payment").await;
    let c1 = app.fx.counter(1).id;

    let b = browser(&d, 1366, 768).await;
    sign_in(&b, &app.base, "clerk1").await;
    click(&b, &format!("#open-list button[data-id='{c1}']")).await;
    wait_for("call button", Duration::from_secs(10), || async {
        visible(&b, "btn-call").await
    })
    .await;
    watch_errors(&b).await;
    let call = text_of(&b, "btn-call").await;
    assert!(
        call.contains("F1") && call.contains("叫号"),
        "the key is printed: {call}"
    );

    // F1 while typing in the standards search does not call.
    let search = b.find(By::Id("std-q")).await.unwrap();
    search.send_keys("F1").await.unwrap();
    search.send_keys(Key::F1).await.unwrap();
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(state(&app, &pay["id"]).await, TicketState::Waiting);
    b.execute("document.activeElement.blur()", vec![])
        .await
        .unwrap();

    // F1 calls, F3 starts, F4 opens the finish dialog with the amount due in focus.
    press(&b, Key::F1).await;
    wait_for("the called number", Duration::from_secs(5), || async {
        text_of(&b, "cur-number").await == "A001"
    })
    .await;
    assert_eq!(state(&app, &pay["id"]).await, TicketState::Called);
    wait_for("start", Duration::from_secs(5), || async {
        visible(&b, "btn-start").await
    })
    .await;
    press(&b, Key::F3).await;
    wait_for("finish", Duration::from_secs(5), || async {
        visible(&b, "btn-finish").await
    })
    .await;
    press(&b, Key::F4).await;
    wait_for("the finish dialog", Duration::from_secs(5), || async {
        visible(&b, "finish-dialog").await
    })
    .await;
    assert!(
        visible(&b, "pay-fields").await,
        "a payment asks the amounts"
    );
    assert_eq!(focused(&b).await, "due");
    // 办结 needs them; 其他 (nothing collected) does not.
    click(&b, "#finish-confirm").await;
    wait_for("amounts asked for", Duration::from_secs(5), || async {
        text_of(&b, "finish-error").await.contains("金额")
    })
    .await;
    assert_eq!(state(&app, &pay["id"]).await, TicketState::Serving);
    // Keys for the console do nothing while the dialog is open.
    press(&b, Key::F8).await;
    assert!(!visible(&b, "undo-bar").await);
    click(&b, "#finish-other").await;
    wait_for("idle again", Duration::from_secs(10), || async {
        !visible(&b, "finish-dialog").await && visible(&b, "btn-call").await
    })
    .await;
    assert_eq!(state(&app, &pay["id"]).await, TicketState::Finished);
    let rb = app.store.read_back(pay["id"].as_i64().unwrap()).await;
    assert!(
        rb.unwrap().is_none(),
        "nothing collected, nothing read back"
    );

    // Not a payment: no amounts, 办结 in focus.
    let inquiry = app.issue(Auth::Device(&kiosk), "inquiry").await;
    press(&b, Key::F1).await;
    wait_for("start", Duration::from_secs(5), || async {
        visible(&b, "btn-start").await
    })
    .await;
    press(&b, Key::F3).await;
    wait_for("finish", Duration::from_secs(5), || async {
        visible(&b, "btn-finish").await
    })
    .await;
    press(&b, Key::F4).await;
    wait_for("the finish dialog", Duration::from_secs(5), || async {
        visible(&b, "finish-dialog").await
    })
    .await;
    assert!(!visible(&b, "pay-fields").await, "no amounts for 咨询");
    assert_eq!(focused(&b).await, "finish-confirm");
    press(&b, Key::Enter).await;
    wait_for("idle again", Duration::from_secs(10), || async {
        !visible(&b, "finish-dialog").await && visible(&b, "btn-call").await
    })
    .await;
    assert_eq!(state(&app, &inquiry["id"]).await, TicketState::Finished);

    // F8 (no-show) waits; Esc takes it back and the ticket is untouched.
    let gone = app.issue(Auth::Device(&kiosk), "payment").await;
    // The customer says on the phone they are on their way: the console marks it.
    let code = gone["code"].as_str().unwrap();
    app.post(
        &format!("/api/v1/public/tickets/{code}/on-way"),
        Auth::Anon,
        None,
    )
    .await
    .expect(200);
    press(&b, Key::F1).await;
    wait_for("the no-show button", Duration::from_secs(5), || async {
        visible(&b, "btn-noshow").await
    })
    .await;
    wait_for("the on-my-way mark", Duration::from_secs(5), || async {
        text_of(&b, "cur-state").await.contains("客户在路上")
    })
    .await;
    press(&b, Key::F8).await;
    wait_for("the undo bar", Duration::from_secs(3), || async {
        visible(&b, "undo-bar").await
    })
    .await;
    assert!(text_of(&b, "undo-text").await.contains("未到"));
    press(&b, Key::Escape).await;
    assert!(!visible(&b, "undo-bar").await);
    tokio::time::sleep(Duration::from_millis(6000)).await;
    assert_eq!(
        state(&app, &gone["id"]).await,
        TicketState::Called,
        "undone: untouched"
    );
    // Again, left alone: after five seconds the ticket is marked.
    press(&b, Key::F8).await;
    wait_for("the undo bar", Duration::from_secs(3), || async {
        visible(&b, "undo-bar").await
    })
    .await;
    assert_eq!(
        state(&app, &gone["id"]).await,
        TicketState::Called,
        "not yet sent"
    );
    wait_for("the no-show to be sent", Duration::from_secs(9), || async {
        app.store
            .ticket(gone["id"].as_i64().unwrap())
            .await
            .unwrap()
            .state
            == TicketState::NoShow
    })
    .await;
    wait_for("idle again", Duration::from_secs(5), || async {
        visible(&b, "btn-call").await && !visible(&b, "undo-bar").await
    })
    .await;

    // F9 pauses (with a reason) and the pause's length counts up on screen.
    press(&b, Key::F9).await;
    wait_for("the reason dialog", Duration::from_secs(5), || async {
        visible(&b, "reason-dialog").await
    })
    .await;
    let reason = b.find(By::Id("reason-input")).await.unwrap();
    reason.send_keys("午休").await.unwrap();
    reason.send_keys(Key::Enter).await.unwrap();
    wait_for("the pause timer", Duration::from_secs(5), || async {
        visible(&b, "pause-timer").await
    })
    .await;
    let first = text_of(&b, "pause-timer").await;
    assert!(
        first.contains("已暂停") && first.contains("Paused for"),
        "{first}"
    );
    wait_for(
        "the pause timer to move",
        Duration::from_secs(5),
        || async {
            let now = text_of(&b, "pause-timer").await;
            !now.is_empty() && now != first
        },
    )
    .await;
    press(&b, Key::F9).await;
    wait_for("open again", Duration::from_secs(5), || async {
        visible(&b, "btn-call").await && !visible(&b, "pause-timer").await
    })
    .await;
    no_js_errors(&b).await;
    quit(b).await;
}
