//! The catalogue screens in the browser: the public hall page on a phone (large-text mode
//! remembered, the guide opened by keyboard, nothing wider than the screen), a notice given
//! from the counter console and printed on 80 mm paper, and the counter screen following the
//! counter live.

use super::*;
use crate::common::{App, Auth};
use servicehall_domain::DeviceKind;

/// Today in the fixture hall (Asia/Shanghai).
fn today() -> String {
    servicehall_domain::time::service_day(servicehall_web::now_ms(), chrono_tz::Asia::Shanghai)
        .to_string()
}

/// The fixture hall with a one-entry catalogue in effect today.
pub async fn app_with_catalogue() -> App {
    let app = App::start().await;
    let manager = app.login("manager").await;
    let yaml = format!(
        "hall: {}
repeat_window_days: 15
commitments:
- 居民新装 3 个工作日内答复供电方案
entries:
- business_type: new_connection
  effective_from: {}
  description: 居民新装用电，客户零投资。
  who_may_apply: 房屋产权人
  documents:
    resident:
    - name: 户主身份证明
    - name: 房屋产权证明
      note: 不动产权证书或购房合同
  fees:
  - item: 居民新装
    fen: 0
    basis: 发改能源规〔2020〕1479号
  channels: [hall, app, '95598']
  online: 网上国网 App
",
        app.fx.hall.code,
        today()
    );
    let res = App::send(
        app.request(
            reqwest::Method::POST,
            &format!("/api/v1/halls/{}/catalogue/import", app.fx.hall.code),
            Auth::Person(&manager),
        )
        .body(yaml),
    )
    .await;
    res.expect(200);
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_hall_page_on_a_phone() {
    let Some(d) = driver("public_hall_page_on_a_phone").await else {
        return;
    };
    let app = app_with_catalogue().await;
    app.clerk_on_duty(2).await;
    let b = browser(&d, 390, 844).await;
    let url = format!("{}/hall/{}", app.base, app.fx.hall.code);
    b.goto(&url).await.unwrap();
    watch_errors(&b).await;
    let body = b.find(By::Tag("body")).await.unwrap().text().await.unwrap();
    assert!(
        body.contains("今日挂牌服务") && body.contains("DL002"),
        "{body}"
    );
    let fits: bool = b
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth",
            vec![],
        )
        .await
        .unwrap()
        .convert()
        .unwrap();
    assert!(fits, "the page is wider than a phone");

    // The guide opens from the keyboard (a <details> summary takes focus and Enter).
    let summary = b.find(By::Css("#guide details summary")).await.unwrap();
    summary.focus().await.unwrap();
    summary.send_keys(Key::Enter).await.unwrap();
    wait_for("the guide to open", Duration::from_secs(5), || async {
        visible(&b, "guide-new_connection").await
    })
    .await;
    let guide = text_of(&b, "guide-new_connection").await;
    assert!(
        guide.contains("户主身份证明") && guide.contains("免费"),
        "{guide}"
    );
    assert!(
        guide.contains("3 个工作日"),
        "steps and limits from the case process: {guide}"
    );

    // Large text for elderly customers: toggled, and remembered on the next visit.
    let size = |b: &WebDriver| {
        let b = b.clone();
        async move {
            let v: f64 = b
                .execute(
                    "return parseFloat(getComputedStyle(document.body).fontSize)",
                    vec![],
                )
                .await
                .unwrap()
                .convert()
                .unwrap();
            v
        }
    };
    let before = size(&b).await;
    click(&b, "#large-text").await;
    let after = size(&b).await;
    assert!(after > before * 1.2, "large text: {before} → {after}");
    let pressed = b
        .find(By::Id("large-text"))
        .await
        .unwrap()
        .attr("aria-pressed")
        .await
        .unwrap();
    assert_eq!(pressed.as_deref(), Some("true"));
    no_js_errors(&b).await;
    b.goto(&url).await.unwrap();
    assert!(size(&b).await > before * 1.2, "large text is remembered");
    quit(b).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notice_from_the_counter_prints_on_80mm() {
    let Some(d) = driver("notice_from_the_counter_prints_on_80mm").await else {
        return;
    };
    let app = app_with_catalogue().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    app.issue(Auth::Device(&kiosk), "new_connection").await;
    let c2 = app.fx.counter(2).id;

    let b = browser(&d, 1366, 768).await;
    sign_in(&b, &app.base, "clerk2").await;
    click(&b, &format!("#open-list button[data-id='{c2}']")).await;
    wait_for("console", Duration::from_secs(10), || async {
        visible(&b, "btn-call").await
    })
    .await;
    click(&b, "#btn-call").await;
    wait_for("start", Duration::from_secs(5), || async {
        visible(&b, "btn-start").await
    })
    .await;
    click(&b, "#btn-start").await;
    wait_for("notice button", Duration::from_secs(5), || async {
        visible(&b, "btn-notice").await
    })
    .await;
    click(&b, "#btn-notice").await;

    // The form comes with the ticket's business; the clerk enters the customer and gives it.
    wait_for("the notice form", Duration::from_secs(10), || async {
        visible(&b, "nf-contact").await
    })
    .await;
    watch_errors(&b).await;
    let chosen = b
        .find(By::Id("nf-type"))
        .await
        .unwrap()
        .value()
        .await
        .unwrap();
    assert_eq!(chosen.as_deref(), Some("new_connection"));
    b.find(By::Id("nf-contact"))
        .await
        .unwrap()
        .send_keys("13812345678")
        .await
        .unwrap();
    click(&b, "#nf-give").await;
    wait_for("the notice", Duration::from_secs(10), || async {
        b.current_url().await.unwrap().path().starts_with("/n/")
    })
    .await;
    let text = b
        .find(By::Tag("article"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for shown in [
        "一次性告知单",
        "户主身份证明",
        "房屋产权证明",
        "免费",
        "DL002",
        "95598",
    ] {
        assert!(text.contains(shown), "notice lacks {shown:?}: {text}");
    }
    assert!(
        !text.contains("5678"),
        "the notice never shows the customer's phone"
    );

    // Printed on an 80 mm roll: the page size is set and the buttons are not printed.
    let url = b.current_url().await.unwrap();
    b.goto(format!(
        "{}?paper=80mm",
        url.as_str().split('?').next().unwrap()
    ))
    .await
    .unwrap();
    let page_rule: String = b
        .execute(
            "return [...document.styleSheets].flatMap(s => { try { return [...s.cssRules] } catch (_) { return [] } }).filter(r => r.type === CSSRule.PAGE_RULE).map(r => r.cssText).join(' ')",
            vec![],
        )
        .await
        .unwrap()
        .convert()
        .unwrap();
    assert!(page_rule.contains("80mm"), "{page_rule}");
    // The print rules (chromedriver cannot switch to print media without CDP): the
    // buttons are hidden and the 80 mm notice is 74 mm wide on paper.
    let print_rules: String = b
        .execute(
            "return [...document.styleSheets].flatMap(s => { try { return [...s.cssRules] } catch (_) { return [] } }).filter(r => r.type === CSSRule.MEDIA_RULE && r.media.mediaText === 'print').map(r => r.cssText).join(' ')",
            vec![],
        )
        .await
        .unwrap()
        .convert()
        .unwrap();
    assert!(print_rules.contains(".no-print"), "{print_rules}");
    assert!(
        print_rules.contains(".paper-80mm { width: 74mm;"),
        "{print_rules}"
    );
    let classes = b
        .find(By::Tag("article"))
        .await
        .unwrap()
        .class_name()
        .await
        .unwrap();
    assert!(classes.unwrap_or_default().contains("paper-80mm"));
    let actions = b
        .find(By::Css("nav.notice-actions"))
        .await
        .unwrap()
        .class_name()
        .await
        .unwrap();
    assert!(actions.unwrap_or_default().contains("no-print"));
    no_js_errors(&b).await;
    quit(b).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counter_screen_follows_the_counter_live() {
    let Some(d) = driver("counter_screen_follows_the_counter_live").await else {
        return;
    };
    let app = App::start().await;
    let c1 = app.fx.counter(1).id;
    let token = app.device(DeviceKind::CounterScreen, Some(c1)).await;
    let b = browser(&d, 1366, 768).await;
    b.goto(format!("{}/device/pair?token={token}", app.base))
        .await
        .unwrap();
    wait_for("the counter screen", Duration::from_secs(10), || async {
        b.current_url().await.unwrap().path() == "/device/counter-screen"
    })
    .await;
    watch_errors(&b).await;
    assert!(
        text_of(&b, "cs-status").await.contains("暂停服务"),
        "closed counter"
    );

    // The clerk opens the counter: name, badge and 服务中 appear without a reload.
    let clerk = app.clerk_on_duty(1).await;
    wait_for("服务中", Duration::from_secs(10), || async {
        text_of(&b, "cs-status").await.contains("服务中")
    })
    .await;
    assert_eq!(text_of(&b, "cs-badge").await, "DL001");
    // Paused with a reason.
    app.post(
        &format!("/api/v1/counters/{c1}/pause"),
        Auth::Person(&clerk),
        Some(serde_json::json!({"reason": "午休"})),
    )
    .await
    .expect(200);
    wait_for(
        "暂停服务 with the reason",
        Duration::from_secs(10),
        || async {
            text_of(&b, "cs-status").await.contains("暂停服务")
                && text_of(&b, "cs-reason").await.contains("午休")
        },
    )
    .await;
    no_js_errors(&b).await;
    quit(b).await;
}
