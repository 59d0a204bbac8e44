//! The hall edge on the central dashboard: a hall whose edge has been silent for two minutes
//! is shown 离线 · Offline with when it was last heard from; once it reports again, 在线 · Online.

use super::*;
use crate::common::App;
use servicehall_store::EdgeStore;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_marks_an_edge_run_hall_offline_then_online() {
    let Some(d) = driver("the_dashboard_marks_an_edge_run_hall_offline_then_online").await else {
        return;
    };
    let app = App::start().await;
    let hall = app.fx.hall.id;
    app.store
        .edge_receive(hall, "星海现场", &[], app.now() - 120_000)
        .await
        .unwrap();
    let b = browser(&d, 1366, 768).await;
    sign_in(&b, &app.base, "manager").await;
    b.goto(format!("{}/manager", app.base)).await.unwrap();
    watch_errors(&b).await;
    let line = css_text(&b, "#edge-status").await;
    assert!(line.contains("离线 · Offline"), "{line}");
    assert!(
        line.contains("星海现场") && line.contains("最后联系"),
        "{line}"
    );
    assert!(visible(&b, "edge-status").await);
    app.store
        .edge_receive(hall, "星海现场", &[], app.now())
        .await
        .unwrap();
    b.goto(format!("{}/manager", app.base)).await.unwrap();
    let line = css_text(&b, "#edge-status").await;
    assert!(line.contains("在线 · Online"), "{line}");
    no_js_errors(&b).await;
}
