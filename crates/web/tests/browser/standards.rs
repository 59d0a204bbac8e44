//! The standards library in the browser: a clerk at the counter console searches the
//! standards (Chinese, highlighted), sees that a document awaits them, reads it on the
//! standards page and acknowledges it with one click; the store then counts it.

use super::*;
use crate::common::App;
use servicehall_domain::Role;
use servicehall_domain::standards::Category;
use servicehall_store::{DraftInput, StandardInput, StandardsStore};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clerk_searches_from_the_console_and_acknowledges() {
    let Some(d) = driver("clerk_searches_from_the_console_and_acknowledges").await else {
        return;
    };
    let app = App::start().await;
    let base = app.base.clone();
    let now = servicehall_web::now_ms();
    let tz = servicehall_domain::time::parse_tz("Asia/Shanghai").unwrap();
    let today = servicehall_domain::time::service_day(now, tz);
    let doc = app
        .store
        .create_standard(
            &StandardInput {
                hall_id: Some(app.fx.hall.id),
                category: Category::BehaviourCode,
                behaviour_code: Some("one_time_notice".into()),
                draft: DraftInput {
                    title: "一次性告知".into(),
                    title_en: "Tells everything needed at once".into(),
                    body: "客户咨询或办理业务时，一次性告知所需资料、收费标准和时限，并提供一次性告知单。".into(),
                    audience: vec![Role::Clerk],
                    source: String::new(),
                },
            },
            None,
            now,
        )
        .await
        .unwrap();
    let doc = app
        .store
        .publish_standard(doc.id, today, None, now)
        .await
        .unwrap();
    let version = doc.current().unwrap().id;
    let clerk_id = app.fx.clerks[0].id;

    // At the console: search, results highlighted, and a note of what awaits reading.
    let b = browser(&d, 1366, 768).await;
    sign_in(&b, &base, "clerk1").await;
    let c1 = app.fx.counter(1).id;
    click(&b, &format!("#open-list button[data-id='{c1}']")).await;
    wait_for("console", Duration::from_secs(10), || async {
        visible(&b, "btn-call").await
    })
    .await;
    watch_errors(&b).await;
    let q = b.find(By::Id("std-q")).await.unwrap();
    q.send_keys("一次性告知").await.unwrap();
    let took = wait_for("search results", Duration::from_secs(5), || async {
        b.find(By::Css("#std-results li mark")).await.is_ok()
    })
    .await;
    eprintln!("console search answered in {took:?} (including the 120 ms typing pause)");
    let marks: Vec<String> = {
        let mut out = Vec::new();
        for m in b.find_all(By::Css("#std-results li mark")).await.unwrap() {
            out.push(m.text().await.unwrap());
        }
        out
    };
    assert!(marks.iter().all(|m| m == "一次性告知"), "{marks:?}");
    assert!(marks.len() >= 2, "title and snippet: {marks:?}");
    let href = b
        .find(By::Css("#std-results li a"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap();
    assert_eq!(
        href.as_deref(),
        Some(format!("/standards/{}", doc.id).as_str())
    );
    // 电表 finds nothing here: a bigram of the query is missing.
    q.clear().await.unwrap();
    q.send_keys("电表").await.unwrap();
    wait_for("no match", Duration::from_secs(5), || async {
        text_of(&b, "std-status").await.contains("No match")
    })
    .await;
    wait_for("pending note", Duration::from_secs(5), || async {
        visible(&b, "std-pending-note").await
    })
    .await;
    assert!(text_of(&b, "std-pending-note").await.contains("1 份待阅读"));
    no_js_errors(&b).await;

    // The standards page: 待阅读, then 我已阅读并遵守.
    b.goto(format!("{base}/standards")).await.unwrap();
    watch_errors(&b).await;
    assert!(visible(&b, "pending").await);
    click(&b, &format!("button[data-ack='{version}']")).await;
    wait_for("acknowledged", Duration::from_secs(5), || async {
        b.find(By::Css("#pending .acked")).await.is_ok()
    })
    .await;
    no_js_errors(&b).await;
    let pending = app
        .store
        .pending_acknowledgements(clerk_id, servicehall_web::now_ms())
        .await
        .unwrap();
    assert!(pending.is_empty());
    let report = app
        .store
        .acknowledgement_report(app.fx.hall.id, servicehall_web::now_ms())
        .await
        .unwrap();
    assert_eq!(report.total.acknowledged, 1);
    b.refresh().await.unwrap();
    assert!(!visible(&b, "pending").await, "nothing left to read");
    quit(b).await;
}
