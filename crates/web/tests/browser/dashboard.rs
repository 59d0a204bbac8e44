//! The manager's dashboard at the counter-console size (1366×768): the hourly charts draw
//! from the series endpoint, a counter is paused and a clerk moved from the rows (each
//! through a confirm step), and the staff bar stays one row for the manager and the
//! administrator; a supervisor sees the rows without the buttons.

use super::*;
use crate::common::App;
use servicehall_domain::Role;
use servicehall_store::HallStore;

/// The top of every item of the staff bar (brand, menus, links, the signed-in person):
/// all on one row when these are equal.
async fn bar_rows(b: &WebDriver) -> (f64, usize) {
    let (height, tops): (f64, Vec<f64>) = b
        .execute(
            "const bar = document.querySelector('.topbar');
             const items = [bar.querySelector('.brand'), ...bar.querySelectorAll('nav > *'), bar.querySelector('.who')];
             return [bar.getBoundingClientRect().height, items.map((e) => Math.round(e.getBoundingClientRect().top))];",
            vec![],
        )
        .await
        .unwrap()
        .convert()
        .unwrap();
    let mut rows = tops.clone();
    rows.sort_by(f64::total_cmp);
    rows.dedup_by(|a, b| (*a - *b).abs() < 12.0);
    (height, rows.len())
}

async fn state_of(b: &WebDriver, counter: i64) -> String {
    b.execute(
        "const e = document.querySelector(`#counters tr[data-counter='${arguments[0]}'] [data-state]`); return e ? e.dataset.state : '';",
        vec![serde_json::json!(counter)],
    )
    .await
    .unwrap()
    .convert()
    .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_charts_render_and_its_actions_work() {
    let Some(d) = driver("dashboard_charts_render_and_its_actions_work").await else {
        return;
    };
    let app = App::start().await;
    app.clerk_on_duty(1).await;
    app.clerk_on_duty(2).await;
    let (c1, c2, c3) = (
        app.fx.counter(1).id,
        app.fx.counter(2).id,
        app.fx.counter(3).id,
    );
    let b = browser(&d, 1366, 768).await;
    sign_in(&b, &app.base, "manager").await;
    b.goto(format!("{}/manager", app.base)).await.unwrap();
    watch_errors(&b).await;

    // The charts draw (ECharts' SVG inside each chart element) from 24 points a series.
    for chart in ["chart-arrivals", "chart-waits"] {
        wait_for(chart, Duration::from_secs(10), || async {
            b.find(By::Css(format!("#{chart}[data-rendered='1'] svg path")))
                .await
                .is_ok()
        })
        .await;
    }
    let lengths: Vec<i64> = b
        .execute_async(
            &format!(
                "const done = arguments[arguments.length - 1];
                 fetch('/api/v1/halls/{}/stats/hourly').then((r) => r.json())
                   .then((h) => done([h.today.length, h.usual.length]));",
                app.fx.hall.code
            ),
            vec![],
        )
        .await
        .unwrap()
        .convert()
        .unwrap();
    assert_eq!(lengths, [24, 24]);

    // The staff bar is one row for the manager; its menus open below it.
    let (height, rows) = bar_rows(&b).await;
    assert_eq!(rows, 1, "the manager's bar wraps ({height} px high)");
    click(&b, ".topbar details.menu summary").await;
    assert!(
        b.find(By::Css(".topbar details.menu[open] .menu-items a"))
            .await
            .unwrap()
            .is_displayed()
            .await
            .unwrap()
    );
    // A click elsewhere closes it.
    b.execute("document.body.click()", vec![]).await.unwrap();
    assert!(b.find(By::Css(".topbar details.menu[open]")).await.is_err());

    // Pause counter 1: a confirm step, then the row says paused.
    wait_for("counter rows", Duration::from_secs(10), || async {
        state_of(&b, c1).await == "open"
    })
    .await;
    click(
        &b,
        &format!("tr[data-counter='{c1}'] button[data-act=pause]"),
    )
    .await;
    assert!(text_of(&b, "act-title").await.contains("暂停"));
    assert_eq!(
        state_of(&b, c1).await,
        "open",
        "nothing changes before confirming"
    );
    click(&b, "#act-ok").await;
    wait_for("counter 1 paused", Duration::from_secs(10), || async {
        state_of(&b, c1).await == "paused"
    })
    .await;
    assert!(
        text_of(&b, "toast")
            .await
            .contains("已暂停 · Counter 1 paused")
    );

    // Move clerk2 from counter 2 to counter 3 (the only closed counter).
    click(
        &b,
        &format!("tr[data-counter='{c2}'] button[data-act=move]"),
    )
    .await;
    let target = b.find(By::Id("act-target")).await.unwrap();
    assert_eq!(target.value().await.unwrap(), Some(c3.to_string()));
    click(&b, "#act-ok").await;
    wait_for("clerk2 at counter 3", Duration::from_secs(10), || async {
        state_of(&b, c3).await == "open" && state_of(&b, c2).await == "closed"
    })
    .await;
    let at3 = app.store.counter(c3).await.unwrap();
    assert_eq!(
        at3.clerk.map(|k| k.staff_id),
        Some(app.fx.clerks[1].id),
        "the store has clerk2 at counter 3"
    );
    assert!(text_of(&b, "toast").await.contains("调往 3 号窗口"));
    no_js_errors(&b).await;

    // The administrator's bar, with the most screens, is one row too.
    app.above_halls("root", Role::Admin).await;
    let a = browser(&d, 1366, 768).await;
    sign_in(&a, &app.base, "root").await;
    a.goto(format!("{}/admin", app.base)).await.unwrap();
    let (height, rows) = bar_rows(&a).await;
    assert_eq!(rows, 1, "the administrator's bar wraps ({height} px high)");
    quit(a).await;

    // A supervisor reads the rows but works no counter: no buttons.
    app.above_halls("sup", Role::Supervisor).await;
    let v = browser(&d, 1366, 768).await;
    sign_in(&v, &app.base, "sup").await;
    v.goto(format!("{}/manager?hall={}", app.base, app.fx.hall.code))
        .await
        .unwrap();
    wait_for("the supervisor's rows", Duration::from_secs(10), || async {
        state_of(&v, c1).await == "paused"
    })
    .await;
    assert!(v.find(By::Css("button[data-act]")).await.is_err());
    quit(v).await;
    quit(b).await;
}
