//! The staffing advisor in the browser, as the manager at the counter-console size
//! (1366×768) and on a tablet (1024×768): the charts draw, the recommendation is copied into
//! the plan form and saved, and the saved plan comes back after the reload.

use super::*;
use crate::common::App;
use servicehall_domain::Priority;
use servicehall_store::{IssueTicket, QueueStore};

const DAY: i64 = 86_400_000;

/// A week ago at this time, ten payments in twenty minutes: today's forecast has them.
async fn app_with_history() -> App {
    let app = App::start().await;
    let week_ago = app.now() - 7 * DAY;
    for i in 0..10 {
        let req = IssueTicket {
            hall_id: app.fx.hall.id,
            business_type_id: app.fx.bt[0].id,
            priority: Priority::Normal,
            green_reason: String::new(),
            proxy: false,
            channel: "kiosk".into(),
            idempotency_key: None,
            code: format!("brst{i}"),
            kiosk: None,
            handling_ms: None,
        };
        app.store
            .issue_ticket(&req, week_ago + i * 120_000)
            .await
            .unwrap();
    }
    app
}

async fn inputs(b: &WebDriver) -> Vec<(String, String)> {
    b.execute(
        "return [...document.querySelectorAll('#slots tbody tr')].map((r) => [r.querySelector('.rec').textContent, r.querySelector('input.plan').value]);",
        vec![],
    )
    .await
    .unwrap()
    .convert()
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staffing_plan_is_copied_from_the_recommendation_and_saved() {
    let Some(d) = driver("staffing_plan_is_copied_from_the_recommendation_and_saved").await else {
        return;
    };
    let app = app_with_history().await;
    let b = browser(&d, 1366, 768).await;
    sign_in(&b, &app.base, "manager").await;
    b.goto(format!("{}/staffing", app.base)).await.unwrap();
    watch_errors(&b).await;
    for chart in ["chart-counters", "chart-waits"] {
        wait_for(chart, Duration::from_secs(10), || async {
            b.find(By::Css(format!("#{chart}[data-rendered='1'] svg path")))
                .await
                .is_ok()
        })
        .await;
    }
    assert!(
        text_of(&b, "basis")
            .await
            .contains("按近几周同一星期几预测")
    );
    // The counters' skills beside the plan: 咨询 is only 兼办 (counter 1), so it is flagged.
    let skills = css_text(&b, "#skills tbody").await;
    assert!(
        skills.contains("1号") && skills.contains("咨询"),
        "{skills}"
    );
    assert!(css_text(&b, "#skills .staff-warn").await.contains("咨询"));
    let before = inputs(&b).await;
    assert!(!before.is_empty());
    assert!(
        before.iter().all(|(_, plan)| plan.is_empty()),
        "no plan yet: {before:?}"
    );
    assert!(
        before.iter().any(|(rec, _)| rec != "0"),
        "the week-ago visits ask for a counter: {before:?}"
    );

    click(&b, "#copy-recommended").await;
    let copied = inputs(&b).await;
    assert!(copied.iter().all(|(rec, plan)| rec == plan), "{copied:?}");
    // A thinner half-hour is marked against the recommendation.
    b.execute(
        "const i = [...document.querySelectorAll('input.plan')].find((i) => i.value !== '0');
         i.value = String(Number(i.value) - 1); i.dispatchEvent(new Event('input'));",
        vec![],
    )
    .await
    .unwrap();
    assert!(b.find(By::Css("input.plan.below")).await.is_ok());
    click(&b, "#save-plan").await;
    wait_for("the saved plan", Duration::from_secs(10), || async {
        text_of(&b, "plan-saved").await.contains("钱值班")
    })
    .await;
    let saved = inputs(&b).await;
    assert_eq!(
        saved.iter().filter(|(rec, plan)| rec != plan).count(),
        1,
        "{saved:?}"
    );
    assert!(saved.iter().all(|(_, plan)| !plan.is_empty()));

    // A bad value is refused before it is sent.
    b.execute(
        "document.querySelector('input.plan').value = '120';",
        vec![],
    )
    .await
    .unwrap();
    click(&b, "#save-plan").await;
    wait_for("the refusal", Duration::from_secs(5), || async {
        css_text(&b, "#toast").await.contains("0–99")
    })
    .await;

    // On a tablet the page fits its width: no sideways scrolling.
    b.set_window_rect(0, 0, 1024, 768).await.unwrap();
    b.refresh().await.unwrap();
    let (scroll, client): (i64, i64) = b
        .execute(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];",
            vec![],
        )
        .await
        .unwrap()
        .convert()
        .unwrap();
    assert!(scroll <= client, "{scroll} > {client}");
    quit(b).await;
}
