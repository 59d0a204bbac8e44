//! A power cut (停电) in the browser: the hall manager declares it on the incidents screen;
//! the lobby display (1920×1080) shows and speaks the announcement and the public hall page
//! (a phone, 390×844) shows it, each within a second; the guide ticks the guide's step; the
//! manager closes the incident and the announcement disappears from both.

use super::*;
use crate::common::App;
use servicehall_domain::DeviceKind;
use servicehall_domain::incidents::shipped::shipped;
use servicehall_store::IncidentStore;

async fn shown(b: &WebDriver, id: &str) -> bool {
    visible(b, id).await && !text_of(b, id).await.is_empty()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_power_cut_reaches_the_display_and_the_public_page_and_ends() {
    let Some(d) = driver("a_power_cut_reaches_the_display_and_the_public_page_and_ends").await
    else {
        return;
    };
    let app = App::start().await;
    app.store
        .install_playbooks(&shipped().unwrap(), app.now())
        .await
        .unwrap();
    let base = app.base.clone();
    let hall = app.fx.hall.code.clone();

    let display_token = app.device(DeviceKind::Display, None).await;
    let display = browser(&d, 1920, 1080).await;
    display
        .goto(format!("{base}/device/pair?token={display_token}"))
        .await
        .unwrap();
    wait_for("lobby display", Duration::from_secs(10), || async {
        visible(&display, "call-number").await
    })
    .await;
    watch_errors(&display).await;
    // What the display says aloud.
    display
        .execute(
            "window.__said = []; const o = SH.speak; SH.speak = (t, n) => { window.__said.push(t); return o(t, n); };",
            vec![],
        )
        .await
        .unwrap();
    let phone = browser(&d, 390, 844).await;
    phone.goto(format!("{base}/hall/{hall}")).await.unwrap();
    watch_errors(&phone).await;

    let m = browser(&d, 1366, 768).await;
    sign_in(&m, &base, "manager").await;
    m.goto(format!("{base}/incidents")).await.unwrap();
    watch_errors(&m).await;
    assert!(text_of(&m, "inc-active").await.contains("没有进行中"));
    // Let the screens' long polls settle on "nothing active".
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(!visible(&display, "inc-overlay").await);
    assert!(!visible(&phone, "inc-banner").await);

    m.execute("window.confirm = () => true;", vec![])
        .await
        .unwrap();
    click(&m, "input[name='inc-kind'][value='outage']").await;
    m.find(By::Id("inc-note"))
        .await
        .unwrap()
        .send_keys("北区线路跳闸")
        .await
        .unwrap();
    click(&m, "#inc-go").await;
    let t0 = std::time::Instant::now();
    wait_for(
        "the display's announcement",
        Duration::from_secs(1),
        || async { shown(&display, "inc-overlay").await },
    )
    .await;
    wait_for(
        "the public page's banner",
        Duration::from_secs(1),
        || async { shown(&phone, "inc-banner").await },
    )
    .await;
    let both = t0.elapsed();
    println!("declared → shown on the display and the public page: {both:?}");
    assert!(both < Duration::from_secs(1), "{both:?}");
    let big = text_of(&display, "inc-overlay").await;
    assert!(
        big.contains("临时停电") && big.contains("power cut"),
        "{big}"
    );
    // Large and high contrast: the Chinese line is at least 60 px on 1920×1080.
    let px: f64 = display
        .execute(
            "return parseFloat(getComputedStyle(document.querySelector('#inc-overlay .inc-o-zh')).fontSize)",
            vec![],
        )
        .await
        .unwrap()
        .convert()
        .unwrap();
    assert!(px >= 60.0, "{px}px");
    wait_for(
        "the announcement spoken",
        Duration::from_secs(3),
        || async {
            let said: Vec<String> = display
                .execute("return window.__said", vec![])
                .await
                .unwrap()
                .convert()
                .unwrap_or_default();
            said.iter().any(|s| s.contains("临时停电"))
        },
    )
    .await;
    assert!(text_of(&phone, "inc-banner").await.contains("临时停电"));

    // The manager's checklist: five timed steps; the guide ticks the guide's step.
    wait_for("the checklist", Duration::from_secs(5), || async {
        css_text(&m, "#inc-active").await.contains("北区线路跳闸")
    })
    .await;
    assert_eq!(m.find_all(By::Css(".inc-step")).await.unwrap().len(), 5);
    let g = browser(&d, 1024, 768).await;
    sign_in(&g, &base, "guide").await;
    g.goto(format!("{base}/incidents")).await.unwrap();
    watch_errors(&g).await;
    // The guide has a button on the guide's step only.
    assert_eq!(g.find_all(By::Css(".inc-done")).await.unwrap().len(), 1);
    click(&g, ".inc-step[data-step='guide_customers'] .inc-done").await;
    wait_for(
        "the guide's step done on the manager's screen",
        Duration::from_secs(5),
        || async {
            css_text(&m, ".inc-step[data-step='guide_customers'] .inc-status")
                .await
                .contains("已完成")
        },
    )
    .await;

    // Closing ends the announcement everywhere.
    click(&m, ".inc-close").await;
    let t1 = std::time::Instant::now();
    wait_for("the display cleared", Duration::from_secs(1), || async {
        !visible(&display, "inc-overlay").await
    })
    .await;
    wait_for(
        "the public page cleared",
        Duration::from_secs(1),
        || async { !visible(&phone, "inc-banner").await },
    )
    .await;
    println!("closed → cleared: {:?}", t1.elapsed());
    wait_for("the history row", Duration::from_secs(5), || async {
        css_text(&m, "#inc-history").await.contains("营业厅停电")
    })
    .await;
    assert!(css_text(&m, "#inc-history").await.contains("复盘"));
    for b in [&display, &phone, &m, &g] {
        no_js_errors(b).await;
    }
    for b in [display, phone, m, g] {
        quit(b).await;
    }
}
