//! The customer register over HTTP: the manager registers and changes a customer (masked
//! everywhere, full data only with a logged reason); the clerk records a consent and its
//! withdrawal; the guide recognises the customer by account number or phone in a POST
//! body (open case, last visit's missing documents, green channel); a supervisor sees
//! counts by segment and no person; bad input is a 422 naming what to fix.

use crate::common::{App, Auth};
use reqwest::Method;
use serde_json::{Value, json};
use servicehall_domain::Role;

fn body(account: &str) -> Value {
    json!({
        "account_no": account, "name": "王秀兰", "phone": "13812341234", "class": "resident",
        "segments": [{"segment": "living_alone", "basis": "community_referral",
            "review_on": "2099-01-01", "note": "社区转介"}]
    })
}

#[tokio::test]
async fn the_register_masks_audits_and_recognises_at_the_desk() {
    let app = App::start().await;
    let manager = app.login("manager").await;
    let m = Auth::Person(&manager);
    let hall = app.fx.hall.code.clone();

    // A review date more than a year ahead is refused, naming the field.
    let far = app
        .post(
            &format!("/api/v1/halls/{hall}/customers"),
            m,
            Some(body("0102345678")),
        )
        .await;
    assert_eq!(far.status, 422, "{}", far.text);
    assert!(far.text.contains("review date"), "{}", far.text);

    let mut b = body("0102345678");
    let soon = chrono::Utc::now().date_naive() + chrono::Days::new(20);
    b["segments"][0]["review_on"] = json!(soon.to_string());
    let c = app
        .post(
            &format!("/api/v1/halls/{hall}/customers"),
            m,
            Some(b.clone()),
        )
        .await
        .expect(201);
    let id = c["id"].as_i64().unwrap();
    assert_eq!(c["account"], "****5678");
    assert_eq!(c["phone"], "138****1234");
    assert_eq!(c["name"], "王**");
    assert_eq!(
        c["green_channel"], true,
        "living alone: green channel by default"
    );
    assert_eq!(c["review_due"], true);
    assert!(!c.to_string().contains("13812341234"));
    let again = app
        .post(&format!("/api/v1/halls/{hall}/customers"), m, Some(b))
        .await;
    assert_eq!(again.status, 409, "{}", again.text);
    let bad = app
        .post(
            &format!("/api/v1/halls/{hall}/customers"),
            m,
            Some(
                json!({"account_no": "0102999999", "name": "李", "class": "resident",
                "segments": [{"segment": "lonely"}]}),
            ),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.text.contains("living_alone (独居老人)"), "{}", bad.text);

    // Lists: by segment and with reviews due.
    let list = app
        .get(
            &format!("/api/v1/halls/{hall}/customers?segment=living_alone&review_due=true"),
            m,
        )
        .await
        .expect(200);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let none = app
        .get(
            &format!("/api/v1/halls/{hall}/customers?segment=key_account"),
            m,
        )
        .await
        .expect(200);
    assert!(none.as_array().unwrap().is_empty());

    // The full data only with a reason, which the history keeps.
    let short = app
        .post(
            &format!("/api/v1/customers/{id}/reveal"),
            m,
            Some(json!({"reason": "看"})),
        )
        .await;
    assert_eq!(short.status, 422);
    let full = app
        .post(
            &format!("/api/v1/customers/{id}/reveal"),
            m,
            Some(json!({"reason": "核对停电通知名单"})),
        )
        .await
        .expect(200);
    assert_eq!(full["phone"], "13812341234");
    assert_eq!(full["account_no"], "0102345678");

    // The clerk records a consent and its withdrawal; the history keeps both.
    let clerk = app.login("clerk1").await;
    let k = Auth::Person(&clerk);
    let v = app
        .post(
            &format!("/api/v1/customers/{id}/consents"),
            k,
            Some(json!({"purpose": "outage_notice", "channel": "sms", "note": "柜台签字"})),
        )
        .await
        .expect(200);
    let outage = |v: &Value| {
        v["consents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["purpose"]["code"] == "outage_notice")
            .cloned()
            .unwrap()
    };
    assert_eq!(outage(&v)["granted"], true);
    assert_eq!(outage(&v)["channel"]["code"], "sms");
    let marketing = v["consents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["purpose"]["code"] == "marketing")
        .unwrap();
    assert_eq!(
        marketing["granted"], false,
        "marketing is never consented by default"
    );
    let v = app
        .post(
            &format!("/api/v1/customers/{id}/consents/outage_notice/withdraw"),
            k,
            Some(json!({})),
        )
        .await
        .expect(200);
    assert_eq!(outage(&v)["granted"], false);
    let twice = app
        .post(
            &format!("/api/v1/customers/{id}/consents/outage_notice/withdraw"),
            k,
            Some(json!({})),
        )
        .await;
    assert_eq!(twice.status, 422);
    // The clerk does not keep the register.
    let denied = app.get(&format!("/api/v1/customers/{id}"), k).await;
    assert_eq!(denied.status, 403);

    let d = app
        .get(&format!("/api/v1/customers/{id}"), m)
        .await
        .expect(200);
    assert_eq!(d["consent_history"].as_array().unwrap().len(), 2);
    let kinds: Vec<&str> = d["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["created", "revealed", "consent", "withdrawn"]);
    assert!(
        !d.to_string().contains("13812341234"),
        "the detail stays masked"
    );

    // A case for the account, then the guide recognises the customer by phone.
    app.post(
        &format!("/api/v1/halls/{hall}/cases"),
        k,
        Some(
            json!({"kind": "complaint", "customer_name": "王秀兰", "customer_phone": "13812341234",
            "account_no": "0102345678", "summary": "停电未通知"}),
        ),
    )
    .await
    .expect(201);
    let guide = app.login("guide").await;
    let g = Auth::Person(&guide);
    let r = app
        .post(
            &format!("/api/v1/halls/{hall}/customers/recognise"),
            g,
            Some(json!({"phone": "138 1234 1234"})),
        )
        .await
        .expect(200);
    assert_eq!(r["found"], true);
    assert_eq!(r["customer"]["green_channel"], true);
    assert_eq!(r["open_cases"].as_array().unwrap().len(), 1);
    assert_eq!(
        r["open_cases"][0]["summary"],
        Value::Null,
        "a guide does not read cases"
    );
    assert!(r["message"].as_str().unwrap().contains("绿色通道"));
    let r = app
        .post(
            &format!("/api/v1/halls/{hall}/customers/recognise"),
            k,
            Some(json!({"account": "0102345678"})),
        )
        .await
        .expect(200);
    assert_eq!(
        r["open_cases"][0]["summary"], "停电未通知",
        "a clerk reads cases"
    );
    let unknown = app
        .post(
            &format!("/api/v1/halls/{hall}/customers/recognise"),
            g,
            Some(json!({"account": "0109999999"})),
        )
        .await
        .expect(200);
    assert_eq!(unknown["found"], false);
    let empty = app
        .post(
            &format!("/api/v1/halls/{hall}/customers/recognise"),
            g,
            Some(json!({})),
        )
        .await;
    assert_eq!(empty.status, 422);
    // Another hall's desk does not see this hall's customer.
    let other = app.fx.other_hall.code.clone();
    let elsewhere = app
        .post(
            &format!("/api/v1/halls/{other}/customers/recognise"),
            g,
            Some(json!({"account": "0102345678"})),
        )
        .await;
    assert_eq!(elsewhere.status, 403);

    // A supervisor sees counts by segment, not persons.
    let sup = app.above_halls("sup1", Role::Supervisor).await;
    let s = Auth::Person(&sup);
    let counts = app.get("/api/v1/customer-segments", s).await.expect(200);
    let row = counts
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["segment"]["code"] == "living_alone")
        .unwrap();
    assert_eq!(row["customers"], 1);
    assert_eq!(row["review_due"], 1);
    assert_eq!(
        app.get(&format!("/api/v1/customers/{id}"), s).await.status,
        403
    );
    assert_eq!(
        app.get(&format!("/api/v1/halls/{hall}/customers"), s)
            .await
            .status,
        403
    );

    // The manager's change names what changed, masked.
    let upd = app
        .put_json(
            &format!("/api/v1/customers/{id}"),
            m,
            json!({"class": "resident", "phone": "13912345678",
            "segments": [{"segment": "key_account"}]}),
        )
        .await;
    assert_eq!(upd["segments"][0]["segment"]["code"], "key_account");
    assert_eq!(upd["name"], "王**", "a name left out is kept");
    let d = app
        .get(&format!("/api/v1/customers/{id}"), m)
        .await
        .expect(200);
    let last = d["changes"].as_array().unwrap().last().unwrap()["summary"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        last.contains("138****1234 → 139****5678") && last.contains("移出分群 独居老人"),
        "{last}"
    );
}

trait PutJson {
    async fn put_json(&self, path: &str, auth: Auth<'_>, b: Value) -> Value;
}

impl PutJson for App {
    async fn put_json(&self, path: &str, auth: Auth<'_>, b: Value) -> Value {
        let r = App::send(self.request(Method::PUT, path, auth).json(&b)).await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.json()
    }
}
