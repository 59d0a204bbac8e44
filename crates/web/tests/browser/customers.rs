//! The customer screens in the browser. At the guide desk (1366×768) the guide recognises a
//! customer by phone: the panel shows the open case, that the last visit ended for a missing
//! document and what the notice listed, and suggests the green channel for a disabled
//! customer; one click ticks it on the triage form. At the manager's desk the register takes
//! a new customer, the customer's page records a consent and its withdrawal, shows the full
//! phone only after a reason, and the register filters by segment.

use super::*;
use crate::common::{App, Auth};
use serde_json::json;
use servicehall_domain::cases::CustomerClass;
use servicehall_domain::catalogue::VisitOutcome;
use servicehall_domain::customers::{Basis, Membership, Segment};
use servicehall_store::{CatalogueStore, CustomerStore, NewCustomer, VisitInput};

async fn fill(b: &WebDriver, css: &str, text: &str) {
    let e = b.find(By::Css(css)).await.unwrap();
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_guide_desk_recognises_a_customer_and_suggests_the_green_channel() {
    let Some(d) =
        driver("the_guide_desk_recognises_a_customer_and_suggests_the_green_channel").await
    else {
        return;
    };
    let app = super::catalogue::app_with_catalogue().await;
    let hall = app.fx.hall.id;
    let today = chrono::Utc::now().date_naive();
    app.store
        .create_customer(
            hall,
            &NewCustomer {
                account_no: "0411300218".into(),
                name: "刘建国".into(),
                phone: "13898765432".into(),
                class: CustomerClass::Resident,
                note: String::new(),
                segments: vec![Membership {
                    segment: Segment::Disabled,
                    care: Segment::Disabled.default_care(),
                    basis: Some(Basis::VerifiedDocument),
                    review_on: Some(today + chrono::Days::new(100)),
                    note: String::new(),
                }],
            },
            Some(app.fx.manager.id),
            app.now(),
        )
        .await
        .unwrap();
    app.store
        .give_notice(
            &VisitInput {
                hall_id: hall,
                ticket_id: None,
                business_type: "new_connection".into(),
                class: CustomerClass::Resident,
                contact: "13898765432".into(),
                outcome: VisitOutcome::MissingDocument,
                staff_id: Some(app.fx.clerks[0].id),
            },
            "browser-notice-1",
            app.now(),
        )
        .await
        .unwrap();
    let clerk = app.login("clerk1").await;
    let case = app
        .post(
            &format!("/api/v1/halls/{}/cases", app.fx.hall.code),
            Auth::Person(&clerk),
            Some(json!({"kind": "complaint", "customer_name": "刘建国", "customer_phone": "13898765432",
                "account_no": "0411300218", "summary": "停电未通知"})),
        )
        .await
        .expect(201);
    let number = case["number"].as_str().unwrap().to_string();

    let base = app.base.clone();
    let b = browser(&d, 1366, 768).await;
    sign_in(&b, &base, "guide").await;
    b.goto(format!("{base}/guide")).await.unwrap();
    watch_errors(&b).await;
    fill(&b, "#recognise-q", "138 9876 5432").await;
    click(&b, "#recognise-form button[type=submit]").await;
    wait_for(
        "the customer recognised",
        Duration::from_secs(15),
        || async {
            !b.find_all(By::Id("recognise-green"))
                .await
                .unwrap()
                .is_empty()
        },
    )
    .await;
    let panel = css_text(&b, "#recognise-result").await;
    assert!(
        panel.contains("刘**") && panel.contains("****0218"),
        "{panel}"
    );
    assert!(!panel.contains("13898765432"), "masked: {panel}");
    assert!(panel.contains("残障人士"), "{panel}");
    assert!(panel.contains(&number), "the open case: {panel}");
    assert!(panel.contains("缺少资料"), "{panel}");
    let missing = css_text(&b, ".recognise-missing").await;
    assert!(
        missing.contains("户主身份证明") && missing.contains("房屋产权证明"),
        "{missing}"
    );
    assert!(
        !b.find(By::Id("green"))
            .await
            .unwrap()
            .is_selected()
            .await
            .unwrap()
    );
    click(&b, "#use-green").await;
    assert!(
        b.find(By::Id("green"))
            .await
            .unwrap()
            .is_selected()
            .await
            .unwrap()
    );
    // Somebody not in the register.
    fill(&b, "#recognise-q", "0411999999").await;
    click(&b, "#recognise-form button[type=submit]").await;
    wait_for("not found said", Duration::from_secs(15), || async {
        css_text(&b, "#recognise-result")
            .await
            .contains("未在本厅客户登记中找到")
    })
    .await;
    no_js_errors(&b).await;
    quit(b).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_manager_keeps_the_register_and_consents() {
    let Some(d) = driver("the_manager_keeps_the_register_and_consents").await else {
        return;
    };
    let app = App::start().await;
    let base = app.base.clone();
    let b = browser(&d, 1366, 768).await;
    sign_in(&b, &base, "manager").await;
    b.goto(format!("{base}/customers")).await.unwrap();
    watch_errors(&b).await;
    assert!(css_text(&b, "#new-customer").await.contains("登记客户"));
    fill(&b, "#new-form input[name=account_no]", "0411200417").await;
    fill(&b, "#new-form input[name=name]", "王秀兰").await;
    fill(&b, "#new-form input[name=phone]", "13904110427").await;
    b.find(By::Css(
        "#new-form select[name=segment] option[value=living_alone]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    // A vulnerable segment without its basis is refused, saying so.
    click(&b, "#new-form button[type=submit]").await;
    wait_for("the refusal", Duration::from_secs(15), || async {
        visible(&b, "new-error").await
    })
    .await;
    assert!(text_of(&b, "new-error").await.contains("依据"));
    b.find(By::Css(
        "#new-form select[name=basis] option[value=community_referral]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    let review = (chrono::Utc::now().date_naive() + chrono::Days::new(10)).to_string();
    b.execute(
        "document.querySelector('#new-form input[name=review_on]').value = arguments[0];",
        vec![json!(review)],
    )
    .await
    .unwrap();
    click(&b, "#new-form button[type=submit]").await;
    wait_for("the customer's page", Duration::from_secs(15), || async {
        b.current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/customers/")
    })
    .await;
    assert_eq!(text_of(&b, "v-phone").await, "139****0427");
    assert!(css_text(&b, "#history").await.contains("独居老人"));

    // A consent, then its withdrawal.
    b.find(By::Css(
        "#consent-form select[name=purpose] option[value=outage_notice]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    fill(&b, "#consent-form input[name=note]", "柜台签字").await;
    click(&b, "#consent-form button[type=submit]").await;
    wait_for("the consent shown", Duration::from_secs(15), || async {
        !b.find_all(By::Css("tr[data-purpose=outage_notice] button.withdraw"))
            .await
            .unwrap()
            .is_empty()
    })
    .await;
    click(&b, "tr[data-purpose=outage_notice] button.withdraw").await;
    b.accept_alert().await.unwrap();
    wait_for("the withdrawal shown", Duration::from_secs(15), || async {
        css_text(&b, "#consent-history").await.contains("撤回")
    })
    .await;
    assert!(
        css_text(&b, "tr[data-purpose=outage_notice]")
            .await
            .contains("未同意")
    );

    // The full phone only with a reason.
    fill(&b, "#reveal-form input[name=reason]", "核对停电通知名单").await;
    click(&b, "#reveal-form button[type=submit]").await;
    wait_for("the full phone", Duration::from_secs(15), || async {
        text_of(&b, "v-phone").await == "13904110427"
    })
    .await;

    // The register filters by segment.
    b.goto(format!("{base}/customers?segment=key_account"))
        .await
        .unwrap();
    assert!(
        css_text(&b, ".customers")
            .await
            .contains("没有符合条件的客户")
    );
    b.goto(format!(
        "{base}/customers?segment=living_alone&review_due=1"
    ))
    .await
    .unwrap();
    assert!(css_text(&b, "#cust-list").await.contains("****0417"));
    no_js_errors(&b).await;
    quit(b).await;
}
