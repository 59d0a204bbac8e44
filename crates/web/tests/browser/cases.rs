//! A case from the counter to closure in the browser: the clerk serves a ticket, opens a
//! complaint from it, works its steps, records the callback (回访) and closes it; the
//! customer then looks it up on /case with the access code the owner handed over and sees the
//! owner's badge number, never the owner's name.

use super::*;
use crate::common::{App, Auth};
use servicehall_domain::DeviceKind;

async fn fill(b: &WebDriver, id: &str, text: &str) {
    let e = b.find(By::Id(id)).await.unwrap();
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

async fn step_button(b: &WebDriver, code: &str) {
    wait_for(
        &format!("the complete button of step {code}"),
        Duration::from_secs(10),
        || async { visible(b, &format!("step-{code}")).await },
    )
    .await;
    click(b, &format!("#step-{code}")).await;
    wait_for(
        &format!("step {code} done"),
        Duration::from_secs(10),
        || async {
            b.find(By::Css(format!("li.done[data-step='{code}']")))
                .await
                .is_ok()
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn complaint_from_counter_to_closure() {
    let Some(d) = driver("complaint_from_counter_to_closure").await else {
        return;
    };
    let app = App::start().await;
    let base = app.base.clone();
    let c1 = app.fx.counter(1).id;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let ticket = app.issue(Auth::Device(&kiosk), "inquiry").await;
    let ticket_id = ticket["id"].as_i64().unwrap();

    // The clerk opens counter 1, calls and serves the customer, then opens a case.
    let clerk = browser(&d, 1440, 900).await;
    sign_in(&clerk, &base, "clerk1").await;
    click(&clerk, &format!("#open-list button[data-id='{c1}']")).await;
    wait_for("console", Duration::from_secs(10), || async {
        visible(&clerk, "btn-call").await
    })
    .await;
    click(&clerk, "#btn-call").await;
    wait_for("start button", Duration::from_secs(5), || async {
        visible(&clerk, "btn-start").await
    })
    .await;
    click(&clerk, "#btn-start").await;
    wait_for("open-case button", Duration::from_secs(5), || async {
        visible(&clerk, "btn-case").await
    })
    .await;
    click(&clerk, "#btn-case").await;

    // The new-case form comes pre-filled with the ticket.
    wait_for("the new-case form", Duration::from_secs(10), || async {
        visible(&clerk, "new-case").await
    })
    .await;
    watch_errors(&clerk).await;
    let prefilled = clerk
        .find(By::Id("nc-ticket"))
        .await
        .unwrap()
        .value()
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(prefilled, ticket_id.to_string());
    click(&clerk, "#nc-kind option[value='complaint']").await;
    fill(&clerk, "nc-name", "赵客户").await;
    fill(&clerk, "nc-phone", "13812345678").await;
    fill(&clerk, "nc-summary", "电费异常投诉").await;
    click(&clerk, "#nc-submit").await;
    wait_for("the case page", Duration::from_secs(10), || async {
        clerk
            .current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/cases/")
            && text_of(&clerk, "case-number").await.starts_with("GD-")
    })
    .await;
    watch_errors(&clerk).await;
    let number = text_of(&clerk, "case-number")
        .await
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    assert!(text_of(&clerk, "case-owner").await.contains("DL001"));
    assert!(text_of(&clerk, "case-first").await.contains("DL001"));
    // The access code the owner hands to the customer (查询码), as printed: XXXX-XXXX.
    let access = text_of(&clerk, "case-access-code").await;
    let code = access
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    assert_eq!(code.len(), 9, "{access}");
    // The owner sees the customer's data in full.
    assert!(
        text_of(&clerk, "case-customer")
            .await
            .contains("13812345678")
    );
    assert!(
        text_of(&clerk, "case-head")
            .await
            .contains(&format!("#{ticket_id}"))
    );

    // The steps, in order; the callback step needs the customer's reply first.
    step_button(&clerk, "contact").await;
    step_button(&clerk, "reply").await;
    wait_for("callback form", Duration::from_secs(10), || async {
        visible(&clerk, "callback-form").await
    })
    .await;
    click(&clerk, "#cb-reached").await;
    click(&clerk, "#cb-satisfied").await;
    fill(&clerk, "cb-note", "客户表示满意").await;
    click(&clerk, "#cb-save").await;
    wait_for(
        "the callback on record",
        Duration::from_secs(10),
        || async { text_of(&clerk, "callback-last").await.contains("满意") },
    )
    .await;
    step_button(&clerk, "callback").await;
    click(&clerk, "#btn-close-case").await;
    wait_for("the case closed", Duration::from_secs(10), || async {
        text_of(&clerk, "case-status").await.contains("已办结")
    })
    .await;
    let trail = text_of(&clerk, "trail").await;
    assert!(trail.contains("办结"), "{trail}");
    // Steps and clocks by name, never by code (`callback.callback`, `contact.contact`).
    for code in [
        "callback.callback",
        "contact.contact",
        "resolve.resolve",
        ".step",
    ] {
        assert!(!trail.contains(code), "{code} in the trail: {trail}");
    }
    assert!(trail.contains("回访 Call the customer back"), "{trail}");
    no_js_errors(&clerk).await;

    // The customer looks it up on their phone: badge, no name.
    let phone = browser(&d, 390, 844).await;
    phone.goto(format!("{base}/case")).await.unwrap();
    watch_errors(&phone).await;
    fill(&phone, "lk-number", &number).await;
    fill(&phone, "lk-code", "0000-0000").await;
    click(&phone, "#lk-submit").await;
    wait_for(
        "not found with a wrong code",
        Duration::from_secs(10),
        || async { visible(&phone, "lk-error").await },
    )
    .await;
    fill(&phone, "lk-code", &code.to_lowercase()).await;
    click(&phone, "#lk-submit").await;
    wait_for("the public status", Duration::from_secs(10), || async {
        text_of(&phone, "lk-badge").await == "DL001"
    })
    .await;
    let shown = text_of(&phone, "lk-result").await;
    assert!(shown.contains("已办结"), "{shown}");
    let clerk_name = &app.fx.clerks[0].name;
    assert!(!shown.contains(clerk_name.as_str()), "{shown}");
    assert!(!shown.contains("赵客户") && !shown.contains("13812345678"));
    no_js_errors(&phone).await;

    for b in [clerk, phone] {
        quit(b).await;
    }
}
