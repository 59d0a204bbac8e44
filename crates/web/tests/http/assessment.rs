//! Assessment over HTTP: the indicators library, a hall's conformance (every item of the
//! standard with its indicator, value, target and status) counted from real visits, a
//! region's, and who may read them.

use crate::common::{App, Auth};
use crate::http::regions::{supervisor, tree};
use servicehall_domain::{DeviceKind, Role};

#[tokio::test]
async fn the_library_lists_every_indicator_with_its_definition() {
    let app = App::start().await;
    let manager = app.login("manager").await;
    let list = app
        .get("/api/v1/indicators", Auth::Person(&manager))
        .await
        .expect(200);
    let list = list.as_array().unwrap();
    assert!(list.len() >= 12, "{list:?}");
    let wait = list.iter().find(|i| i["code"] == "wait_mean").unwrap();
    assert_eq!(
        (wait["unit"].as_str(), wait["direction"].as_str()),
        (Some("minutes"), Some("lower"))
    );
    assert!(wait["definition_zh"].as_str().unwrap().contains("叫号"));
    // The last of the library: idle share (a share, lower is better) and missed checks.
    let idle = list.iter().find(|i| i["code"] == "idle_share").unwrap();
    assert_eq!(
        (idle["unit"].as_str(), idle["direction"].as_str()),
        (Some("percent"), Some("lower"))
    );
    let missed = list
        .iter()
        .find(|i| i["code"] == "site_checks_missed")
        .unwrap();
    assert_eq!(missed["unit"], "checks");
    // Devices read no library: it is for people.
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    app.get("/api/v1/indicators", Auth::Device(&kiosk))
        .await
        .problem(403);
}

#[tokio::test]
async fn a_hall_month_is_measured_from_its_visits() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk = app.clerk_on_duty(1).await;
    for _ in 0..2 {
        app.finished_visit(&clerk, &kiosk).await;
    }
    let manager = app.login("manager").await;
    let hall = &app.fx.hall.code;
    let v = app
        .get(
            &format!("/api/v1/halls/{hall}/conformance"),
            Auth::Person(&manager),
        )
        .await
        .expect(200);
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 31, "the standard's 31 items");
    assert_eq!(
        v["met"].as_u64().unwrap()
            + v["not_met"].as_u64().unwrap()
            + v["no_data"].as_u64().unwrap(),
        31
    );
    assert_eq!(v["months"].as_array().unwrap().len(), 12);
    let item = |code: &str| items.iter().find(|i| i["code"] == code).unwrap().clone();
    // 有序接办: two visits called at once, so the mean wait is under a minute: met.
    let c3 = item("C3");
    assert_eq!(c3["indicator"], "wait_mean");
    assert_eq!(
        (c3["status"].as_str(), c3["denominator"].as_i64()),
        (Some("met"), Some(2))
    );
    assert_eq!(c3["target"], 15.0);
    assert!(c3["value"].as_f64().unwrap() < 1.0, "{c3}");
    assert_eq!(c3["trend"].as_array().unwrap().len(), 12);
    assert!(
        c3["trend"][11].is_number(),
        "this month ends the trend: {c3}"
    );
    let evidence = c3["evidence"].as_str().unwrap();
    assert!(
        evidence.starts_with("/conformance/visits?hall=") || evidence.starts_with('/'),
        "{evidence}"
    );
    // Nobody rated: the satisfaction item says no data, not zero.
    let b5 = item("B5");
    assert_eq!(
        (b5["status"].as_str(), b5["value"].is_null()),
        (Some("no_data"), true)
    );
    // An item no record measures yet says why.
    let b6 = item("B6");
    assert!(
        b6["indicator"].is_null() && b6["status"] == "no_data",
        "{b6}"
    );
    assert!(b6["note_zh"].as_str().unwrap().contains("风险"), "{b6}");
    // 考核监督制度化 is measured by the site checks done on schedule.
    assert_eq!(item("M6")["indicator"], "site_checks_done_rate");

    // A month with nothing counted, and a month written wrong.
    let empty = app
        .get(
            &format!("/api/v1/halls/{hall}/conformance?month=2020-01"),
            Auth::Person(&manager),
        )
        .await
        .expect(200);
    assert_eq!(empty["no_data"], 31);
    let p = app
        .get(
            &format!("/api/v1/halls/{hall}/conformance?month=2026-13"),
            Auth::Person(&manager),
        )
        .await
        .problem(422);
    assert!(p.contains("YYYY-MM"), "{p}");

    // A clerk sees no figures; a hall manager not another hall's.
    let c = app.login("clerk2").await;
    app.get(
        &format!("/api/v1/halls/{hall}/conformance"),
        Auth::Person(&c),
    )
    .await
    .problem(403);
    let other = &app.fx.other_hall.code;
    app.get(
        &format!("/api/v1/halls/{other}/conformance"),
        Auth::Person(&manager),
    )
    .await
    .problem(403);
}

#[tokio::test]
async fn a_region_adds_its_halls_and_stays_in_scope() {
    let app = App::start().await;
    let admin = app.above_halls("admin", Role::Admin).await;
    let (ln, dl, sy) = tree(&app, &admin).await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk = app.clerk_on_duty(1).await;
    app.finished_visit(&clerk, &kiosk).await;

    let v = app
        .get(
            &format!("/api/v1/regions/{ln}/conformance"),
            Auth::Person(&admin),
        )
        .await
        .expect(200);
    assert_eq!(v["scope"], format!("region:{ln}"));
    assert_eq!(v["halls"].as_array().unwrap().len(), 2, "{v}");
    let served = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "C4")
        .unwrap()
        .clone();
    assert_eq!(served["denominator"], 1, "{served}");
    // A region's value has no single hall's records to link to.
    assert!(served["evidence"].is_null());

    // A supervisor of 大连 reads 大连, not 辽宁 (it reaches 沈阳) nor 沈阳.
    let sup = supervisor(&app, &admin, "dlsup", dl).await;
    app.get(
        &format!("/api/v1/regions/{dl}/conformance"),
        Auth::Person(&sup),
    )
    .await
    .expect(200);
    app.get(
        &format!("/api/v1/regions/{ln}/conformance"),
        Auth::Person(&sup),
    )
    .await
    .problem(403);
    app.get(
        &format!("/api/v1/regions/{sy}/conformance"),
        Auth::Person(&sup),
    )
    .await
    .problem(403);
    // A hall manager looks at the hall, not the region.
    let manager = app.login("manager").await;
    app.get(
        &format!("/api/v1/regions/{dl}/conformance"),
        Auth::Person(&manager),
    )
    .await
    .problem(403);
    app.get("/api/v1/regions/999999/conformance", Auth::Person(&admin))
        .await
        .problem(404);
}

#[tokio::test]
async fn the_conformance_page_shows_a_hall_and_says_what_cannot_be_measured() {
    let app = App::start().await;
    let manager = app.login("manager").await;
    let page = app.get("/conformance", Auth::Person(&manager)).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("标准达标") && page.text.contains("data-code=\"M1\""));
    assert!(
        page.text.contains("尚无数据可衡量"),
        "unmeasured items say so"
    );
    let lib = app.get("/indicators", Auth::Person(&manager)).await;
    assert_eq!(lib.status, 200);
    assert!(lib.text.contains("id=\"on_time_rate\""));
    let clerk = app.login("clerk1").await;
    assert_eq!(
        app.get("/conformance", Auth::Person(&clerk)).await.status,
        403
    );
}
