//! Browser tests in headless Chromium (Debian's `chromium` + `chromedriver`), driving the
//! real screens against a real server: kiosk → counter console → lobby display → evaluator
//! pad, the guide desk, the read-back receipt and the customer's phone page.
//! Skipped, with a note, when no chromedriver is installed; CI installs it.

mod accessibility;
mod appointments;
mod appointments_desk;
mod assessment;
mod audit;
mod cases;
mod cases_live;
pub mod catalogue;
mod catalogue_form;
mod counters;
mod counters_console;
mod customers;
mod dashboard;
mod edge;
mod evaluator;
mod feedback_rate;
mod first_day;
mod hall_file;
mod halls_photos;
mod incidents;
mod insight;
mod insight_survey_link;
mod inspection_schedules;
mod inspections;
mod layout_map;
mod lists;
mod print;
mod queue;
mod queue_display;
mod queue_phone;
pub(crate) mod queue_proxy;
mod rectification;
mod region_risks;
mod regions;
mod reports;
mod risks;
mod risks_matrix;
mod scorecards;
mod scorecards_counter_evidence;
mod site;
mod staffing;
mod standards;

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use thirtyfour::prelude::*;

/// A chromedriver child process in its own process group, stopped with every Chromium it
/// started on drop (a browser that did not close cleanly must not outlive its test).
pub struct Driver {
    child: Child,
    pub url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Ends a browser session. Closing is not what the tests assert, and on a loaded machine
/// chromedriver can time out closing a window; one retry, then the driver's drop kills the
/// process group, so a slow close never fails a test whose behaviour has passed.
pub async fn quit(b: WebDriver) {
    let handle = b.clone();
    if let Err(first) = b.quit().await
        && let Err(second) = handle.quit().await
    {
        eprintln!(
            "浏览器未能关闭 · browser did not close ({first}; then {second}); its driver is killed"
        );
    }
}

fn chromedriver_path() -> Option<String> {
    let p = std::env::var("SERVICEHALL_CHROMEDRIVER")
        .unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    std::path::Path::new(&p).exists().then_some(p)
}

/// Starts chromedriver, or returns `None` (saying so) when it is not installed.
pub async fn driver(test: &str) -> Option<Driver> {
    let Some(path) = chromedriver_path() else {
        eprintln!(
            "SKIPPED browser test {test}: no chromedriver (apt-get install chromium chromium-driver, or set SERVICEHALL_CHROMEDRIVER)"
        );
        return None;
    };
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = Command::new(path)
        .process_group(0)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Some(Driver { child, url })
}

/// A new headless Chromium session (its own profile, so its own cookies) at `w`×`h`.
pub async fn browser(d: &Driver, w: u32, h: u32) -> WebDriver {
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary(
        &std::env::var("SERVICEHALL_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
    )
    .unwrap();
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--autoplay-policy=no-user-gesture-required",
        &format!("--window-size={w},{h}"),
    ] {
        caps.add_arg(arg).unwrap();
    }
    WebDriver::new(&d.url, caps)
        .await
        .expect("open a Chromium session")
}

/// Waits until `cond` holds on the page, polling every 50 ms; returns how long it took.
pub async fn wait_for<F, Fut>(what: &str, timeout: Duration, mut cond: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    loop {
        if cond().await {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < timeout,
            "timed out after {timeout:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Text of the element with `id`, or empty when it is not there.
pub async fn text_of(b: &WebDriver, id: &str) -> String {
    match b.find(By::Id(id)).await {
        Ok(e) => e.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Text of the first element matching `css`, or empty when it is not there or went stale
/// (the page navigated between finding and reading it), so a `wait_for` simply polls again.
pub async fn css_text(b: &WebDriver, css: &str) -> String {
    match b.find(By::Css(css)).await {
        Ok(e) => e.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// True when the element with `id` exists and is displayed.
pub async fn visible(b: &WebDriver, id: &str) -> bool {
    match b.find(By::Id(id)).await {
        Ok(e) => e.is_displayed().await.unwrap_or(false),
        Err(_) => false,
    }
}

/// The top and bottom (px, in the viewport) of element `id`: where a person sees it.
pub async fn vertical_extent(b: &WebDriver, id: &str) -> (f64, f64) {
    b.execute(
        "const r = document.getElementById(arguments[0]).getBoundingClientRect(); return [r.top, r.bottom];",
        vec![serde_json::json!(id)],
    )
    .await
    .unwrap()
    .convert()
    .unwrap()
}

/// Fails the test if the page logged a JavaScript error.
pub async fn no_js_errors(b: &WebDriver) {
    let errs = b
        .execute("return window.__errors || []", vec![])
        .await
        .unwrap();
    let v: Vec<String> = errs.convert().unwrap_or_default();
    assert!(v.is_empty(), "JavaScript errors: {v:?}");
}

/// Records JavaScript errors for `no_js_errors` (run after each navigation).
pub async fn watch_errors(b: &WebDriver) {
    b.execute(
        "window.__errors = []; window.addEventListener('error', e => window.__errors.push(String(e.message)));",
        vec![],
    )
    .await
    .unwrap();
}

/// Signs a person in through the login form.
pub async fn sign_in(b: &WebDriver, base: &str, username: &str) {
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
        .send_keys(crate::common::PASSWORD)
        .await
        .unwrap();
    b.find(By::Css("#login-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for("sign-in", Duration::from_secs(10), || async {
        !b.current_url().await.unwrap().path().starts_with("/login")
    })
    .await;
}

/// Finds `css` and clicks it, retrying while the page is still rendering it.
pub async fn click(b: &WebDriver, css: &str) {
    let start = Instant::now();
    loop {
        let res = match b.find(By::Css(css)).await {
            Ok(e) => e.click().await,
            Err(e) => Err(e),
        };
        match res {
            Ok(()) => return,
            Err(e) if start.elapsed() > Duration::from_secs(10) => {
                panic!("cannot click {css}: {e}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}
