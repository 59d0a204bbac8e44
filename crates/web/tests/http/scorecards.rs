//! Scorecards over HTTP: a supervisor sets a scheme (weights summing to 100) that takes
//! effect next month, a hall's month is scored line by line, frozen after the month end and
//! changed only by an appeal's adjustment; the region's ranking; who may do what.

use crate::common::{App, Auth, MONDAY_10AM, Session};
use crate::http::regions::{supervisor, tree};
use reqwest::Method;
use serde_json::{Value, json};
use servicehall_domain::{DeviceKind, Role};
use servicehall_web::clock::ManualClock;

const DAY: i64 = 86_400_000;

async fn put(app: &App, path: &str, s: &Session, body: Value) -> crate::common::Resp {
    App::send(app.request(Method::PUT, path, Auth::Person(s)).json(&body)).await
}

fn line<'a>(card: &'a Value, code: &str) -> &'a Value {
    card["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["indicator"] == code)
        .unwrap_or_else(|| panic!("no line {code} in {card}"))
}

fn scheme(sat: u32, wait: u32) -> Value {
    json!({
        "lines": [
            {"indicator": "satisfaction", "weight": sat, "target": 98, "bands": [{"at": 95, "pct": 80}]},
            {"indicator": "wait_within", "weight": wait, "target": 90, "bands": []},
            {"indicator": "served", "weight": 0, "target": 0}
        ],
        "deduction_per_violation": 2,
        "deduction_cap": 10
    })
}

#[tokio::test]
async fn a_scheme_takes_effect_next_month_and_a_frozen_month_moves_only_by_adjustment() {
    // 2026-06-01 10:00 in Dalian.
    let app = App::start_with_clock(ManualClock::at(MONDAY_10AM)).await;
    let admin = app.above_halls("admin", Role::Admin).await;
    let (_ln, dl, sy) = tree(&app, &admin).await;
    let sup = supervisor(&app, &admin, "dlsup", dl).await;
    let manager = app.login("manager").await;
    let hall = app.fx.hall.code.clone();
    let schemes = format!("/api/v1/regions/{dl}/scorecard-schemes/hall");

    // Before any is set: the default, every library indicator listed, weights 100.
    let v = app.get(&schemes, Auth::Person(&sup)).await.expect(200);
    assert_eq!(v["current"]["effective_from"], "");
    assert_eq!(v["current"]["weight_sum"], 100);
    assert!(v["current"]["lines"].as_array().unwrap().len() >= 12, "{v}");
    assert!(v["next"].is_null());

    // Weights summing to 90 are refused, naming the sum, Chinese first.
    let p = put(&app, &schemes, &sup, scheme(50, 40)).await.problem(422);
    assert!(
        p.contains("合计须为 100，现为 90") && p.contains("sum to 90"),
        "{p}"
    );
    // A hall manager does not set schemes; nor does a supervisor of another region.
    put(&app, &schemes, &manager, scheme(50, 50))
        .await
        .problem(403);
    let sy_sup = supervisor(&app, &admin, "sysup", sy).await;
    put(&app, &schemes, &sy_sup, scheme(50, 50))
        .await
        .problem(403);
    let set = put(&app, &schemes, &sup, scheme(60, 40)).await.expect(200);
    assert_eq!(set["next"]["effective_from"], "2026-07", "{set}");
    assert_eq!(
        set["current"]["effective_from"], "",
        "June keeps its scheme"
    );

    // A served visit in June, scored by the default scheme.
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk = app.clerk_on_duty(1).await;
    app.finished_visit(&clerk, &kiosk).await;
    let card_url = format!("/api/v1/halls/{hall}/scorecard?month=2026-06&level=hall");
    let june = app.get(&card_url, Auth::Person(&manager)).await.expect(200);
    assert_eq!(
        (june["frozen"].as_bool(), june["scheme_from"].as_str()),
        (Some(false), Some(""))
    );
    let wait = line(&june, "wait_within");
    assert_eq!(
        (wait["num"].as_i64(), wait["den"].as_i64()),
        (Some(1), Some(1)),
        "{wait}"
    );
    assert_eq!(wait["band"], "target");
    assert!(
        wait["records"]
            .as_str()
            .unwrap()
            .starts_with("/conformance/visits?hall=")
    );
    let sat = line(&june, "satisfaction");
    assert_eq!(sat["band"], "no_data");
    assert!(
        sat["explain_zh"]
            .as_str()
            .unwrap()
            .contains("没有可计的记录")
    );
    let total = june["total"].as_f64().unwrap();
    let sum: f64 = june["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["points"].as_f64().unwrap())
        .sum();
    assert!(
        (sum - june["earned"].as_f64().unwrap()).abs() < 0.05,
        "{june}"
    );
    assert_eq!(june["rank"], 1);
    // Wrong level or month.
    let p = app
        .get(
            &format!("/api/v1/halls/{hall}/scorecard?level=town"),
            Auth::Person(&manager),
        )
        .await
        .problem(422);
    assert!(p.starts_with("考核层级") || p.contains("考核层级"), "{p}");
    app.get(
        &format!("/api/v1/halls/{hall}/scorecard?month=2026-13"),
        Auth::Person(&manager),
    )
    .await
    .problem(422);

    // June cannot be frozen before it ends.
    let freeze = format!("/api/v1/regions/{dl}/months/2026-06/freeze");
    let p = app
        .post(&freeze, Auth::Person(&sup), None)
        .await
        .problem(422);
    assert!(p.contains("尚未结束"), "{p}");
    // An appeal needs a frozen month.
    let appeal =
        json!({"month": "2026-06", "reason": "6月观察扣分有误", "evidence": "观察 #1 监控截图"});
    let appeals = format!("/api/v1/halls/{hall}/appeals");
    app.post(&appeals, Auth::Person(&manager), Some(appeal.clone()))
        .await
        .problem(422);

    // A month on, signed in afresh (sessions do not last a month).
    app.clock().advance(31 * DAY);
    let (sup, manager, clerk) = (
        app.login("dlsup").await,
        app.login("manager").await,
        app.login("clerk1").await,
    );
    let f = app
        .post(&freeze, Auth::Person(&sup), None)
        .await
        .expect(201);
    assert_eq!(f["month"], "2026-06");
    app.post(&freeze, Auth::Person(&sup), None)
        .await
        .problem(409);
    app.post(&freeze, Auth::Person(&manager), None)
        .await
        .problem(403);

    // The frozen month reads back as kept, not recomputed.
    let frozen = app.get(&card_url, Auth::Person(&manager)).await.expect(200);
    assert_eq!(frozen["frozen"], true);
    assert_eq!(frozen["total"].as_f64(), Some(total));

    // The manager appeals; a clerk may not; the supervisor accepts with +2.
    app.post(&appeals, Auth::Person(&clerk), Some(appeal.clone()))
        .await
        .problem(403);
    let a = app
        .post(&appeals, Auth::Person(&manager), Some(appeal.clone()))
        .await
        .expect(201);
    assert_eq!(a["state"], "pending");
    let id = a["id"].as_i64().unwrap();
    let decide = format!("/api/v1/appeals/{id}/decide");
    app.post(
        &decide,
        Auth::Person(&manager),
        Some(json!({"accept": true, "points": 2, "reason": "自己裁定"})),
    )
    .await
    .problem(403);
    let p = app
        .post(
            &decide,
            Auth::Person(&sup),
            Some(json!({"accept": true, "reason": "无分数"})),
        )
        .await
        .problem(422);
    assert!(p.contains("调整分数"), "{p}");
    let d = app
        .post(
            &decide,
            Auth::Person(&sup),
            Some(json!({"accept": true, "points": -2, "reason": "复核后维持扣分并追加"})),
        )
        .await
        .expect(200);
    assert_eq!(
        (d["state"].as_str(), d["points"].as_f64()),
        (Some("accepted"), Some(-2.0))
    );
    app.post(
        &decide,
        Auth::Person(&sup),
        Some(json!({"accept": false, "reason": "再裁"})),
    )
    .await
    .problem(409);
    let after = app.get(&card_url, Auth::Person(&manager)).await.expect(200);
    assert_eq!(
        after["total"].as_f64(),
        Some(total),
        "the frozen total stays"
    );
    assert_eq!(after["adjustments"].as_array().unwrap().len(), 1);
    let want = ((total - 2.0).max(0.0) * 10.0).round() / 10.0;
    assert_eq!(after["final_total"].as_f64(), Some(want));
    let list = app.get(&appeals, Auth::Person(&manager)).await.expect(200);
    assert_eq!(list[0]["state_zh"], "已采纳");

    // July is scored by the scheme set in June.
    let july = app
        .get(
            &format!("/api/v1/halls/{hall}/scorecard?month=2026-07"),
            Auth::Person(&manager),
        )
        .await
        .expect(200);
    assert_eq!(july["scheme_from"], "2026-07");
    assert_eq!(line(&july, "satisfaction")["weight"], 60);
    assert_eq!(
        july["lines"].as_array().unwrap().len(),
        2,
        "weight-0 lines are not scored"
    );

    // The ranking: the region's halls for June (frozen), with the region's own card.
    let r = app
        .get(
            &format!("/api/v1/regions/{dl}/ranking?month=2026-06"),
            Auth::Person(&sup),
        )
        .await
        .expect(200);
    assert_eq!(r["frozen"], true);
    assert_eq!(r["rows"][0]["hall_code"], hall.as_str());
    assert_eq!(r["rows"][0]["rank"], 1);
    assert_eq!(r["rows"][0]["total"].as_f64(), Some(want));
    assert_eq!(r["region_card"]["level"], "city");
    app.get(
        &format!("/api/v1/regions/{dl}/ranking"),
        Auth::Person(&manager),
    )
    .await
    .problem(403);
    app.get(&format!("/api/v1/regions/{sy}/ranking"), Auth::Person(&sup))
        .await
        .problem(403);
}

#[tokio::test]
async fn a_clerk_sees_their_own_scorecard_only() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk = app.clerk_on_duty(1).await;
    app.finished_visit(&clerk, &kiosk).await;
    let hall = &app.fx.hall.code;
    let me = clerk.staff["id"].as_i64().unwrap();
    let url = format!("/api/v1/halls/{hall}/staff/{me}/scorecard");
    let card = app.get(&url, Auth::Person(&clerk)).await.expect(200);
    assert_eq!(card["level"], "clerk");
    // Only what a clerk can be counted on: no waiting or complaint lines.
    assert!(
        card["lines"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["indicator"] != "wait_within")
    );
    let ns = line(&card, "no_show_rate");
    assert_eq!(
        (ns["num"].as_i64(), ns["den"].as_i64()),
        (Some(0), Some(1)),
        "{ns}"
    );
    let manager = app.login("manager").await;
    app.get(&url, Auth::Person(&manager)).await.expect(200);
    let other = app.login("clerk2").await;
    let p = app.get(&url, Auth::Person(&other)).await.problem(403);
    assert!(p.contains("自己的考核"), "{p}");
    // Staff of another hall are not this hall's.
    let mid = manager.staff["id"].as_i64().unwrap();
    let oh = &app.fx.other_hall.code;
    let admin = app.above_halls("admin", Role::Admin).await;
    app.get(
        &format!("/api/v1/halls/{oh}/staff/{mid}/scorecard"),
        Auth::Person(&admin),
    )
    .await
    .problem(404);
}
