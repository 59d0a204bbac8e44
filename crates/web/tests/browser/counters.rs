//! Finishing a visit at the counter asks how it ended: a clerk finishes with 缺少资料, the
//! same customer comes back for the same business and is finished with the keyboard, and
//! the manager's repeat-trip screen lists both visits linked.

use super::*;
use crate::common::{App, Auth};
use servicehall_domain::DeviceKind;

/// Calls and starts the next ticket on the open console, then opens the finish dialog.
async fn serve_and_open_finish(b: &WebDriver) {
    wait_for("call button", Duration::from_secs(10), || async {
        visible(b, "btn-call").await
    })
    .await;
    click(b, "#btn-call").await;
    wait_for("start", Duration::from_secs(5), || async {
        visible(b, "btn-start").await
    })
    .await;
    click(b, "#btn-start").await;
    wait_for("finish", Duration::from_secs(5), || async {
        visible(b, "btn-finish").await
    })
    .await;
    click(b, "#btn-finish").await;
    wait_for("the outcome dialog", Duration::from_secs(5), || async {
        visible(b, "finish-dialog").await
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_document_then_return_is_a_linked_repeat_trip() {
    let Some(d) = driver("missing_document_then_return_is_a_linked_repeat_trip").await else {
        return;
    };
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let first = app.issue(Auth::Device(&kiosk), "new_connection").await;
    let c2 = app.fx.counter(2).id;

    let b = browser(&d, 1366, 768).await;
    sign_in(&b, &app.base, "clerk2").await;
    click(&b, &format!("#open-list button[data-id='{c2}']")).await;
    watch_errors(&b).await;
    serve_and_open_finish(&b).await;
    // 办结 has the focus: the common case is one key or one click.
    let focused: String = b
        .execute("return document.activeElement.id", vec![])
        .await
        .unwrap()
        .convert()
        .unwrap();
    assert_eq!(focused, "finish-confirm");
    let v = super::accessibility::violations(&b).await;
    assert!(
        v.is_empty(),
        "the dialog has accessibility violations: {v:?}"
    );

    // 缺少资料 without the customer's contact is refused in the dialog; nothing finishes.
    click(&b, "#finish-missing").await;
    wait_for(
        "the contact is asked for",
        Duration::from_secs(5),
        || async { visible(&b, "finish-error").await },
    )
    .await;
    assert!(text_of(&b, "finish-error").await.contains("手机号或户号"));
    assert!(visible(&b, "finish-dialog").await, "the dialog stays open");
    b.find(By::Id("finish-contact"))
        .await
        .unwrap()
        .send_keys("138 1234 5678")
        .await
        .unwrap();
    click(&b, "#finish-missing").await;
    wait_for(
        "the counter to be idle",
        Duration::from_secs(10),
        || async { !visible(&b, "finish-dialog").await && visible(&b, "btn-call").await },
    )
    .await;

    // The customer comes back with the paper; the clerk finishes with the keyboard: the
    // contact typed, Enter (办结, the default).
    let second = app.issue(Auth::Device(&kiosk), "new_connection").await;
    serve_and_open_finish(&b).await;
    let contact = b.find(By::Id("finish-contact")).await.unwrap();
    contact.send_keys("13812345678").await.unwrap();
    contact.send_keys(Key::Enter).await.unwrap();
    wait_for(
        "the counter to be idle",
        Duration::from_secs(10),
        || async { !visible(&b, "finish-dialog").await && visible(&b, "btn-call").await },
    )
    .await;
    no_js_errors(&b).await;
    quit(b).await;

    // Both tickets are finished, and the manager sees the return linked to the first visit.
    for t in [&first, &second] {
        let manager = app.login("manager").await;
        let now = app
            .get(
                &format!("/api/v1/tickets/{}", t["id"]),
                Auth::Person(&manager),
            )
            .await
            .expect(200);
        assert_eq!(now["state"], "finished", "{now}");
    }
    let m = browser(&d, 1366, 768).await;
    sign_in(&m, &app.base, "manager").await;
    m.goto(format!(
        "{}/manager/repeat-trips?hall={}",
        app.base, app.fx.hall.code
    ))
    .await
    .unwrap();
    let rows = m.find_all(By::Css("tbody tr")).await.unwrap();
    assert_eq!(rows.len(), 1, "one repeat trip");
    let row = rows[0].text().await.unwrap();
    let (n1, n2) = (
        first["number"].as_str().unwrap(),
        second["number"].as_str().unwrap(),
    );
    assert!(
        row.contains(n1) && row.contains(n2) && row.contains("缺少资料") && row.contains("已办结"),
        "{row}"
    );
    assert!(row.contains("138****5678"), "contact masked: {row}");
    quit(m).await;
}
