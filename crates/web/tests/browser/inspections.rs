//! The inspections screen on a tablet (1024×768): the hall manager runs a pre-shift check
//! for a clerk with one fail, is stopped until the fail has its note, submits and sees the
//! score, the verdict and the rule; the check is then in today's list.

use super::*;
use crate::common::App;
use servicehall_domain::inspections::shipped::shipped;
use servicehall_store::InspectionStore;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pre_shift_check_on_a_tablet() {
    let Some(d) = driver("a_pre_shift_check_on_a_tablet").await else {
        return;
    };
    let app = App::start().await;
    app.store
        .install_inspection_templates(&shipped().unwrap(), app.now())
        .await
        .unwrap();
    let base = app.base.clone();
    let b = browser(&d, 1024, 768).await;
    sign_in(&b, &base, "manager").await;
    b.goto(format!("{base}/inspections")).await.unwrap();
    watch_errors(&b).await;

    // The grooming check is first and per person: the person picker shows.
    assert!(visible(&b, "ins-subject-row").await);
    let clerk = app.fx.clerks[1].name.clone();
    b.find(By::Css(format!(
        "#ins-subject option[value='{}']",
        app.fx.clerks[1].id
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    click(&b, "#ins-go").await;
    wait_for("the checklist", Duration::from_secs(10), || async {
        visible(&b, "ins-run").await
    })
    .await;
    assert!(text_of(&b, "ins-meta").await.contains(&clerk));

    // Pass everything but the badge; each tap is saved.
    let keys: Vec<String> = {
        let mut v = Vec::new();
        for e in b.find_all(By::Css(".ins-item")).await.unwrap() {
            v.push(e.attr("data-key").await.unwrap().unwrap());
        }
        v
    };
    assert_eq!(keys.len(), 7);
    for k in &keys {
        let r = if k == "badge" { "fail" } else { "pass" };
        click(&b, &format!(".ins-item[data-key='{k}'] .ins-{r}")).await;
        wait_for("the tap saved", Duration::from_secs(10), || async {
            css_text(&b, "#ins-provisional").await.contains(&format!(
                "{}/7",
                keys.iter().position(|x| x == k).unwrap() + 1
            ))
        })
        .await;
    }
    // The target is large enough for a finger.
    let h: f64 = b
        .execute(
            "return document.querySelector('.ins-choice').getBoundingClientRect().height",
            vec![],
        )
        .await
        .unwrap()
        .convert()
        .unwrap();
    assert!(h >= 48.0, "choice buttons are {h}px high");

    // Without the note the submission is refused, naming the item.
    click(&b, "#ins-submit").await;
    wait_for("the refusal", Duration::from_secs(10), || async {
        text_of(&b, "toast").await.contains("工号牌")
    })
    .await;
    assert!(!visible(&b, "ins-result").await);

    let note = b
        .find(By::Css(".ins-item[data-key='badge'] textarea"))
        .await
        .unwrap();
    note.send_keys("工号牌忘在更衣柜").await.unwrap();
    click(&b, "#ins-submit").await;
    wait_for("the result", Duration::from_secs(10), || async {
        visible(&b, "ins-result").await
    })
    .await;
    assert_eq!(text_of(&b, "ins-score").await, "81.3 分 · points");
    assert!(text_of(&b, "ins-verdict").await.contains("不合格"));
    assert!(text_of(&b, "ins-critical").await.contains("工号牌"));
    assert!(
        css_text(&b, "#ins-result .ins-rule")
            .await
            .contains("不适用项不计入")
    );
    no_js_errors(&b).await;

    // Stored with the note, and listed today.
    let listed = app.store.inspections(app.fx.hall.id, 0, 10).await.unwrap();
    let stored = app.store.inspection(listed[0].id).await.unwrap();
    let badge = stored.results.iter().find(|r| r.key == "badge").unwrap();
    assert_eq!(badge.note, "工号牌忘在更衣柜");
    b.goto(format!("{base}/inspections")).await.unwrap();
    assert!(css_text(&b, "#ins-today tbody").await.contains("81.3"));
    quit(b).await;
}
