//! Automated accessibility check: axe-core (vendored under `vendor/`, test-only) runs in the
//! page; the public hall page, the counter screen and the staff screens (with their shared
//! header) must have no serious or critical WCAG 2.1 A/AA violation.

use super::*;
use servicehall_domain::DeviceKind;

const AXE: &str = include_str!("vendor/axe.min.js");

/// Serious and critical violations on the current page, as `rule: targets` (and a failure
/// when axe considered suspiciously few rules, passed or not applicable, i.e. did not really
/// run; a short page passes few rules but still has most of them found not applicable).
pub(super) async fn violations(b: &WebDriver) -> Vec<String> {
    b.execute(AXE, vec![]).await.expect("inject axe-core");
    b.set_script_timeout(Duration::from_secs(60)).await.unwrap();
    let v = b
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
               .then(r => done(r.passes.length + r.inapplicable.length < 30 ? ['axe considered only ' + (r.passes.length + r.inapplicable.length) + ' rules'] :
                 r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .expect("run axe-core");
    v.convert().expect("a list of violations")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_pages_and_counter_screen_pass_axe() {
    let Some(d) = driver("public_pages_and_counter_screen_pass_axe").await else {
        return;
    };
    let app = super::catalogue::app_with_catalogue().await;
    app.clerk_on_duty(1).await;
    let b = browser(&d, 390, 844).await;
    b.goto(format!("{}/hall/{}", app.base, app.fx.hall.code))
        .await
        .unwrap();
    // With every guide open, so its contents are checked too, in both text sizes.
    b.execute(
        "document.querySelectorAll('details').forEach(d => d.open = true)",
        vec![],
    )
    .await
    .unwrap();
    let found = violations(&b).await;
    assert!(found.is_empty(), "public hall page: {found:#?}");
    click(&b, "#large-text").await;
    let found = violations(&b).await;
    assert!(found.is_empty(), "public hall page, large text: {found:#?}");

    let c1 = app.fx.counter(1).id;
    let token = app.device(DeviceKind::CounterScreen, Some(c1)).await;
    let s = browser(&d, 1366, 768).await;
    s.goto(format!("{}/device/pair?token={token}", app.base))
        .await
        .unwrap();
    wait_for(
        "the clerk on the counter screen",
        Duration::from_secs(10),
        || async { text_of(&s, "cs-badge").await == "DL001" },
    )
    .await;
    let found = violations(&s).await;
    assert!(found.is_empty(), "counter screen: {found:#?}");
    b.goto(format!("{}/h/{}/book", app.base, app.fx.hall.code))
        .await
        .unwrap();
    let found = violations(&b).await;
    assert!(found.is_empty(), "booking page: {found:#?}");
    quit(b).await;
    quit(s).await;
}

/// The staff screens a hall works on all day, whole pages (the shared staff header
/// included), as the manager, a clerk at the counter, the guide and an administrator.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_screens_pass_axe() {
    let Some(d) = driver("staff_screens_pass_axe").await else {
        return;
    };
    let app = super::catalogue::app_with_catalogue().await;
    app.clerk_on_duty(1).await;
    app.above_halls("root", servicehall_domain::Role::Admin)
        .await;
    let mut found = Vec::new();
    for (user, paths) in [
        (
            "manager",
            &[
                "/manager",
                "/cases",
                "/cases/on-time",
                "/insight",
                "/insight/curve",
                "/observations",
                "/inspections",
                "/incidents",
                "/staffing",
                "/risks",
                "/risks/new",
                "/customers",
                "/conformance",
                "/indicators",
                "/scorecards",
                "/appeals",
                "/reports",
                "/feedback/flags",
                "/feedback/recovery",
                "/standards",
                "/audit",
                "/appointments",
            ][..],
        ),
        (
            "clerk1",
            &["/counter", "/counter/manual", "/scorecards"][..],
        ),
        ("guide", &["/guide", "/appointments"][..]),
        (
            "root",
            &[
                "/admin",
                "/admin/regions",
                "/admin/cases",
                "/ranking",
                "/admin/scorecard-schemes",
            ][..],
        ),
    ] {
        let b = browser(&d, 1366, 900).await;
        sign_in(&b, &app.base, user).await;
        for path in paths {
            b.goto(format!("{}{path}", app.base)).await.unwrap();
            for v in violations(&b).await {
                found.push(format!("{user} {path}: {v}"));
            }
        }
        quit(b).await;
    }
    assert!(found.is_empty(), "{found:#?}");
}
