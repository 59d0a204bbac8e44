//! Case configuration (时限配置) over HTTP: the administrator's settings and process editor;
//! changes apply to cases opened after them.

use crate::common::{App, Auth};
use reqwest::Method;
use serde_json::json;

use super::documents::open_complaint;

#[tokio::test]
async fn case_config_changes_apply_to_cases_opened_after_them() {
    let app = App::start().await;
    let hall = app.fx.hall.code.clone();
    let clerk = app.login("clerk1").await;
    let manager = app.login("manager").await;
    let cfg_url = format!("/api/v1/halls/{hall}/case-config");
    // Clerks may not configure.
    app.get(&cfg_url, Auth::Person(&clerk)).await.problem(403);
    let cfg = app.get(&cfg_url, Auth::Person(&manager)).await.expect(200);
    assert_eq!(cfg["settings"]["owner_permille"], 500);
    assert_eq!(cfg["settings"]["manager_permille"], 800);
    assert!(cfg["settings"]["source"].as_str().unwrap().contains("50 %"));
    // Every process shows where its limits come from.
    let procs = cfg["processes"].as_array().unwrap();
    let hv = procs
        .iter()
        .find(|p| p["business_type"] == "new_connection" && p["customer_class"] == "hv_dual")
        .unwrap();
    assert_eq!(
        hv["process"]["steps"][0]["clocks"][0]["amount"],
        json!({"unit": "working_days", "n": 30})
    );
    assert!(
        hv["process"]["steps"][0]["clocks"][0]["source"]
            .as_str()
            .unwrap()
            .contains("十项承诺")
    );
    let complaint_p = procs.iter().find(|p| p["kind"] == "complaint").unwrap();
    assert_eq!(complaint_p["customised"], false);

    let before = open_complaint(&app, &clerk).await;
    // Reply within 3 working days from now on.
    let mut p = complaint_p["process"].clone();
    p["steps"][1]["clocks"][0]["amount"]["n"] = json!(3);
    let cfg = app
        .request(
            Method::PUT,
            &format!("{cfg_url}/process"),
            Auth::Person(&manager),
        )
        .json(&json!({"kind": "complaint", "process": p}));
    let cfg = App::send(cfg).await.expect(200);
    let complaint_p = cfg["processes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "complaint")
        .unwrap()
        .clone();
    assert_eq!(complaint_p["customised"], true);
    let s = App::send(
        app.request(
            Method::PUT,
            &format!("{cfg_url}/settings"),
            Auth::Person(&manager),
        )
        .json(&json!({"owner_permille": 400, "manager_permille": 700, "pause_cap_hours": 48})),
    )
    .await
    .expect(200);
    assert_eq!(s["settings"]["owner_permille"], 400);
    let after = open_complaint(&app, &clerk).await;
    assert_eq!(after["clocks"][1]["amount"]["n"], 3);
    assert_eq!(after["thresholds"]["owner"], 0.4);
    let before = app
        .get(
            &format!("/api/v1/cases/{}", before["id"]),
            Auth::Person(&clerk),
        )
        .await
        .expect(200);
    assert_eq!(
        before["clocks"][1]["amount"]["n"], 5,
        "open cases keep their limits"
    );
    assert_eq!(before["thresholds"]["owner"], 0.5);

    // Bad input: a clear 422 saying what to fix, and nothing changes.
    for (body, needle) in [
        (
            json!({"owner_permille": 900, "manager_permille": 700, "pause_cap_hours": 1}),
            "above the owner",
        ),
        (
            json!({"owner_permille": 400, "manager_permille": 700, "pause_cap_hours": 99999}),
            "pause cap",
        ),
    ] {
        let d = App::send(
            app.request(
                Method::PUT,
                &format!("{cfg_url}/settings"),
                Auth::Person(&manager),
            )
            .json(&body),
        )
        .await
        .problem(422);
        assert!(d.contains(needle), "{d}");
    }
    let mut bad = p.clone();
    bad["steps"][0]["clocks"][0]["source"] = json!("");
    for (body, needle) in [
        (json!({"kind": "complaint", "process": bad}), "source"),
        (
            json!({"kind": "application", "business_type": "nope", "customer_class": "resident", "process": p}),
            "unknown business type",
        ),
        (
            json!({"kind": "application", "business_type": "new_connection", "customer_class": "giant", "process": p}),
            "unknown customer class",
        ),
        (
            json!({"kind": "recovery", "process": p}),
            "feedback settings",
        ),
        (
            json!({"kind": "complaint", "customer_class": "resident", "process": p}),
            "leave out",
        ),
    ] {
        let d = App::send(
            app.request(
                Method::PUT,
                &format!("{cfg_url}/process"),
                Auth::Person(&manager),
            )
            .json(&body),
        )
        .await
        .problem(422);
        assert!(d.contains(needle), "{needle}: {d}");
    }
    let cfg = app.get(&cfg_url, Auth::Person(&manager)).await.expect(200);
    assert_eq!(cfg["settings"]["owner_permille"], 400);
    assert_eq!(
        cfg["processes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["kind"] == "complaint")
            .unwrap()["process"]["steps"][0]["clocks"][0]["source"],
        p["steps"][0]["clocks"][0]["source"]
    );
    // The admin screen is there for managers, not for clerks.
    let page = app.get("/admin/cases", Auth::Person(&manager)).await;
    assert_eq!(page.status.as_u16(), 200);
    assert!(page.text.contains("时限配置"));
    assert_eq!(
        app.get("/admin/cases", Auth::Person(&clerk))
            .await
            .status
            .as_u16(),
        403
    );
}
