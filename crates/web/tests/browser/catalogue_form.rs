//! The catalogue field form in the browser: an administrator adds a document row and a fee,
//! sees the messages next to the fields and the preview follow the form, and saves a
//! version dated tomorrow — which the public page shows only from its date.

use super::*;
use crate::common::{App, Auth};
use servicehall_store::CatalogueStore;

fn day(offset: u64) -> chrono::NaiveDate {
    servicehall_domain::time::service_day(servicehall_web::now_ms(), chrono_tz::Asia::Shanghai)
        + chrono::Days::new(offset)
}

async fn fill(b: &WebDriver, name: &str, text: &str) {
    let e = b.find(By::Css(format!("[name='{name}']"))).await.unwrap();
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

async fn slot(b: &WebDriver, field: &str) -> String {
    b.find(By::Css(format!("[data-err-for='{field}']")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_adds_a_document_and_a_fee_for_a_future_version() {
    let Some(d) = driver("admin_adds_a_document_and_a_fee_for_a_future_version").await else {
        return;
    };
    let app: App = super::catalogue::app_with_catalogue().await;
    let b = browser(&d, 1366, 768).await;
    sign_in(&b, &app.base, "manager").await;
    b.goto(format!(
        "{}/admin/catalogue?hall={}",
        app.base, app.fx.hall.code
    ))
    .await
    .unwrap();
    click(&b, "#form-new_connection").await;
    wait_for("the form", Duration::from_secs(10), || async {
        visible(&b, "cat-form").await
    })
    .await;
    watch_errors(&b).await;
    let tomorrow = day(1).to_string();
    let date = b
        .find(By::Name("effective_from"))
        .await
        .unwrap()
        .value()
        .await
        .unwrap();
    assert_eq!(date.as_deref(), Some(tomorrow.as_str()), "dated tomorrow");
    let v = super::accessibility::violations(&b).await;
    assert!(v.is_empty(), "the form has accessibility violations: {v:?}");

    // A document row for residents: added, focused, typed into.
    click(&b, "button[data-add-doc='resident']").await;
    b.active_element()
        .await
        .unwrap()
        .send_keys("委托书")
        .await
        .unwrap();
    // A fee: typed in yuan; left without a basis, the message appears next to it.
    click(&b, "#add-fee").await;
    fill(&b, "fees[1].item", "验表费").await;
    fill(&b, "fees[1].yuan", "12.345").await;
    wait_for("the amount's message", Duration::from_secs(5), || async {
        slot(&b, "fees[1].yuan").await.contains("yuan")
    })
    .await;
    fill(&b, "fees[1].yuan", "12.5").await;
    wait_for("the basis's message", Duration::from_secs(5), || async {
        slot(&b, "fees[1].yuan").await.is_empty()
            && slot(&b, "fees[1].basis").await.contains("legal basis")
    })
    .await;
    fill(&b, "fees[1].basis", "示例：省价格主管部门核定").await;
    click(&b, "input[name='fees[1].sample']").await;
    wait_for("the preview to follow", Duration::from_secs(5), || async {
        let p = text_of(&b, "preview-body").await;
        p.contains("委托书") && p.contains("¥12.50") && slot(&b, "fees[1].basis").await.is_empty()
    })
    .await;
    // A row added and removed again leaves the numbering whole.
    click(&b, "button[data-add-doc='resident']").await;
    let rows = b
        .find_all(By::Css("[data-rows='documents.resident'] .form-row"))
        .await
        .unwrap();
    rows.last()
        .unwrap()
        .find(By::Css("button[data-remove]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let names: Vec<String> = b
        .execute(
            "return [...document.querySelectorAll(\"[data-rows='documents.resident'] input\")].map(i => i.name)",
            vec![],
        )
        .await
        .unwrap()
        .convert()
        .unwrap();
    assert_eq!(names.len(), 6, "{names:?}");
    assert_eq!(names[4], "documents.resident[2].name");

    click(&b, "#form-save").await;
    wait_for("saved", Duration::from_secs(10), || async {
        b.current_url()
            .await
            .unwrap()
            .query()
            .unwrap_or("")
            .contains("ok=saved")
    })
    .await;
    no_js_errors(&b).await;
    quit(b).await;

    // Today the public page still shows the version in effect; from tomorrow, the new one.
    let public = app
        .get(&format!("/hall/{}", app.fx.hall.code), Auth::Anon)
        .await;
    assert_eq!(public.status, 200);
    assert!(public.text.contains("户主身份证明") && !public.text.contains("委托书"));
    let on = |offset| {
        let store = app.store.clone();
        let hall = app.fx.hall.id;
        async move {
            store
                .effective_catalogue(hall, day(offset))
                .await
                .unwrap()
                .into_iter()
                .find(|i| i.code == "new_connection")
                .unwrap()
        }
    };
    let (today, next) = (on(0).await, on(1).await);
    let names = |i: &servicehall_store::CatalogueItem| -> Vec<String> {
        i.entry
            .documents
            .resident
            .clone()
            .unwrap_or_default()
            .into_iter()
            .map(|d| d.name)
            .collect()
    };
    assert!(!names(&today).contains(&"委托书".to_string()));
    assert!(
        names(&next).contains(&"委托书".to_string()),
        "{:?}",
        names(&next)
    );
    let fee = next.entry.fees.iter().find(|f| f.item == "验表费").unwrap();
    assert_eq!((fee.fen, fee.sample), (1250, true));
    assert_eq!(next.entry.effective_from, tomorrow);
}
