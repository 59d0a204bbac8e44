//! The stored anti-gaming flags (防刷评) with findings, over HTTP.

use crate::common::{App, Auth};
use servicehall_domain::Role;
use servicehall_domain::feedback::gaming::{EvidenceTicket, Flag, FlagKind, Subject};
use servicehall_store::GamingFlagStore;

use super::feedback_settings::form;
use super::lists::{column, workbook};

fn flag(subject: Subject, tickets: &[i64]) -> Flag {
    Flag {
        kind: FlagKind::TopRun,
        subject,
        summary_zh: "连续 3 次“非常满意”".into(),
        figures: vec![],
        tickets: tickets
            .iter()
            .map(|&id| EvidenceTicket {
                ticket_id: id,
                number: format!("11-20 A{id:03}"),
                note: "非常满意 · very satisfied".into(),
            })
            .collect(),
    }
}

#[tokio::test]
async fn flags_are_kept_and_acknowledged_with_a_finding() {
    let app = App::start().await;
    let sup = app.above_halls("sup", Role::Supervisor).await;
    let manager = app.login("manager").await;
    let hall = app.fx.hall.id;
    let clerk = Subject::Clerk(app.fx.clerks[0].id);
    let now = app.now();
    app.store
        .record_flags(
            hall,
            &[
                flag(clerk, &[1, 2, 3]),
                flag(Subject::Counter(app.fx.counters[1].id), &[4]),
            ],
            now,
        )
        .await
        .unwrap();

    let list = app
        .get("/api/v1/halls/DL-XH/feedback/flags", Auth::Person(&sup))
        .await
        .expect(200);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2, "kept, not recomputed away: {list:?}");
    assert!(list.iter().all(|f| f["finding"].is_null()));
    let id = list
        .iter()
        .find(|f| f["flag"]["subject"]["type"] == "clerk")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/feedback/flags/{id}/finding");

    // The hall does not judge its own clerks; a finding needs a known verdict and a note.
    app.post(
        &path,
        Auth::Person(&manager),
        Some(serde_json::json!({"finding": "dismissed", "note": "x"})),
    )
    .await
    .problem(403);
    let m = app
        .post(
            &path,
            Auth::Person(&sup),
            Some(serde_json::json!({"finding": "maybe", "note": "x"})),
        )
        .await
        .problem(422);
    assert!(m.contains("confirmed or dismissed"), "{m}");
    let m = app
        .post(
            &path,
            Auth::Person(&sup),
            Some(serde_json::json!({"finding": "confirmed", "note": " "})),
        )
        .await
        .problem(422);
    assert!(m.contains("note"), "{m}");
    let done = app
        .post(
            &path,
            Auth::Person(&sup),
            Some(serde_json::json!({"finding": "confirmed", "note": "调取录像，柜员自行点按"})),
        )
        .await
        .expect(200);
    assert_eq!(done["finding"], "confirmed");
    app.post(
        &path,
        Auth::Person(&sup),
        Some(serde_json::json!({"finding": "dismissed", "note": "改判"})),
    )
    .await
    .problem(409);
    app.post(
        "/api/v1/feedback/flags/99999/finding",
        Auth::Person(&sup),
        Some(serde_json::json!({"finding": "dismissed", "note": "x"})),
    )
    .await
    .problem(404);

    // Open first; the judged flag stays with its finding, on the API and the page.
    let list = app
        .get("/api/v1/halls/DL-XH/feedback/flags", Auth::Person(&sup))
        .await
        .expect(200);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert!(list[0]["finding"].is_null());
    assert_eq!(list[1]["id"].as_i64(), Some(id));
    assert_eq!(list[1]["finding_note"], "调取录像，柜员自行点按");
    assert!(list[1]["finding_by"].as_str().unwrap().contains("sup"));
    let page = app
        .get("/feedback/flags?hall=DL-XH", Auth::Person(&sup))
        .await;
    assert_eq!(page.status, 200);
    let open_at = page.text.find("class=\"flag open\"").expect("an open flag");
    let judged_at = page
        .text
        .find("class=\"flag judged\"")
        .expect("a judged flag");
    assert!(open_at < judged_at, "open first");
    assert!(page.text.contains("调取录像，柜员自行点按") && page.text.contains("属实"));

    // The page's own form: a finding without a note comes back with the reason.
    let other = list[0]["id"].as_i64().unwrap();
    let res = form(
        &app,
        &format!("/feedback/flags/{other}/finding"),
        &sup,
        &[("finding", "dismissed"), ("note", ""), ("days", "30")],
    )
    .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(res.text.contains("finding-error"));
    let res = form(
        &app,
        &format!("/feedback/flags/{other}/finding"),
        &sup,
        &[
            ("finding", "dismissed"),
            ("note", "排队老客户集中评价"),
            ("days", "30"),
        ],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(res.text.contains("已记录核查结论") && res.text.contains("排队老客户集中评价"));
}

/// The flags list on the lists' frame: filtered by kind and state in the store, the same
/// columns in the workbook, the print without forms, each open row with its finding form.
#[tokio::test]
async fn the_flags_list_filters_exports_and_prints() {
    let app = App::start().await;
    let sup = app.above_halls("sup", Role::Supervisor).await;
    let hall = app.fx.hall.id;
    let skipped = Flag {
        kind: FlagKind::SkippedPad,
        ..flag(Subject::Counter(app.fx.counters[1].id), &[7])
    };
    app.store
        .record_flags(
            hall,
            &[
                flag(Subject::Clerk(app.fx.clerks[0].id), &[1, 2, 3]),
                skipped,
            ],
            app.now(),
        )
        .await
        .unwrap();
    let flags = app
        .get("/api/v1/halls/DL-XH/feedback/flags", Auth::Person(&sup))
        .await
        .expect(200);
    let run = flags
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["flag"]["kind"] == "top_run")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    app.post(
        &format!("/api/v1/feedback/flags/{run}/finding"),
        Auth::Person(&sup),
        Some(serde_json::json!({"finding": "confirmed", "note": "调取录像"})),
    )
    .await
    .expect(200);

    let (headers, rows) = workbook(&app, "/feedback/flags?hall=DL-XH&format=xlsx", &sup).await;
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".xlsx")
    );
    assert_eq!(rows.len(), 3, "{rows:?}");
    let (kind, finding, note) = (
        column(&rows, "类型 Kind"),
        column(&rows, "结论 Finding"),
        column(&rows, "核查说明 Finding note"),
    );
    column(&rows, "证据票号 Evidence tickets");
    // Open first, then the judged one with its note.
    assert_eq!(rows[1][kind], "长业务未评价");
    assert_eq!(rows[1][finding], "待核查 open");
    assert_eq!(rows[2][finding], "属实 confirmed");
    assert_eq!(rows[2][note], "调取录像");
    let (_, rows) = workbook(
        &app,
        "/feedback/flags?hall=DL-XH&state=confirmed&format=xlsx",
        &sup,
    )
    .await;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][kind], "连续满分");
    let (_, rows) = workbook(
        &app,
        "/feedback/flags?hall=DL-XH&kind=skipped_pad&state=confirmed&format=xlsx",
        &sup,
    )
    .await;
    assert_eq!(rows.len(), 1, "the header alone: {rows:?}");

    // On screen: one form, on the open row, sending the filters back.
    let page = app
        .get(
            "/feedback/flags?hall=DL-XH&kind=skipped_pad",
            Auth::Person(&sup),
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("id=\"flags-table\""));
    assert_eq!(page.text.matches("class=\"finding-form\"").count(), 1);
    let back = page.text.split("name=\"back\" value=\"").nth(1).unwrap();
    let back = &back[..back.find('"').unwrap()];
    assert!(
        back.starts_with("hall=DL-XH") && back.ends_with("kind=skipped_pad"),
        "{back}"
    );
    // The finding comes back to the same filtered list, the flag now judged.
    let open = flags
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["flag"]["kind"] == "skipped_pad")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let res = form(
        &app,
        &format!("/feedback/flags/{open}/finding"),
        &sup,
        &[
            ("finding", "dismissed"),
            ("note", "窗口评价器故障"),
            ("back", "hall=DL-XH&kind=skipped_pad"),
        ],
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(res.text.contains("已记录核查结论"));
    assert_eq!(res.text.matches("class=\"flag judged\"").count(), 1);
    assert!(!res.text.contains("class=\"flag open\""));
    let print = app
        .get(
            "/feedback/flags?hall=DL-XH&format=print",
            Auth::Person(&sup),
        )
        .await;
    assert_eq!(print.status, 200);
    assert!(print.text.contains("调取录像") && !print.text.contains("finding-form"));
    assert!(print.text.contains("共 2 条"));
    assert!(print.text.contains("窗口评价器故障"));
    // A bad filter is named; the hall's manager is refused the export as the page.
    let bad = app
        .get("/feedback/flags?hall=DL-XH&state=maybe", Auth::Person(&sup))
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.text.contains("state"));
    let manager = app.login("manager").await;
    assert_eq!(
        app.get("/feedback/flags?format=xlsx", Auth::Person(&manager))
            .await
            .status,
        403
    );
}
