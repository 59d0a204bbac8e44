//! Checklists and inspections over HTTP: a pre-shift check from template to score, the
//! refusals (422 naming the item, 409 once submitted, 403 for clerks and guides) and hall
//! versions of a template.

use crate::common::{App, Auth};
use serde_json::{Value, json};
use servicehall_domain::inspections::shipped::shipped;
use servicehall_store::InspectionStore;

async fn with_templates() -> App {
    let app = App::start().await;
    app.store
        .install_inspection_templates(&shipped().unwrap(), app.now())
        .await
        .unwrap();
    app
}

fn template_id(list: &Value, code: &str) -> i64 {
    list.as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == code)
        .and_then(|t| t["id"].as_i64())
        .unwrap_or_else(|| panic!("{code} in {list}"))
}

#[tokio::test]
async fn a_pre_shift_check_runs_to_its_score_and_then_is_final() {
    let app = with_templates().await;
    let manager = app.login("manager").await;
    let m = Auth::Person(&manager);
    let hall = &app.fx.hall.code;
    let list = app
        .get(&format!("/api/v1/halls/{hall}/inspection-templates"), m)
        .await
        .expect(200);
    assert_eq!(list.as_array().unwrap().len(), 6);
    let grooming = template_id(&list, "pre_shift_grooming");
    let t = app
        .get(&format!("/api/v1/inspection-templates/{grooming}"), m)
        .await
        .expect(200);
    assert_eq!(t["subject"], "staff");
    assert_eq!(t["sections"][0]["items"][1]["key"], "badge");

    let start = format!("/api/v1/halls/{hall}/inspections");
    // The grooming check is per person.
    let p = app
        .post(
            &start,
            m,
            Some(json!({"template": grooming, "subject": "hall"})),
        )
        .await
        .problem(422);
    assert!(p.contains("逐人检查") && p.contains("per person"), "{p}");
    let clerk = app.fx.clerks[0].id;
    let i = app
        .post(
            &start,
            m,
            Some(json!({"template": grooming, "subject": {"staff": clerk}})),
        )
        .await
        .expect(201);
    let id = i["id"].as_i64().unwrap();
    assert_eq!(i["items"].as_array().unwrap().len(), 7);
    assert_eq!(i["subject_name"], app.fx.clerks[0].name.as_str());
    assert!(
        i["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["result"].is_null())
    );

    // Nothing recorded yet: the submission names what is missing.
    let p = app
        .post(&format!("/api/v1/inspections/{id}/submit"), m, None)
        .await
        .problem(422);
    assert!(p.contains("未填写") && p.contains("no result"), "{p}");

    for x in i["items"].as_array().unwrap() {
        let key = x["key"].as_str().unwrap();
        let result = if key == "badge" { "fail" } else { "pass" };
        app.post(
            &format!("/api/v1/inspections/{id}/items/{key}"),
            m,
            Some(json!({"result": result})),
        )
        .await
        .expect(200);
    }
    let p = app
        .post(&format!("/api/v1/inspections/{id}/submit"), m, None)
        .await
        .problem(422);
    assert!(
        p.contains("工号牌佩戴于左胸") && p.contains("Staff badge"),
        "{p}"
    );

    let r = app
        .post(
            &format!("/api/v1/inspections/{id}/items/badge"),
            m,
            Some(json!({"result": "fail", "note": "工号牌忘在更衣柜"})),
        )
        .await
        .expect(200);
    assert!(r["submitted_at"].is_null());
    let done = app
        .post(&format!("/api/v1/inspections/{id}/submit"), m, None)
        .await
        .expect(200);
    // 13 of 16 = 81.25 → 81.3; the badge is critical, so it fails either way.
    assert_eq!(done["score"], "81.3");
    assert_eq!(done["passed"], false);
    assert_eq!(done["critical_failed"], json!(["badge"]));
    assert_eq!(done["sections"][0]["score"], "70");
    assert!(done["rule_zh"].as_str().unwrap().contains("不适用项不计入"));

    app.post(&format!("/api/v1/inspections/{id}/submit"), m, None)
        .await
        .problem(409);
    let p = app
        .post(
            &format!("/api/v1/inspections/{id}/items/badge"),
            m,
            Some(json!({"result": "pass"})),
        )
        .await
        .problem(409);
    assert!(p.contains("已提交"), "{p}");
}

#[tokio::test]
async fn bad_input_is_named_and_people_outside_the_rule_are_refused() {
    let app = with_templates().await;
    let manager = app.login("manager").await;
    let m = Auth::Person(&manager);
    let hall = &app.fx.hall.code;
    let list = app
        .get(&format!("/api/v1/halls/{hall}/inspection-templates"), m)
        .await
        .expect(200);
    let opening = template_id(&list, "opening");
    let i = app
        .post(
            &format!("/api/v1/halls/{hall}/inspections"),
            m,
            Some(json!({"template": opening, "subject": "hall"})),
        )
        .await
        .expect(201);
    let id = i["id"].as_i64().unwrap();
    let p = app
        .post(
            &format!("/api/v1/inspections/{id}/items/no_such"),
            m,
            Some(json!({"result": "pass"})),
        )
        .await
        .problem(422);
    assert!(p.contains("没有这个检查项"), "{p}");
    app.post(
        &format!("/api/v1/inspections/{id}/items/floor_clean"),
        m,
        Some(json!({"result": "maybe"})),
    )
    .await
    .problem(400);
    app.post(
        &format!("/api/v1/halls/{hall}/inspections"),
        m,
        Some(json!({"template": 999_999, "subject": "hall"})),
    )
    .await
    .problem(404);

    for user in ["clerk1", "guide"] {
        let s = app.login(user).await;
        app.get(
            &format!("/api/v1/halls/{hall}/inspection-templates"),
            Auth::Person(&s),
        )
        .await
        .problem(403);
        app.post(
            &format!("/api/v1/inspections/{id}/items/floor_clean"),
            Auth::Person(&s),
            Some(json!({"result": "pass"})),
        )
        .await
        .problem(403);
    }
}

#[tokio::test]
async fn a_hall_writes_its_own_version_and_a_bad_one_is_refused() {
    let app = with_templates().await;
    let manager = app.login("manager").await;
    let m = Auth::Person(&manager);
    let hall = &app.fx.hall.code;
    let path = format!("/api/v1/halls/{hall}/inspection-templates");
    let list = app.get(&path, m).await.expect(200);
    let mut midday = app
        .get(
            &format!(
                "/api/v1/inspection-templates/{}",
                template_id(&list, "midday")
            ),
            m,
        )
        .await
        .expect(200);
    midday["sections"][1]["items"][2]["weight"] = json!(3);
    let saved = app.post(&path, m, Some(midday.clone())).await.expect(201);
    assert_eq!(saved["version"], 2);
    assert_eq!(saved["hall_id"], app.fx.hall.id);
    let list = app.get(&path, m).await.expect(200);
    assert_eq!(template_id(&list, "midday"), saved["id"].as_i64().unwrap());

    midday["sections"][0]["items"][1]["key"] = json!("waiting_order");
    let p = app.post(&path, m, Some(midday)).await.problem(422);
    assert!(p.contains("重复") && p.contains("used twice"), "{p}");
}
