//! The scorecards at a desk (1366×768): a supervisor sets next month's weights (the sum shows
//! as it is typed; 105 is refused, 100 is saved), reads the region's 红黑榜 with its arrows,
//! and a hall manager reads the hall's scorecard line by line with links to the records.

use super::*;
use crate::common::App;
use servicehall_domain::Role;
use servicehall_domain::assessment::Month;
use servicehall_store::{FrozenInput, NewFreeze, RegionInput, RegionStore, ScorecardStore};

fn ym(m: Month) -> i64 {
    i64::from(m.year) * 100 + i64::from(m.month)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_sets_weights_and_reads_the_ranking_and_a_hall_its_card() {
    let Some(d) =
        driver("a_supervisor_sets_weights_and_reads_the_ranking_and_a_hall_its_card").await
    else {
        return;
    };
    let app = App::start().await;
    let city = app
        .store
        .save_region(
            None,
            &RegionInput {
                code: "LN-DL".into(),
                name_zh: "大连".into(),
                name_en: "Dalian".into(),
                parent_id: None,
            },
        )
        .await
        .unwrap()
        .id;
    let (own, other) = (app.fx.hall.id, app.fx.other_hall.id);
    for h in [own, other] {
        app.store.set_hall_region(h, Some(city)).await.unwrap();
    }
    // Two frozen months: the other hall led, then the fixture hall overtook it.
    let now = Month::of(servicehall_domain::time::service_day(
        app.now(),
        chrono_tz::Asia::Shanghai,
    ));
    for (m, a, b) in [(now.back(2), 700, 900), (now.back(1), 950, 850)] {
        let scores = [(own, a), (other, b)]
            .map(|(hall_id, t)| FrozenInput {
                hall_id,
                total_tenths: Some(t),
                detail: r#"{"lines":[],"deductions":[],"earned":0,"deducted":0,"total":null,"note_zh":"","note_en":""}"#.into(),
            })
            .to_vec();
        app.store
            .freeze_scorecards(
                NewFreeze {
                    region_id: city,
                    month: ym(m),
                    frozen_by: None,
                    scores,
                },
                app.now(),
            )
            .await
            .unwrap();
    }
    app.above_halls("sup", Role::Supervisor).await;
    let kiosk = app
        .device(servicehall_domain::DeviceKind::Kiosk, None)
        .await;
    let clerk = app.clerk_on_duty(1).await;
    app.finished_visit(&clerk, &kiosk).await;

    let base = app.base.clone();
    let b = browser(&d, 1366, 768).await;
    sign_in(&b, &base, "sup").await;
    b.goto(format!(
        "{base}/admin/scorecard-schemes?region={city}&level=hall"
    ))
    .await
    .unwrap();
    watch_errors(&b).await;
    assert_eq!(text_of(&b, "weight-sum").await, "100");
    let weight = |code: &'static str| {
        let b = b.clone();
        async move {
            b.find(By::Css(format!("tr[data-indicator='{code}'] .w-weight")))
                .await
                .unwrap()
        }
    };
    let sat = weight("satisfaction").await;
    sat.clear().await.unwrap();
    sat.send_keys("25").await.unwrap();
    wait_for(
        "the sum follows the typing",
        Duration::from_secs(5),
        || async { text_of(&b, "weight-sum").await == "105" },
    )
    .await;
    assert!(
        text_of(&b, "sum-note")
            .await
            .contains("权重合计须为 100，现为 105")
    );
    click(&b, "#save-scheme").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        app.store
            .scorecard_schemes(city, "hall")
            .await
            .unwrap()
            .is_empty(),
        "a sum of 105 is not sent"
    );
    let wait = weight("wait_within").await;
    wait.clear().await.unwrap();
    wait.send_keys("10").await.unwrap();
    wait_for("the sum is 100", Duration::from_secs(5), || async {
        text_of(&b, "weight-sum").await == "100"
    })
    .await;
    click(&b, "#save-scheme").await;
    let next = now.back(-1).to_string();
    wait_for("the version is listed", Duration::from_secs(15), || async {
        css_text(&b, "body").await.contains(&next)
            && !app
                .store
                .scorecard_schemes(city, "hall")
                .await
                .unwrap()
                .is_empty()
    })
    .await;
    let saved = app.store.scorecard_schemes(city, "hall").await.unwrap();
    assert_eq!(saved[0].effective_month, ym(now.back(-1)));
    assert!(
        saved[0].scheme.contains("\"weight\":25"),
        "{}",
        saved[0].scheme
    );
    no_js_errors(&b).await;

    // Last month's 红黑榜: the fixture hall up one place on the red board, the other down.
    b.goto(format!(
        "{base}/ranking?region={city}&month={}",
        now.back(1)
    ))
    .await
    .unwrap();
    let code = app.fx.hall.code.clone();
    let sel = format!("tr[data-hall='{code}']");
    let mut row = String::new();
    for _ in 0..100 {
        row = css_text(&b, &sel).await;
        if !row.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!row.is_empty(), "{}", css_text(&b, "body").await);
    assert!(
        row.contains("↑ 1") && row.contains("95.0") && row.contains("红榜"),
        "{row}"
    );
    let other_code = app.fx.other_hall.code.clone();
    let row = css_text(&b, &format!("tr[data-hall='{other_code}']")).await;
    assert!(row.contains("↓ 1") && row.contains("黑榜"), "{row}");
    assert!(css_text(&b, "#ranking").await.contains("已冻结"));
    quit(b).await;

    // The hall manager's card for this month, explained line by line.
    let b = browser(&d, 1366, 768).await;
    sign_in(&b, &base, "manager").await;
    b.goto(format!("{base}/scorecards")).await.unwrap();
    watch_errors(&b).await;
    let line = css_text(&b, "tr[data-indicator='wait_within']").await;
    assert!(
        line.contains("等候达标率") && line.contains("1/1") && line.contains("达标"),
        "{line}"
    );
    let href = b
        .find(By::Css("tr[data-indicator='wait_within'] a.records"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(href.starts_with("/conformance/visits?hall="), "{href}");
    let sat = css_text(&b, "tr[data-indicator='satisfaction']").await;
    assert!(
        sat.contains("暂无数据") && sat.contains("没有可计的记录"),
        "{sat}"
    );
    // A mean score is not a ratio: its line counts the observations, not "857/1".
    let obs = css_text(&b, "tr[data-indicator='observation_score']").await;
    assert!(obs.contains("次观察") && !obs.contains("/0"), "{obs}");
    assert!(!text_of(&b, "sc-total").await.is_empty());
    click(&b, ".tabs a[href*='tab=clerk']").await;
    wait_for("the clerks' tab", Duration::from_secs(10), || async {
        !b.find_all(By::Css(".sc-clerks tbody tr"))
            .await
            .unwrap()
            .is_empty()
    })
    .await;
    no_js_errors(&b).await;
    quit(b).await;
}
