//! Issue 11, the keys to customers' data: the slip code leaves the server only in the issue
//! answer (finding 4); the public case lookup needs the case's access code and brakes
//! guessing (5); case files are read by case people only, never by devices (6); imports stay
//! in the importer's region (3); a case is handed only to someone who can work it (15).
//! Tests that reach the store run on SQLite and, with SERVICEHALL_TEST_PG, on PostgreSQL.

use super::cases::documents::{PNG, upload};
use super::regions::{supervisor, tree};
use crate::common::{App, Auth, Session, open_events};
use serde_json::{Value, json};
use servicehall_domain::{DeviceKind, Role};
use std::time::Duration;

/// Runs `$name(app)` as a SQLite test and a PostgreSQL test.
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            use crate::common::{App, postgres_store, sqlite_store};
            #[tokio::test]
            async fn sqlite() {
                super::$name(App::start_on(sqlite_store().await, 3).await).await;
            }
            #[tokio::test]
            async fn postgres() {
                if let Some(store) = postgres_store(stringify!($name)).await {
                    super::$name(App::start_on(store, 3).await).await;
                }
            }
        }
    )*};
}

on_both!(
    public_lookup_needs_the_access_code_and_brakes_guessing,
    case_files_are_read_by_case_people_never_by_devices,
    imports_stay_in_the_importers_region,
    a_case_goes_only_to_someone_who_can_work_it,
);

async fn open_complaint(app: &App, clerk: &Session) -> Value {
    app.post(
        &format!("/api/v1/halls/{}/cases", app.fx.hall.code),
        Auth::Person(clerk),
        Some(json!({"kind": "complaint", "customer_name": "李四", "customer_phone": "13912345678", "summary": "电费异常"})),
    )
    .await
    .expect(201)
}

// ------------------------------------------------------------------ finding 4: slip code

#[tokio::test]
async fn the_slip_code_is_only_in_the_issue_answer() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let lobby = app.device(DeviceKind::Display, None).await;
    let mut feed = open_events(&app, &lobby, None).await;
    let t = app.issue(Auth::Device(&kiosk), "payment").await;
    let code = t["code"]
        .as_str()
        .expect("the issuing kiosk prints it")
        .to_string();
    let id = t["id"].as_i64().unwrap();
    let issued = feed
        .wait_for(Duration::from_secs(5), |e| e.event == "issued")
        .await
        .expect("the issue on the live feed");
    assert!(!issued.data.contains(&code), "{}", issued.data);
    // The guide desk gets it too, in its own issue answer.
    let guide = app.login("guide").await;
    let g = app.issue(Auth::Person(&guide), "payment").await;
    assert!(g["code"].as_str().is_some_and(|c| c.len() > 16), "{g}");

    let c1 = app.fx.counter(1).id;
    let tokens = [
        (DeviceKind::Kiosk, None),
        (DeviceKind::Display, None),
        (DeviceKind::Evaluator, Some(c1)),
        (DeviceKind::CounterScreen, Some(c1)),
        (DeviceKind::Integration, None),
    ];
    let mut devs = Vec::new();
    for (kind, counter) in tokens {
        devs.push((format!("{kind:?}"), app.device(kind, counter).await));
    }
    let clerk = app.clerk_on_duty(1).await;
    let manager = app.login("manager").await;
    let mut callers: Vec<(String, Auth<'_>)> = Vec::new();
    for (name, tok) in &devs {
        callers.push((name.clone(), Auth::Device(tok)));
    }
    callers.push(("clerk".into(), Auth::Person(&clerk)));
    callers.push(("guide".into(), Auth::Person(&guide)));
    callers.push(("manager".into(), Auth::Person(&manager)));
    for (who, auth) in callers {
        let res = app.get(&format!("/api/v1/tickets/{id}"), auth).await;
        let v = res.expect(200);
        assert!(v.get("code").is_none(), "{who} sees the slip code: {v}");
        assert!(!res.text.contains(&code), "{who}: {}", res.text);
    }
    // The counter console's data: calling, serving, the console, the finished ticket.
    let called = app.call_next(&clerk, 1).await.expect("a ticket to call");
    assert_eq!(called["id"], id);
    assert!(called.get("code").is_none(), "{called}");
    let started = app.act(&clerk, id, "start", None).await;
    assert!(!started.text.contains(&code), "{}", started.text);
    // The receipt the clerk prints for the finished visit sends the customer to the slip.
    app.act(
        &clerk,
        id,
        "finish",
        Some(json!({"amount_due_fen": 12_345, "amount_received_fen": 15_000})),
    )
    .await
    .expect(200);
    let receipt = app
        .get(&format!("/receipts/{id}"), Auth::Person(&clerk))
        .await;
    assert_eq!(receipt.status, 200);
    assert!(!receipt.text.contains(&code), "{}", receipt.text);
    let console = app
        .get(
            &format!("/api/v1/counters/{c1}/console"),
            Auth::Person(&clerk),
        )
        .await;
    assert_eq!(console.status, 200);
    assert!(!console.text.contains(&code), "{}", console.text);
    let queue = app
        .get(
            &format!("/api/v1/halls/{}/queue", app.fx.hall.code),
            Auth::Person(&clerk),
        )
        .await;
    assert!(!queue.text.contains(&code));
    // Without the code the clerk cannot reach the phone rating; the slip page still works.
    let slip = app.get(&format!("/slip/{code}"), Auth::Anon).await;
    assert_eq!(slip.status, 200);
    assert!(slip.text.contains(t["number"].as_str().unwrap()));
    app.get(&format!("/api/v1/public/tickets/{code}"), Auth::Anon)
        .await
        .expect(200);
}

// ------------------------------------------------------- finding 5: the case access code

async fn public_lookup_needs_the_access_code_and_brakes_guessing(app: App) {
    let clerk = app.login("clerk1").await;
    let case = open_complaint(&app, &clerk).await;
    let number = case["number"].as_str().unwrap().to_string();
    let code = case["access_code"]
        .as_str()
        .expect("the owner is given the access code")
        .to_string();
    assert!(
        code.len() == 9 && code.as_bytes()[4] == b'-',
        "printed as XXXX-XXXX: {code}"
    );
    // Other clerks and supervisors read the case but are not handed its code.
    for who in [
        app.login("clerk2").await,
        app.above_halls("sup", Role::Supervisor).await,
    ] {
        let v = app
            .get(&format!("/api/v1/cases/{}", case["id"]), Auth::Person(&who))
            .await
            .expect(200);
        assert!(v.get("access_code").is_none(), "{v}");
    }
    let url = |c: &str| format!("/api/v1/public/cases/{number}?code={c}");
    // The phone's last digits are no key any more.
    let d = app
        .get(
            &format!("/api/v1/public/cases/{number}?phone4=5678"),
            Auth::Anon,
        )
        .await
        .problem(422);
    assert!(d.contains("查询码") && d.contains("access code"), "{d}");
    let ok = app
        .get(&url(&code.to_lowercase()), Auth::Anon)
        .await
        .expect(200);
    assert_eq!(ok["owner_badge"], "DL001");
    assert!(ok.get("survey_path").is_none(), "no survey link: {ok}");

    // Ten wrong codes lock the case number, for the right code as well.
    for i in 0..10 {
        app.get(&url(&format!("WRONG{i:03}")), Auth::Anon)
            .await
            .problem(404);
    }
    let locked = app.get(&url(&code), Auth::Anon).await;
    let d = locked.problem(429);
    assert!(d.contains("锁定") && d.contains("locked"), "{d}");
    let wait: u64 = locked.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((800..=900).contains(&wait), "Retry-After {wait}");

    // Another case still answers from this address, until the address has failed 20 times.
    let other = open_complaint(&app, &clerk).await;
    let (n2, c2) = (
        other["number"].as_str().unwrap().to_string(),
        other["access_code"].as_str().unwrap().to_string(),
    );
    app.get(&format!("/api/v1/public/cases/{n2}?code={c2}"), Auth::Anon)
        .await
        .expect(200);
    for i in 0..10 {
        app.get(
            &format!("/api/v1/public/cases/GD-19990101-{i:04}?code=ABCD2345"),
            Auth::Anon,
        )
        .await
        .problem(404);
    }
    let d = app
        .get(&format!("/api/v1/public/cases/{n2}?code={c2}"), Auth::Anon)
        .await
        .problem(429);
    assert!(d.contains("过多") && d.contains("Too many"), "{d}");
}

// ------------------------------------------------------ finding 6: reading case files

async fn case_files_are_read_by_case_people_never_by_devices(app: App) {
    let clerk = app.login("clerk1").await;
    let hall = app.fx.hall.code.clone();
    let integration = app.device(DeviceKind::Integration, None).await;
    let mut feed = open_events(&app, &integration, None).await;
    let case = open_complaint(&app, &clerk).await;
    let cid = case["id"].as_i64().unwrap();
    let doc = upload(&app, &clerk, cid, "身份证 正面.png", PNG)
        .await
        .expect(200)["documents"][0]["id"]
        .as_i64()
        .unwrap();
    let reads = [
        format!("/api/v1/halls/{hall}/cases?view=open"),
        format!("/api/v1/cases/{cid}"),
        format!("/api/v1/cases/{cid}/documents/{doc}/file"),
        format!("/api/v1/halls/{hall}/feedback/recovery"),
        format!("/cases/{cid}"),
        format!("/cases?hall={hall}"),
    ];
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let display = app.device(DeviceKind::Display, None).await;
    for tok in [&integration, &kiosk, &display] {
        for path in &reads {
            let res = app.get(path, Auth::Device(tok)).await;
            assert_eq!(res.status, 403, "{path}: {}", res.text);
            assert!(!res.text.contains("身份证") && !res.text.contains("13912345678"));
        }
    }
    let d = app
        .get(&format!("/api/v1/cases/{cid}"), Auth::Device(&integration))
        .await
        .problem(403);
    assert!(d.contains("工单") && d.contains("integrations"), "{d}");
    // The on-time rate is a figure: integrations keep it.
    app.get(
        &format!("/api/v1/halls/{hall}/cases/on-time"),
        Auth::Device(&integration),
    )
    .await
    .expect(200);
    // Case people read: the clerks and manager of the hall, a supervisor; a guide does not.
    let sup = app.above_halls("sup", Role::Supervisor).await;
    for who in [app.login("clerk2").await, app.login("manager").await, sup] {
        for path in &reads[1..3] {
            assert_eq!(
                app.get(path, Auth::Person(&who)).await.status,
                200,
                "{path}"
            );
        }
    }
    let guide = app.login("guide").await;
    app.get(&format!("/api/v1/cases/{cid}"), Auth::Person(&guide))
        .await
        .problem(403);
    // The integration's live feed never carried the case: the ticket is the first event.
    app.issue(Auth::Device(&kiosk), "payment").await;
    let first = feed
        .wait_for(Duration::from_secs(5), |e| e.event != "ping")
        .await
        .expect("the issued ticket");
    assert_eq!(first.event, "issued", "{first:?}");
}

// ------------------------------------------------------------ finding 3: import scope

const CSV_HEAD: &str =
    "来源编号,营业厅编码,评价时间,评价等级,业务类型,触点,不满意原因,客户意见,联系电话\n";

async fn import(app: &App, who: &Session, file: &str, rows: &str) -> crate::common::Resp {
    App::send(
        app.request(
            reqwest::Method::POST,
            &format!("/api/v1/feedback/imports?source=survey&file_name={file}"),
            Auth::Person(who),
        )
        .header("content-type", "text/csv")
        .body(format!("{CSV_HEAD}{rows}")),
    )
    .await
}

fn files(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|r| r["file_name"].as_str().unwrap())
        .collect()
}

async fn imports_stay_in_the_importers_region(app: App) {
    let admin = app.above_halls("root", Role::Admin).await;
    let (_, dl, sy) = tree(&app, &admin).await;
    let dl_sup = supervisor(&app, &admin, "dlsup", dl).await;
    let sy_sup = supervisor(&app, &admin, "sysup", sy).await;
    let (here, there) = (&app.fx.hall.code, &app.fx.other_hall.code);

    // One row of a 沈阳 hall in a 大连 supervisor's file: nothing is imported.
    let mixed = format!(
        "R1,{here},2025-11-20 10:00,满意,payment,,,,\n\
         R2,{there},2025-11-20 11:00,不满意,payment,,等候时间长,,13700001111\n\
         R3,{here},2025-11-20 12:00,满意,payment,,,,\n"
    );
    let d = import(&app, &dl_sup, "mixed.csv", &mixed)
        .await
        .problem(403);
    assert!(
        d.contains("第 3 行") && d.contains("Rows 3") && d.contains(there.as_str()),
        "{d}"
    );
    let none = app
        .get(
            &format!("/api/v1/halls/{there}/feedback/recovery"),
            Auth::Person(&admin),
        )
        .await
        .expect(200);
    assert_eq!(none, json!([]), "no recovery case was opened in 沈阳");

    let own = format!("D1,{here},2025-11-20 10:00,满意,payment,,,,\n");
    import(&app, &dl_sup, "dalian.csv", &own).await.expect(201);
    let theirs = format!("S1,{there},2025-11-20 10:00,不满意,payment,,等候时间长,,\n");
    import(&app, &sy_sup, "shenyang.csv", &theirs)
        .await
        .expect(201);
    let both = format!(
        "A1,{here},2025-11-21 10:00,满意,payment,,,,\nA2,{there},2025-11-21 10:00,满意,payment,,,,\n"
    );
    import(&app, &admin, "province.csv", &both)
        .await
        .expect(201);

    // Each sees the imports of their own halls; the province-wide administrator sees all.
    let list = |who| app.get("/api/v1/feedback/imports", Auth::Person(who));
    assert_eq!(files(&list(&dl_sup).await.expect(200)), ["dalian.csv"]);
    assert_eq!(files(&list(&sy_sup).await.expect(200)), ["shenyang.csv"]);
    assert_eq!(
        files(&list(&admin).await.expect(200)),
        ["province.csv", "shenyang.csv", "dalian.csv"]
    );
    let page = app.get("/feedback/import", Auth::Person(&dl_sup)).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("dalian.csv") && !page.text.contains("shenyang.csv"));
}

// ------------------------------------------------------------ finding 15: hand-overs

async fn a_case_goes_only_to_someone_who_can_work_it(app: App) {
    let clerk = app.login("clerk1").await;
    let case = open_complaint(&app, &clerk).await;
    let handover = format!("/api/v1/cases/{}/handover", case["id"]);
    let sup = app.above_halls("sup", Role::Supervisor).await;
    let d = app
        .post(
            &handover,
            Auth::Person(&clerk),
            Some(json!({"to_staff_id": sup.staff["id"], "reason": "督办"})),
        )
        .await
        .problem(422);
    assert!(
        d.contains("督查") && d.contains("不能办理工单") && d.contains("cannot work cases"),
        "{d}"
    );
    let d = app
        .post(
            &handover,
            Auth::Person(&clerk),
            Some(json!({"to_badge": "DL900", "reason": "转办"})),
        )
        .await
        .problem(422);
    assert!(d.contains("引导员") && d.contains("lobby guide"), "{d}");
    let v = app
        .get(
            &format!("/api/v1/cases/{}", case["id"]),
            Auth::Person(&clerk),
        )
        .await
        .expect(200);
    assert_eq!(v["handover_to"], Value::Null, "nothing was asked");
    let v = app
        .post(
            &handover,
            Auth::Person(&clerk),
            Some(json!({"to_badge": "DL901", "reason": "值班长处理"})),
        )
        .await
        .expect(200);
    assert_eq!(v["handover_to"]["badge_no"], "DL901");
}
