//! The catalogue field form over HTTP: the preview answers with the guide and messages by
//! field; a refused save answers 422 with the message next to its field and changes
//! nothing; a good one saves a version; only administrators (and hall managers) may use it,
//! with the form's CSRF token.

use crate::browser::catalogue::app_with_catalogue;
use crate::common::{App, Auth, Session};
use servicehall_store::CatalogueStore;

fn tomorrow() -> String {
    (servicehall_domain::time::service_day(servicehall_web::now_ms(), chrono_tz::Asia::Shanghai)
        + chrono::Days::new(1))
    .to_string()
}

/// The fields of a good next version of `new_connection`, with `over` replacing fields.
fn fields<'a>(
    csrf: &'a str,
    date: &'a str,
    over: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("_csrf", csrf),
        ("business_type", "new_connection"),
        ("effective_from", date),
        ("description", "居民新装用电，客户零投资。"),
        ("who_may_apply", "房屋产权人"),
        ("offered", "resident"),
        ("documents.resident[0].name", "户主身份证明"),
        ("documents.resident[0].note", ""),
        ("documents.resident[1].name", "委托书"),
        ("documents.resident[1].note", "代办时"),
        ("fees[0].item", "验表费"),
        ("fees[0].yuan", "12.50"),
        ("fees[0].basis", "示例依据"),
        ("fees[0].sample", "true"),
        ("channels", "hall"),
        ("channels", "app"),
    ];
    for (k, v) in over {
        match f.iter_mut().find(|(fk, _)| fk == k) {
            Some(slot) => slot.1 = v,
            None => f.push((k, v)),
        }
    }
    f
}

async fn post(app: &App, who: &Session, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    app.client
        .post(app.url(&format!("{path}?hall={}", app.fx.hall.code)))
        .header("cookie", &who.cookie)
        .form(form)
        .send()
        .await
        .unwrap()
}

async fn version_count(app: &App) -> usize {
    app.store
        .catalogue_versions(app.fx.hall.id, app.now())
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn the_field_form_previews_refuses_in_place_and_saves() {
    let app = app_with_catalogue().await;
    let manager = app.login("manager").await;
    let csrf = manager.csrf.clone();
    let date = tomorrow();

    // The form page: prefilled from the version in effect, dated tomorrow.
    let page = app
        .get(
            "/admin/catalogue/form?type=new_connection",
            Auth::Person(&manager),
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("户主身份证明") && page.text.contains(&date));
    let unknown = app
        .get(
            "/admin/catalogue/form?type=teleport",
            Auth::Person(&manager),
        )
        .await;
    assert_eq!(unknown.status, 404);
    assert!(unknown.text.contains("teleport"));

    // The live preview: the guide as customers see it, messages by field name.
    let r = post(
        &app,
        &manager,
        "/admin/catalogue/form/preview",
        &fields(
            &csrf,
            &date,
            &[("fees[0].yuan", "12.345"), ("fees[0].basis", "")],
        ),
    )
    .await;
    assert_eq!(r.status(), 200);
    let j: serde_json::Value = r.json().await.unwrap();
    assert!(j["html"].as_str().unwrap().contains("委托书"), "{j}");
    assert!(
        j["errors"]["fees[0].yuan"]
            .as_str()
            .unwrap()
            .contains("yuan"),
        "{j}"
    );

    // Refused saves: 422, the message next to its field, nothing saved.
    let before = version_count(&app).await;
    type Over<'a> = &'a [(&'a str, &'a str)];
    let bad: [(Over, &str, &str); 4] = [
        (
            &[("effective_from", "2020-01-01")],
            "effective_from",
            "in the past",
        ),
        (&[("fees[0].basis", "")], "fees[0].basis", "legal basis"),
        (
            &[("fees[0].yuan", "abc")],
            "fees[0].yuan",
            "not an amount in yuan",
        ),
        (
            &[
                ("documents.resident[1].name", ""),
                ("documents.resident[1].note", "x"),
            ],
            "documents.resident[1].name",
            "must not be empty",
        ),
    ];
    for (over, field, says) in bad {
        let r = post(
            &app,
            &manager,
            "/admin/catalogue/form/save",
            &fields(&csrf, &date, over),
        )
        .await;
        assert_eq!(r.status(), 422, "{says}");
        let html = r.text().await.unwrap();
        // The message sits in the field's own slot.
        let mark = format!("data-err-for=\"{field}\">");
        let slot = html
            .find(&mark)
            .unwrap_or_else(|| panic!("no slot for {field}: {html}"));
        let text = &html[slot + mark.len()..];
        let text = &text[..text.find("</small>").unwrap_or(0)];
        assert!(text.contains(says), "{field}: {text:?} should say {says:?}");
        if field.ends_with(".yuan") {
            // The refused amount comes back as typed, not as 0 (免费).
            assert!(html.contains("value=\"abc\""), "typed amount kept");
        }
        assert_eq!(version_count(&app).await, before, "{says}: nothing saved");
    }

    // Only with the form's token, and only for administrators and hall managers.
    let stale = post(
        &app,
        &manager,
        "/admin/catalogue/form/save",
        &fields("wrong", &date, &[]),
    )
    .await;
    assert_eq!(stale.status(), 403);
    let clerk = app.login("clerk1").await;
    let c = post(
        &app,
        &clerk,
        "/admin/catalogue/form/save",
        &fields(&clerk.csrf, &date, &[]),
    )
    .await;
    assert_eq!(c.status(), 403);
    let refused = app
        .get(
            "/admin/catalogue/form?type=new_connection",
            Auth::Person(&clerk),
        )
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(version_count(&app).await, before);

    // A good form saves one version, dated tomorrow, with the fee in fen.
    let ok = app
        .client
        .post(app.url(&format!(
            "/admin/catalogue/form/save?hall={}",
            app.fx.hall.code
        )))
        .header("cookie", &manager.cookie)
        .form(&fields(&csrf, &date, &[]))
        .send()
        .await
        .unwrap();
    assert!(
        ok.status().is_success() || ok.status().is_redirection(),
        "{}",
        ok.status()
    );
    let versions = app
        .store
        .catalogue_versions(app.fx.hall.id, app.now())
        .await
        .unwrap();
    assert_eq!(versions.len(), before + 1);
    let saved = versions
        .iter()
        .find(|v| v.entry.effective_from == date)
        .expect("the new version");
    assert_eq!(saved.entry.fees[0].fen, 1250);
    assert!(!saved.locked && !saved.current);
}
