//! The first day of a real hall in the browser (issue 13), from an empty database: the
//! first administrator on `/setup`, a hall file uploaded on `/admin`, a kiosk registered and
//! paired on the hall's screen, an imported clerk signed in with the one-time password read
//! off the page, a counter opened on the console, a ticket taken at the kiosk, called,
//! started and finished. On SQLite and, when `SERVICEHALL_TEST_PG` is set, on PostgreSQL.

use super::*;
use crate::common::{postgres_store, serve, sqlite_store};
use servicehall_domain::TicketState;
use servicehall_store::testing::TestStore;
use servicehall_store::{FirstRunStore, HallStore, QueueStore};
use servicehall_web::{AppState, WebConfig};
use std::sync::Arc;

const ADMIN_PASSWORD: &str = "first-day-root-1";

/// Signs `username` in through the login form with `password`.
async fn sign_in_as(b: &WebDriver, base: &str, username: &str, password: &str) {
    b.goto(format!("{base}/login")).await.unwrap();
    b.find(By::Name("username"))
        .await
        .unwrap()
        .send_keys(username)
        .await
        .unwrap();
    b.find(By::Name("password"))
        .await
        .unwrap()
        .send_keys(password)
        .await
        .unwrap();
    click(b, "#login-form button[type=submit]").await;
    wait_for("sign-in", Duration::from_secs(10), || async {
        !b.current_url().await.unwrap().path().starts_with("/login")
    })
    .await;
}

/// Types `value` into the input named `name` inside the form `form`.
async fn fill(b: &WebDriver, form: &str, name: &str, value: &str) {
    b.find(By::Css(format!("#{form} [name='{name}']")))
        .await
        .unwrap()
        .send_keys(value)
        .await
        .unwrap();
}

async fn first_day(d: &Driver, db: TestStore) {
    // An empty store: no hall, no staff, no administrator, the server as `serve` starts it.
    let store = Arc::new(db.store());
    assert!(!store.has_admin().await.unwrap());
    assert!(store.halls().await.unwrap().is_empty());
    let (base, server) = serve(AppState::new(store.clone(), WebConfig::default())).await;

    // The first administrator on /setup, from the server's own machine (loopback: the setup
    // code is already in the form).
    let admin = browser(d, 1366, 768).await;
    admin.goto(format!("{base}/setup")).await.unwrap();
    watch_errors(&admin).await;
    fill(&admin, "setup-form", "username", "root").await;
    fill(&admin, "setup-form", "name", "张敏").await;
    fill(&admin, "setup-form", "password", ADMIN_PASSWORD).await;
    fill(&admin, "setup-form", "password2", ADMIN_PASSWORD).await;
    click(&admin, "#setup-form button[type=submit]").await;
    wait_for(
        "the administrator created",
        Duration::from_secs(10),
        || async { visible(&admin, "setup-done").await },
    )
    .await;
    assert!(store.has_admin().await.unwrap());
    sign_in_as(&admin, &base, "root", ADMIN_PASSWORD).await;

    // The hall file, uploaded on /admin; the clerk's one-time password is read off the page.
    let dir = std::env::temp_dir().join(format!(
        "sh-firstday-{}-{}",
        std::process::id(),
        base.rsplit(':').next().unwrap()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("dl-xh.yaml");
    std::fs::write(&file, servicehall_web::hall_xlsx::EXAMPLE).unwrap();
    admin.goto(format!("{base}/admin#hall-file")).await.unwrap();
    admin
        .find(By::Css("#hall-file-form input[type=file]"))
        .await
        .unwrap()
        .send_keys(file.display().to_string())
        .await
        .unwrap();
    click(&admin, "#hall-file-form button[type=submit]").await;
    wait_for("the imported hall", Duration::from_secs(10), || async {
        admin.find(By::Id("one-time-passwords")).await.is_ok()
    })
    .await;
    let otp = admin
        .execute(
            "for (const tr of document.querySelectorAll('#one-time-passwords tbody tr')) \
               if (tr.cells[0].textContent.trim() === 'xh_clerk1') return tr.cells[1].textContent.trim(); \
             return '';",
            vec![],
        )
        .await
        .unwrap()
        .convert::<String>()
        .unwrap();
    assert!(otp.len() >= 12, "one-time password of xh_clerk1: {otp:?}");
    let hall = store.hall_by_code("DL-XH").await.unwrap();
    let counter2 = store
        .counters(hall.id)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.number == 2)
        .expect("counter 2 imported");

    // A kiosk registered on the hall's screen; its pairing address is shown once.
    admin
        .goto(format!("{base}/admin/halls/{}#devices", hall.id))
        .await
        .unwrap();
    click(
        &admin,
        "#device-form select[name='kind'] option[value='kiosk']",
    )
    .await;
    fill(&admin, "device-form", "name", "大厅取号机").await;
    click(&admin, "#device-form button[type=submit]").await;
    wait_for("the pairing address", Duration::from_secs(10), || async {
        visible(&admin, "pair-url").await
    })
    .await;
    let pair_url = text_of(&admin, "pair-url").await;
    assert!(pair_url.starts_with("/device/pair?token="), "{pair_url}");
    no_js_errors(&admin).await;
    quit(admin).await;

    // The imported clerk signs in with the one-time password and opens counter 2 (新装).
    let clerk = browser(d, 1366, 768).await;
    sign_in_as(&clerk, &base, "xh_clerk1", &otp).await;
    assert!(
        clerk
            .current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/counter"),
        "a clerk lands on the counter console"
    );
    wait_for("the counter list", Duration::from_secs(10), || async {
        visible(&clerk, "open-panel").await
    })
    .await;
    watch_errors(&clerk).await;
    click(
        &clerk,
        &format!("#open-list button[data-id='{}']", counter2.id),
    )
    .await;
    wait_for("the console", Duration::from_secs(10), || async {
        visible(&clerk, "btn-call").await
    })
    .await;

    // A customer takes a 新装 ticket at the paired kiosk, on its portrait screen.
    let kiosk = browser(d, 1080, 1920).await;
    kiosk.goto(format!("{base}{pair_url}")).await.unwrap();
    watch_errors(&kiosk).await;
    click(&kiosk, ".tile[data-code='new']").await;
    wait_for("the issued number", Duration::from_secs(10), || async {
        text_of(&kiosk, "issued-number").await == "B001"
    })
    .await;
    no_js_errors(&kiosk).await;
    quit(kiosk).await;
    let waiting = store.waiting(hall.id).await.unwrap();
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    let ticket = waiting[0].id;

    // Call, start, finish on the console.
    wait_for(
        "the ticket in the queue",
        Duration::from_secs(10),
        || async { text_of(&clerk, "next").await.contains("B001") },
    )
    .await;
    click(&clerk, "#btn-call").await;
    wait_for("the start button", Duration::from_secs(5), || async {
        visible(&clerk, "btn-start").await
    })
    .await;
    assert_eq!(text_of(&clerk, "cur-number").await, "B001");
    click(&clerk, "#btn-start").await;
    wait_for("the finish button", Duration::from_secs(5), || async {
        visible(&clerk, "btn-finish").await
    })
    .await;
    click(&clerk, "#btn-finish").await;
    wait_for("the finish dialog", Duration::from_secs(5), || async {
        visible(&clerk, "finish-dialog").await
    })
    .await;
    click(&clerk, "#finish-confirm").await;
    wait_for("idle again", Duration::from_secs(10), || async {
        !visible(&clerk, "finish-dialog").await && visible(&clerk, "btn-call").await
    })
    .await;
    assert!(
        !text_of(&clerk, "cur-number").await.contains("B001"),
        "the finished ticket stays on the console"
    );
    let t = store.ticket(ticket).await.unwrap();
    assert_eq!(t.state, TicketState::Finished, "{t:?}");
    assert_eq!(t.number, "B001");
    no_js_errors(&clerk).await;
    quit(clerk).await;
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hall_goes_live_in_the_browser_from_an_empty_database() {
    let test = "a_hall_goes_live_in_the_browser_from_an_empty_database";
    let Some(d) = driver(test).await else {
        return;
    };
    first_day(&d, sqlite_store().await).await;
    if let Some(pg) = postgres_store(test).await {
        first_day(&d, pg).await;
    }
}
