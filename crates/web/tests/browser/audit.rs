//! The audit page in the browser: a supervisor sees the hall's chain head and the rating
//! just made with who and from where, verifies (held), then after a rating is edited in the
//! database verifies again and is told which row; a hall manager sees their hall's records
//! without the verify button.

use super::*;
use crate::common::{App, Auth};
use servicehall_domain::{DeviceKind, Role};
use servicehall_store::AuditStore;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_verifies_and_is_told_which_row_was_edited() {
    let Some(d) = driver("a_supervisor_verifies_and_is_told_which_row_was_edited").await else {
        return;
    };
    let app = App::start().await;
    let base = app.base.clone();
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let pad = app
        .device(DeviceKind::Evaluator, Some(app.fx.counter(1).id))
        .await;
    let clerk = app.clerk_on_duty(1).await;
    let visit = app.finished_visit(&clerk, &kiosk).await;
    let id = visit["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/tickets/{id}/rating"),
        Auth::Device(&pad),
        Some(serde_json::json!({"level": 5})),
    )
    .await
    .expect(201);
    app.store.seal_hall_events(1_000, app.now()).await.unwrap();
    app.above_halls("sup", Role::Supervisor).await;

    let b = browser(&d, 1366, 768).await;
    watch_errors(&b).await;
    sign_in(&b, &base, "sup").await;
    b.goto(format!("{base}/audit")).await.unwrap();
    let head = app
        .store
        .audit_heads(Some(app.fx.hall.id))
        .await
        .unwrap()
        .remove(0);
    let heads = css_text(&b, "#heads").await;
    assert!(
        heads.contains(&format!("{}:{}:{}", head.chain, head.seq, head.hash)),
        "{heads}"
    );
    let records = css_text(&b, "#records").await;
    assert!(records.contains("评价 Rating"), "{records}");
    assert!(
        records.contains("127.0.0.* POST /api/v1/tickets/{id}/rating"),
        "{records}"
    );
    assert!(text_of(&b, "audit-last").await.contains("尚未校验"));

    click(&b, "#audit-verify").await;
    wait_for("the verification held", Duration::from_secs(10), || async {
        css_text(&b, "#audit-last").await.contains("上次校验完好")
    })
    .await;

    sqlx::query("UPDATE ratings SET level = 1")
        .execute(app.store.pool())
        .await
        .unwrap();
    click(&b, "#audit-verify").await;
    wait_for("tampering is named", Duration::from_secs(10), || async {
        b.find(By::Id("audit-broken")).await.is_ok()
    })
    .await;
    let broken = text_of(&b, "audit-broken").await;
    assert!(
        broken.contains("源数据被改动 · source row edited: ratings #"),
        "{broken}"
    );
    quit(b).await;

    let b = browser(&d, 1366, 768).await;
    sign_in(&b, &base, "manager").await;
    b.goto(format!("{base}/audit")).await.unwrap();
    assert!(css_text(&b, "#records").await.contains("评价 Rating"));
    assert!(
        b.find(By::Id("audit-verify")).await.is_err(),
        "verification is started above halls"
    );
    assert!(text_of(&b, "audit-last").await.contains("上次校验发现篡改"));
    quit(b).await;
}
