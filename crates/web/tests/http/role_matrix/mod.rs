//! The role matrix: every operation of the OpenAPI description × every role and device kind ×
//! the objects of the caller's own hall and of another hall (another region, for the
//! supervisor limited to a region), with the answer expected from the operation's access
//! rule. The rule is read from the operation's `caller` security requirement, which the
//! route list (`api::api_router`) writes from the same line that serves the route, so a
//! new route without a rule fails here.
//!
//! Actors: anonymous; an administrator and a supervisor above halls; a supervisor limited to
//! DL-XH's city; DL-XH's hall manager, clerk1 (on duty at counter 1, owner of the case),
//! clerk2 (not on duty, owns nothing) and guide; DL-XH's kiosk, display, evaluator and
//! counter screen (counter 1) and integration. Targets: DL-XH, DL-LS (another hall of the
//! same city) and SY-TX (another region).
//!
//! Expected: anonymous on a non-public route → 401; an actor the rule does not allow → 403
//! (never 2xx); an allowed actor → anything but 401/403; nobody ever gets a 5xx.

use crate::common::{App, Auth, Session, sqlite_store};
use reqwest::Method;
use serde_json::{Value, json};
use servicehall_domain::access::{Actor, ActorKind};
use servicehall_domain::{DeviceKind, Role};
use servicehall_store::HallStore;
use servicehall_web::WebConfig;
use servicehall_web::api::access_rule::{Access, SCHEME};

mod requests;
mod world;
use requests::*;
use world::*;

/// How an actor authenticates.
enum Cred {
    Anon,
    Person(Session),
    Device(String),
}

struct Who {
    name: &'static str,
    cred: Cred,
    /// What the server makes of the credential; `None` for anonymous.
    actor: Option<Actor>,
}

impl Who {
    fn auth(&self) -> Auth<'_> {
        match &self.cred {
            Cred::Anon => Auth::Anon,
            Cred::Person(s) => Auth::Person(s),
            Cred::Device(t) => Auth::Device(t),
        }
    }
}

/// The objects of one hall that the id routes name.
struct Target {
    name: &'static str,
    hall_id: i64,
    code: String,
    /// Counter 1 (in the own hall staffed by clerk1, who is on duty there).
    counter: i64,
    /// A finished ticket, served at `counter`.
    ticket: i64,
    ticket_code: String,
    /// A complaint case; in the own hall owned by clerk1.
    case: i64,
    case_number: String,
    /// A second case, being handed over (own hall: to the hall manager; other hall: to nobody).
    handover_case: i64,
    handover_to: Option<i64>,
    /// Who owns `case` and who staffs `counter` (the clerk who works the hall here).
    worker: i64,
    document: i64,
    observation: i64,
    /// The hall's own checklist (one item, `door`) and an inspection running on it.
    inspection_template: i64,
    inspection: i64,
    /// The hall's layout map and a map walk running on it (its one item is `door`).
    layout: i64,
    layout_walk: i64,
    /// A rectification case (the failed `door` of a submitted inspection) and a finding
    /// photo of the running inspection.
    rectification: i64,
    photo: i64,
    /// A 客流激增 incident, active until the close route runs.
    incident: i64,
    manual_entry: i64,
    manual_body: Value,
    /// A risk of the hall's register, owned by the clerk.
    risk: i64,
    /// A customer of the hall's register.
    customer: i64,
    standard: i64,
    version: i64,
    flag: i64,
    survey_token: String,
    /// The city region the hall hangs on.
    region: i64,
    /// Bodies read back from the server (PUT them unchanged).
    feedback_settings: Value,
    case_settings: Value,
    complaint_process: Value,
    catalogue_entry: Value,
}

/// Deployment-wide objects.
struct World {
    spare_region: i64,
    region_supervisor: i64,
    dl_region: i64,
    survey: i64,
    survey_business_types: Vec<i64>,
    insight_settings: Value,
}

/// A request ready to send.
struct Req {
    url: String,
    body: Body,
}

#[derive(Clone, PartialEq)]
enum Body {
    None,
    Json(Value),
    Raw(String, Vec<u8>),
}

/// Where a denied actor may get a validation answer instead of 403, because the handler
/// necessarily checks the input before it knows the hall: (method, path, statuses, why).
/// Empty today: with a body that parses and objects that exist, every handler answers a
/// denied caller 403 before it validates anything else. (A body that does not parse is
/// 400 for everyone, since the JSON extractor runs before the handler; the bodies sent
/// here parse.)
const DENIED_MAY_VALIDATE: &[(&str, &str, &[u16], &str)] = &[];

/// A complaint body.
/// What the rule cannot know about the object: a clerk works only the cases they own and
/// the counter they staff; a hand-over is accepted only by the person it goes to; a hall's
/// staff read only the registers of the regions their hall lies in.
fn object_facts(rule: &Access, actor: &Actor, t: &Target, w: &World) -> bool {
    let clerk = actor.kind == ActorKind::Person(Role::Clerk);
    match rule {
        // Hall staff read the registers of their hall's regions; every hall actor here
        // works in the own hall, which hangs on the DL region.
        Access::RegionRiskRead if actor.hall_id.is_some() => t.region == w.dl_region,
        Access::CaseWork | Access::CounterWork if clerk => actor.staff_id == Some(t.worker),
        // A clerk's own scorecard: `{staff}` is the clerk who works the hall.
        Access::OwnScorecard if clerk => actor.staff_id == Some(t.worker),
        Access::CaseHandoverTarget => actor.staff_id.is_some() && actor.staff_id == t.handover_to,
        _ => true,
    }
}

/// Operations that change what later calls may find run after the others, and signing out
/// after everything (per actor, at the very end).
fn late(method: &str, path: &str) -> u8 {
    match (method, path) {
        ("delete", "/api/v1/session") => 3,
        ("post", "/api/v1/cases/{id}/close")
        | ("post", "/api/v1/cases/{id}/handover/accept")
        | ("post", "/api/v1/cases/{id}/documents/{doc}/supersede")
        | ("delete", "/api/v1/regions/{id}")
        | ("post", "/api/v1/incidents/{id}/review") => 2,
        ("post", "/api/v1/standards/{id}/publish")
        | ("post", "/api/v1/feedback/flags/{id}/finding")
        | ("post", "/api/v1/inspections/{id}/submit")
        | ("post", "/api/v1/incidents/{id}/close") => 1,
        _ => 0,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_every_role_as_its_rule_says() {
    let config = WebConfig {
        limits: servicehall_web::limits::Limits::off(),
        ..Default::default()
    };
    let app = App::start_with(sqlite_store().await, 3, config).await;
    let fx = &app.fx;
    let (own_hall, other_hall) = (fx.hall.id, fx.other_hall.id);

    // The region tree: LN → {LN-DL: DL-XH and DL-LS, LN-SY: SY-TX}, and a spare city for
    // the region routes to change. The region supervisor is limited to LN-DL.
    let (near_hall, near_counter, near_payment) = small_hall(&app, "DL-LS").await;
    let admin = app.above_halls("m_admin", Role::Admin).await;
    let mk = |code: &str, parent: Option<i64>| json!({"code": code, "name_zh": code, "parent_id": parent});
    let region = |body: Value| {
        let app = &app;
        let admin = &admin;
        async move {
            id(&app
                .post("/api/v1/regions", Auth::Person(admin), Some(body))
                .await
                .expect(201))
        }
    };
    let ln = region(mk("LN", None)).await;
    let dl = region(mk("LN-DL", Some(ln))).await;
    let sy = region(mk("LN-SY", Some(ln))).await;
    let spare = region(mk("LN-SP", Some(ln))).await;
    let put = |path: String, body: Value| {
        let app = &app;
        let admin = &admin;
        async move {
            let r = App::send(
                app.request(Method::PUT, &path, Auth::Person(admin))
                    .json(&body),
            )
            .await;
            assert_eq!(r.status, 204, "{path}: {}", r.text);
        }
    };
    put(
        format!("/api/v1/halls/{own_hall}/region"),
        json!({"region_id": dl}),
    )
    .await;
    put(
        format!("/api/v1/halls/{other_hall}/region"),
        json!({"region_id": sy}),
    )
    .await;
    put(
        format!("/api/v1/halls/{near_hall}/region"),
        json!({"region_id": dl}),
    )
    .await;
    let sup = app.above_halls("m_sup", Role::Supervisor).await;
    let rsup = app.above_halls("m_rsup", Role::Supervisor).await;
    let rsup_id = rsup.staff["id"].as_i64().unwrap();
    put(
        format!("/api/v1/staff/{rsup_id}/region"),
        json!({"region_id": dl}),
    )
    .await;

    // Hall staff: clerk1 on duty at counter 1 of DL-XH; a clerk on duty in each other hall.
    let clerk = app.clerk_on_duty(1).await;
    let manager = app.login("manager").await;
    let guide = app.login("guide").await;
    // clerk2: same hall, not on duty, owns no case.
    let clerk2 = app.login("clerk2").await;
    let syclerk = clerk_of(&app, other_hall, fx.other_counter.id, "syclerk", "SY001").await;
    let lsclerk = clerk_of(&app, near_hall, near_counter, "lsclerk", "LS001").await;

    // One survey for the payment business of both halls.
    let own_payment = fx.bt[0].id;
    let other_payment = app
        .store
        .business_types(other_hall)
        .await
        .unwrap()
        .iter()
        .find(|b| b.code == "payment")
        .unwrap()
        .id;
    let mut sb = survey_body();
    let survey_business_types = vec![own_payment, near_payment, other_payment];
    sb["business_type_ids"] = json!(survey_business_types);
    let survey = id(&app
        .post("/api/v1/surveys", Auth::Person(&admin), Some(sb))
        .await
        .expect(201));
    let insight_settings = app
        .get("/api/v1/insight/settings", Auth::Person(&admin))
        .await
        .expect(200);

    let c1 = fx.counter(1).id;
    let manager_id = manager.staff["id"].as_i64().unwrap();
    let own = target(
        &app,
        "own hall",
        own_hall,
        &fx.hall.code,
        c1,
        &clerk,
        &admin,
        Some(&fx.manager.badge_no),
        Some(manager_id),
        dl,
    )
    .await;
    let near = target(
        &app,
        "other hall, same region",
        near_hall,
        "DL-LS",
        near_counter,
        &lsclerk,
        &admin,
        None,
        None,
        dl,
    )
    .await;
    let other = target(
        &app,
        "other region",
        other_hall,
        &fx.other_hall.code,
        fx.other_counter.id,
        &syclerk,
        &admin,
        None,
        None,
        sy,
    )
    .await;
    let world = World {
        spare_region: spare,
        region_supervisor: rsup_id,
        dl_region: dl,
        survey,
        survey_business_types,
        insight_settings,
    };

    // The actors.
    let person =
        |s: &Session, role: Role, hall: Option<i64>, region_halls: Option<Vec<i64>>| Actor {
            kind: ActorKind::Person(role),
            hall_id: hall,
            counter_id: None,
            staff_id: s.staff["id"].as_i64(),
            region_halls,
        };
    let device = |kind: DeviceKind, counter: Option<i64>| Actor {
        kind: ActorKind::Device(kind),
        hall_id: Some(own_hall),
        counter_id: counter,
        staff_id: None,
        region_halls: None,
    };
    let mut actors = vec![Who {
        name: "anonymous",
        cred: Cred::Anon,
        actor: None,
    }];
    for (name, s, role, hall, region_halls) in [
        ("administrator", &admin, Role::Admin, None, None),
        ("supervisor", &sup, Role::Supervisor, None, None),
        (
            "region supervisor",
            &rsup,
            Role::Supervisor,
            None,
            Some(vec![own_hall, near_hall]),
        ),
        (
            "hall manager",
            &manager,
            Role::HallManager,
            Some(own_hall),
            None,
        ),
        ("clerk", &clerk, Role::Clerk, Some(own_hall), None),
        ("other clerk", &clerk2, Role::Clerk, Some(own_hall), None),
        ("guide", &guide, Role::Guide, Some(own_hall), None),
    ] {
        actors.push(Who {
            name,
            actor: Some(person(s, role, hall, region_halls)),
            cred: Cred::Person(s.clone()),
        });
    }
    for (name, kind, counter) in [
        ("kiosk", DeviceKind::Kiosk, None),
        ("display", DeviceKind::Display, None),
        ("evaluator", DeviceKind::Evaluator, Some(c1)),
        ("counter screen", DeviceKind::CounterScreen, Some(c1)),
        ("integration", DeviceKind::Integration, None),
    ] {
        let token = app.device(kind, counter).await;
        actors.push(Who {
            name,
            cred: Cred::Device(token),
            actor: Some(device(kind, counter)),
        });
    }

    // Every operation and its rule.
    let spec = app.get("/api/openapi.json", Auth::Anon).await.expect(200);
    let mut ops = Vec::new();
    let mut unruled = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().unwrap() {
            if reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).is_err()
                || !op.is_object()
            {
                continue;
            }
            let rule = op["security"].as_array().and_then(|reqs| {
                reqs.iter()
                    .find_map(|r| r[SCHEME].as_array()?.first()?.as_str())
            });
            match rule.map(|n| (n, Access::from_name(n))) {
                Some((_, Some(rule))) => ops.push((method.clone(), path.clone(), rule)),
                Some((n, None)) => unruled.push(format!("{method} {path}: unknown rule {n:?}")),
                None => unruled.push(format!(
                    "{method} {path}: no `{SCHEME}` security requirement"
                )),
            }
        }
    }
    assert!(
        unruled.is_empty(),
        "operations without an access rule:\n{}",
        unruled.join("\n")
    );
    assert!(ops.len() > 80, "only {} operations", ops.len());
    // The scheme tells integrators what each rule name means.
    let scheme = &spec["components"]["securitySchemes"][SCHEME];
    let meanings = scheme["description"].as_str().unwrap_or_default();
    for (_, _, rule) in &ops {
        let name = format!("`{}`", rule.name());
        assert!(
            meanings.contains(&name),
            "{name} is not explained in {scheme}"
        );
    }
    ops.sort_by_key(|(m, p, _)| late(m, p));

    let mut mismatches = Vec::new();
    let mut requests = 0;
    // Allowed answers that are not 2xx (409 on a finished ticket, 422 on a bad value …),
    // printed so that a reader can check the world is realistic enough.
    let mut refused_allowed = Vec::new();
    // (allowed and 2xx, allowed and 4xx, denied with 401, denied with 403)
    let mut tally = [0; 4];
    let targets = [&own, &near, &other];
    for (method, path, rule) in &ops {
        let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let mut calls: Vec<(&Target, Req)> = targets
            .iter()
            .map(|t| (*t, request(method, path, t, &world)))
            .collect();
        // A route about no object of a hall is called once.
        let same = calls
            .iter()
            .all(|(_, r)| r.url == calls[0].1.url && r.body == calls[0].1.body);
        if same {
            calls.truncate(1);
        }
        for (t, req) in &calls {
            let target = if same { "(no hall)" } else { t.name };
            for who in &actors {
                let allowed = match (&who.actor, rule) {
                    (_, Access::Public) => true,
                    (None, _) => false,
                    (Some(actor), rule) => {
                        rule.allows(actor, Some(t.hall_id)) && object_facts(rule, actor, t, &world)
                    }
                };
                let (status, body) = send(&app, m.clone(), req, who.auth()).await;
                requests += 1;
                let expected = if allowed {
                    "not 401/403"
                } else if who.actor.is_none() {
                    "401"
                } else {
                    "403"
                };
                let validated = DENIED_MAY_VALIDATE
                    .iter()
                    .any(|(vm, vp, st, _)| vm == method && vp == path && st.contains(&status));
                let ok = status < 500
                    && if allowed {
                        status != 401 && status != 403
                    } else if who.actor.is_none() {
                        status == 401
                    } else {
                        status == 403 || (validated && status >= 400)
                    };
                let column = match (allowed, status) {
                    (true, 200..=299) => Some(0),
                    (true, _) => Some(1),
                    (false, 401) => Some(2),
                    (false, 403) => Some(3),
                    _ => None,
                };
                if let Some(c) = column {
                    tally[c] += 1;
                }
                if allowed && !(200..300).contains(&status) {
                    let body: String = body.chars().take(100).collect();
                    refused_allowed.push(format!(
                        "{} {} [{}] {} {}: {status} {body}",
                        method.to_uppercase(),
                        req.url,
                        rule.name(),
                        who.name,
                        target,
                    ));
                }
                if !ok {
                    let body: String = body.chars().take(160).collect();
                    mismatches.push(format!(
                        "{} {} [{}] {} {}: expected {expected}, got {status} {body}",
                        method.to_uppercase(),
                        req.url,
                        rule.name(),
                        who.name,
                        target,
                    ));
                }
            }
        }
    }
    if std::env::var_os("ROLE_MATRIX_VERBOSE").is_some() {
        println!("allowed, not 2xx:\n{}", refused_allowed.join("\n"));
    }
    println!(
        "role matrix: {} operations × {} actors × up to {} targets = {requests} requests: allowed {} (2xx) + {} (409/422/404 on the object's state), denied {} (401) + {} (403); {} mismatches",
        ops.len(),
        actors.len(),
        targets.len(),
        tally[0],
        tally[1],
        tally[2],
        tally[3],
        mismatches.len()
    );
    assert!(
        mismatches.is_empty(),
        "{} of {requests} answers differ from the access rules:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
