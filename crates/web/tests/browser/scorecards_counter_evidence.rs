//! At a desk (1366×768): a hall manager opens a counter's scorecard (each line explained,
//! with a link to its records — that counter's own visits, under a chip naming it), files an appeal of last month with a PDF attached, and the
//! supervisor deciding it sees the file with its hash and a link that downloads it.

use super::*;
use crate::common::App;
use servicehall_domain::Role;
use servicehall_domain::assessment::Month;
use servicehall_domain::audit::sha256_hex;
use servicehall_store::{FrozenInput, NewFreeze, RegionInput, RegionStore, ScorecardStore};

const PDF: &[u8] = b"%PDF-1.7\n% camera still, 12 May 10:41\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_reads_a_counters_card_and_appeals_with_a_file_the_supervisor_opens() {
    let Some(d) =
        driver("a_manager_reads_a_counters_card_and_appeals_with_a_file_the_supervisor_opens")
            .await
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
    app.store
        .set_hall_region(app.fx.hall.id, Some(city))
        .await
        .unwrap();
    let now = Month::of(servicehall_domain::time::service_day(
        app.now(),
        chrono_tz::Asia::Shanghai,
    ));
    let last = now.back(1);
    app.store
        .freeze_scorecards(
            NewFreeze {
                region_id: city,
                month: i64::from(last.year) * 100 + i64::from(last.month),
                frozen_by: None,
                scores: vec![FrozenInput {
                    hall_id: app.fx.hall.id,
                    total_tenths: Some(884),
                    detail: r#"{"lines":[],"deductions":[],"earned":0,"deducted":0,"total":null,"note_zh":"","note_en":""}"#.into(),
                }],
            },
            app.now(),
        )
        .await
        .unwrap();
    app.above_halls("sup", Role::Supervisor).await;
    let kiosk = app
        .device(servicehall_domain::DeviceKind::Kiosk, None)
        .await;
    let clerk = app.clerk_on_duty(1).await;
    app.finished_visit(&clerk, &kiosk).await;
    let base = app.base.clone();

    // The counters' tab: every counter with its total; counter 1's card line by line.
    let b = browser(&d, 1366, 768).await;
    sign_in(&b, &base, "manager").await;
    b.goto(format!("{base}/scorecards")).await.unwrap();
    watch_errors(&b).await;
    click(&b, ".tabs a[href*='tab=counter']").await;
    let c1 = app.fx.counter(1).id;
    wait_for("the counters' list", Duration::from_secs(10), || async {
        css_text(&b, ".sc-counters").await.contains("1 号窗口")
    })
    .await;
    click(&b, &format!("tr[data-counter='{c1}'] a")).await;
    wait_for("counter 1's card", Duration::from_secs(10), || async {
        css_text(&b, "#scorecard h2").await.contains("1 号窗口")
    })
    .await;
    assert!(css_text(&b, "#scorecard").await.contains("窗口 Counter"));
    let line = css_text(&b, "tr[data-indicator='no_show_rate']").await;
    assert!(line.contains("0/1"), "{line}");
    let href = b
        .find(By::Css("tr[data-indicator='no_show_rate'] a.records"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(href.contains(&app.fx.hall.code), "{href}");
    assert!(href.contains(&format!("counter={c1}")), "{href}");
    no_js_errors(&b).await;

    // The line's records are counter 1's own visits, with the chip naming it.
    click(&b, "tr[data-indicator='no_show_rate'] a.records").await;
    wait_for("counter 1's visits", Duration::from_secs(10), || async {
        css_text(&b, "#visits-filter")
            .await
            .contains("窗口 1 号 · Counter 1")
    })
    .await;
    assert_eq!(css_text(&b, "#visits-counted").await, "1");
    assert_eq!(
        css_text(&b, "#visits tbody")
            .await
            .matches("已办结")
            .count(),
        1
    );
    no_js_errors(&b).await;
    // Clearing the chip lists the whole hall.
    click(&b, "#visits-filter a.clear").await;
    wait_for("the hall's visits", Duration::from_secs(10), || async {
        b.find(By::Id("visits-filter")).await.is_err()
            && css_text(&b, "#visits").await.contains("已办结")
    })
    .await;

    // An appeal of last month with the camera still attached.
    let dir = std::env::temp_dir().join(format!("sh-appeal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("监控截图.pdf");
    std::fs::write(&file, PDF).unwrap();
    b.goto(format!("{base}/appeals")).await.unwrap();
    watch_errors(&b).await;
    b.find(By::Id("appeal-reason"))
        .await
        .unwrap()
        .send_keys("5号窗口扣分系顾客插队所致，见监控截图")
        .await
        .unwrap();
    b.find(By::Id("appeal-file"))
        .await
        .unwrap()
        .send_keys(file.display().to_string())
        .await
        .unwrap();
    click(&b, "#appeal-form button[type=submit]").await;
    let hall_id = app.fx.hall.id;
    wait_for(
        "the appeal and its file",
        Duration::from_secs(15),
        || async {
            let rows = app.store.appeals(&[hall_id]).await.unwrap();
            let ids: Vec<i64> = rows.iter().map(|a| a.id).collect();
            !app.store.appeal_files(&ids).await.unwrap().is_empty()
        },
    )
    .await;
    let id = app.store.appeals(&[hall_id]).await.unwrap()[0].id;
    let kept = app.store.appeal_files(&[id]).await.unwrap().remove(0);
    assert_eq!(kept.sha256, sha256_hex(PDF));
    wait_for(
        "the page shows the file",
        Duration::from_secs(10),
        || async {
            css_text(&b, &format!("#appeal-{id} .evidence-files"))
                .await
                .contains("监控截图.pdf")
        },
    )
    .await;
    no_js_errors(&b).await;
    quit(b).await;
    let _ = std::fs::remove_dir_all(&dir);

    // The supervisor sees the file under the pending appeal and downloads it.
    let b = browser(&d, 1366, 768).await;
    sign_in(&b, &base, "sup").await;
    b.goto(format!("{base}/appeals")).await.unwrap();
    watch_errors(&b).await;
    let sel = format!("#appeal-{id} .evidence-files a");
    let link = b.find(By::Css(sel.as_str())).await.unwrap();
    assert_eq!(link.text().await.unwrap(), "监控截图.pdf");
    let href = link.attr("href").await.unwrap().unwrap();
    assert_eq!(
        href,
        format!(
            "/api/v1/halls/{}/appeals/{id}/evidence/{}",
            app.fx.hall.code, kept.id
        )
    );
    assert!(
        css_text(&b, &format!("#appeal-{id}"))
            .await
            .contains(&kept.sha256[..12])
    );
    // Fetched with the supervisor's session, the bytes are the file attached.
    let got: String = b
        .execute(
            "return fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.status + ' ' + r.headers.get('content-type'))",
            vec![serde_json::json!(href)],
        )
        .await
        .unwrap()
        .convert()
        .unwrap();
    assert_eq!(got, "200 application/pdf");
    assert!(
        b.find(By::Css(format!("form.decide[data-id='{id}']")))
            .await
            .is_ok()
    );
    no_js_errors(&b).await;
    quit(b).await;
}
