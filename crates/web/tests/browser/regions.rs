//! Regions in the browser: an administrator builds the tree with the form, hangs the hall on
//! the city and limits a supervisor to it; the city supervisor opens the on-time rate, which
//! defaults to their region and shows the late step in red.

use super::*;
use crate::common::App;
use servicehall_domain::Role;
use servicehall_domain::cases::{CaseKind, CustomerClass};
use servicehall_store::{CaseStore, HallStore, OpenCase, StaffInput};

const DAY: i64 = 86_400_000;

async fn fill(b: &WebDriver, name: &str, value: &str) {
    let e = b
        .find(By::Css(format!("#region-form [name={name}]")))
        .await
        .unwrap();
    e.clear().await.unwrap();
    e.send_keys(value).await.unwrap();
}

/// Picks the option whose text contains `label` in the select matched by `css`.
async fn choose(b: &WebDriver, css: &str, label: &str) {
    let select = b.find(By::Css(css)).await.unwrap();
    for o in select.find_all(By::Tag("option")).await.unwrap() {
        if o.text().await.unwrap().contains(label) {
            o.click().await.unwrap();
            return;
        }
    }
    panic!("no option {label} in {css}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_builds_the_tree_and_a_city_supervisor_reads_their_on_time_rate() {
    let Some(d) =
        driver("admin_builds_the_tree_and_a_city_supervisor_reads_their_on_time_rate").await
    else {
        return;
    };
    let app = App::start().await;
    let base = app.base.clone();
    app.above_halls("root", Role::Admin).await;
    app.store
        .create_staff(
            &StaffInput {
                hall_id: None,
                username: "dlsup".into(),
                name: "高志刚".into(),
                badge_no: "DL0003".into(),
                role: Role::Supervisor,
                photo: String::new(),
                active: true,
            },
            crate::common::password_hash(),
        )
        .await
        .unwrap();
    // A complaint whose 24-hour contact came two days late.
    let now = servicehall_web::now_ms();
    let clerk = app.fx.clerks[0].id;
    let case = app
        .store
        .open_case(
            &OpenCase {
                hall_id: app.fx.hall.id,
                kind: CaseKind::Complaint,
                business_type_id: None,
                customer_class: CustomerClass::Resident,
                customer_name: "李四".into(),
                customer_phone: "13900001111".into(),
                account_no: String::new(),
                summary: "电费异常".into(),
                ticket_id: None,
                by: clerk,
            },
            now - 5 * DAY,
        )
        .await
        .unwrap();
    app.store
        .complete_step(case.case.id, "contact", clerk, "已联系", now - 60_000)
        .await
        .unwrap();

    let b = browser(&d, 1366, 900).await;
    watch_errors(&b).await;
    sign_in(&b, &base, "root").await;
    b.goto(format!("{base}/admin/regions")).await.unwrap();
    for (code, name, parent) in [
        ("LN", "辽宁省电力", None),
        ("LN-DL", "大连供电", Some("辽宁省电力")),
    ] {
        fill(&b, "code", code).await;
        fill(&b, "name_zh", name).await;
        if let Some(p) = parent {
            choose(&b, "#region-form [name=parent_id]", p).await;
        }
        click(&b, "#region-form button[type=submit]").await;
        wait_for("region saved", Duration::from_secs(10), || async {
            b.find(By::Css(format!("tr[data-region='{code}']")))
                .await
                .is_ok()
        })
        .await;
    }
    // A wrong code comes back with the reason, and nothing is added.
    fill(&b, "code", "大连").await;
    fill(&b, "name_zh", "错误").await;
    click(&b, "#region-form button[type=submit]").await;
    wait_for("error shown", Duration::from_secs(10), || async {
        visible(&b, "region-error").await
    })
    .await;
    assert!(text_of(&b, "region-error").await.contains("region code"));
    assert_eq!(
        b.find_all(By::Css("tr[data-region]")).await.unwrap().len(),
        2
    );

    let hall = app.fx.hall.code.clone();
    choose(
        &b,
        &format!("#hall-regions tr[data-hall='{hall}'] select"),
        "大连供电",
    )
    .await;
    click(&b, &format!("#hall-regions tr[data-hall='{hall}'] button")).await;
    wait_for("hall moved", Duration::from_secs(10), || async {
        b.find(By::Css(format!("#hall-regions tr[data-hall='{hall}']")))
            .await
            .map(|_| ())
            .is_ok()
            && b.current_url()
                .await
                .unwrap()
                .query()
                .unwrap_or("")
                .contains("ok=assigned")
    })
    .await;
    choose(
        &b,
        "#staff-regions tr[data-staff='DL0003'] select",
        "大连供电",
    )
    .await;
    click(&b, "#staff-regions tr[data-staff='DL0003'] button").await;
    wait_for("supervisor limited", Duration::from_secs(10), || async {
        css_text(&b, "#staff-regions tr[data-staff='DL0003']")
            .await
            .contains("辽宁省电力 / 大连供电")
    })
    .await;
    assert!(
        app.store
            .hall(app.fx.hall.id)
            .await
            .unwrap()
            .region_id
            .is_some()
    );
    no_js_errors(&b).await;
    quit(b.clone()).await;

    // The city supervisor: their region by default, the late contact step in red.
    let s = browser(&d, 1366, 900).await;
    sign_in(&s, &base, "dlsup").await;
    s.goto(format!("{base}/cases/on-time?from=2000-01-01"))
        .await
        .unwrap();
    let heading = s
        .find(By::Css("#overall h2"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(heading.contains("辽宁省电力 / 大连供电"), "{heading}");
    let contact = s
        .find(By::Css("#by-step tr[data-key='contact']"))
        .await
        .unwrap();
    assert!(contact.text().await.unwrap().contains("0/1"));
    let bar = contact.find(By::Css(".bar > span")).await.unwrap();
    assert_eq!(bar.attr("class").await.unwrap().as_deref(), Some("red"));
    let options = s.find_all(By::Css("#scope option")).await.unwrap();
    let mut labels = Vec::new();
    for o in options {
        labels.push(o.text().await.unwrap());
    }
    assert!(
        !labels.iter().any(|l| l.contains("辽宁省电力 区域")),
        "not the province above: {labels:?}"
    );
    assert!(
        !labels.iter().any(|l| l.contains(&app.fx.other_hall.code)),
        "not a hall outside: {labels:?}"
    );
    quit(s).await;
}
