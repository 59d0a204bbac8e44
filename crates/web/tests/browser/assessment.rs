//! The standard measured in the browser: a hall manager at 1366×768 sees the month's visits
//! counted on /conformance, follows a figure to its records, and an administrator picks a
//! region and sees its halls.

use super::*;
use crate::common::App;
use crate::http::regions::tree;
use servicehall_domain::{DeviceKind, Role};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hall_and_a_region_read_their_conformance_and_reach_the_records() {
    let Some(d) = driver("a_hall_and_a_region_read_their_conformance_and_reach_the_records").await
    else {
        return;
    };
    let app = App::start().await;
    let admin = app.above_halls("root", Role::Admin).await;
    let (ln, _, _) = tree(&app, &admin).await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk = app.clerk_on_duty(1).await;
    for _ in 0..3 {
        app.finished_visit(&clerk, &kiosk).await;
    }
    let b = browser(&d, 1366, 768).await;
    watch_errors(&b).await;
    sign_in(&b, &app.base, "manager").await;
    b.goto(format!("{}/conformance", app.base)).await.unwrap();
    // 有序接办 is measured from the three visits and met; 管理服务风险 cannot be measured yet.
    let c3 = css_text(&b, "tr[data-code='C3']").await;
    assert!(c3.contains("平均等候时长") && c3.contains("达标"), "{c3}");
    let b6 = css_text(&b, "tr[data-code='B6']").await;
    assert!(b6.contains("尚无数据可衡量"), "{b6}");
    assert!(
        b.find(By::Css("tr[data-code='C3'] svg.spark"))
            .await
            .is_ok(),
        "a trend is drawn"
    );
    let met: usize = text_of(&b, "count-met").await.trim().parse().unwrap();
    assert!(met >= 2, "C3 and C4 at least");
    // Follow the figure to its records: the three visits.
    click(&b, "tr[data-code='C3'] a.evidence").await;
    wait_for("the visits list", Duration::from_secs(10), || async {
        b.find(By::Id("visits")).await.is_ok()
    })
    .await;
    let rows = b.find_all(By::Css("#visits tbody tr")).await.unwrap();
    assert_eq!(rows.len(), 3);
    no_js_errors(&b).await;

    // The administrator picks the province: both halls are listed with their tallies.
    let b2 = browser(&d, 1366, 768).await;
    sign_in(&b2, &app.base, "root").await;
    b2.goto(format!("{}/conformance?scope=region:{ln}", app.base))
        .await
        .unwrap();
    let halls = css_text(&b2, "#halls").await;
    assert!(
        halls.contains(&app.fx.hall.code) && halls.contains(&app.fx.other_hall.code),
        "{halls}"
    );
    let c3 = css_text(&b2, "tr[data-code='C3']").await;
    assert!(c3.contains("达标"), "{c3}");
    no_js_errors(&b2).await;
}
