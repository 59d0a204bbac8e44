//! `demo`: a realistic demo hall (国网大连供电公司西岗营业厅) with 30 days of simulated
//! history, fresh device tokens, and the server.

mod appointments;
mod appointments_links;
mod assessment;
mod audit;
mod cases;
pub mod catalogue;
pub mod curve;
mod customers;
mod edge;
pub mod feedback;
pub mod hall;
pub mod incidents;
pub mod insight;
pub mod inspections;
pub mod layout_map;
pub mod rectification;
mod region_risks;
mod regions;
mod reports;
pub mod risks;
mod scorecards;
pub mod sim;
mod sister;
mod site;
pub mod staffing;
pub mod standards;

use crate::config::{self, Settings};
use crate::{CliError, CliResult, serve};
use clap::Args;
use servicehall_domain::{DeviceKind, Role};
use servicehall_store::{SqlStore, Store};
use std::net::SocketAddr;
use std::path::PathBuf;

/// The simulation's seed: the same history on every machine.
pub const SEED: u64 = 0x5EED_DA11_2026_0001;

#[derive(Args, Debug)]
#[command(
    after_help = "Accounts 演示账号 (password 密码 demo1234): admin, manager, clerk1..clerk7, guide, supervisor.\n\
Run again to reuse the data; delete the data directory for a fresh history."
)]
pub struct DemoArgs {
    /// Address to listen on. 监听地址
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Directory of the demo database (servicehall.db). 演示数据目录
    #[arg(long, default_value = "./data/demo")]
    pub data_dir: PathBuf,
    /// Seed a database elsewhere instead, e.g. `postgres://…` (overrides --data-dir).
    /// 数据库地址
    #[arg(long, conflicts_with = "data_dir")]
    pub database: Option<String>,
    /// Days of history to simulate before today. 模拟历史天数
    #[arg(long, default_value_t = 30)]
    pub days: u64,
    /// Prepare the data and print the URLs, but do not serve. 只生成数据不启动服务
    #[arg(long)]
    pub no_serve: bool,
}

pub fn hash_password(p: &str) -> CliResult<String> {
    servicehall_web::auth::hash_password(p)
        .map_err(|e| CliError::failed(format!("cannot hash the demo password: {}", e.detail)))
}

/// Creates or reuses the demo hall; seeds history for a new one.
pub async fn prepare(
    store: &SqlStore,
    days: u64,
    now: i64,
) -> CliResult<(hall::DemoHall, Option<sim::SimStats>)> {
    if let Some(existing) = hall::existing(store).await? {
        standards::seed_if_empty(store, &existing, now).await?;
        regions::seed_if_empty(store, &existing, hash_password, now).await?;
        region_risks::seed_if_empty(store, now).await?;
        inspections::install_shipped(store, now).await?;
        incidents::install_shipped(store, now).await?;
        assessment::keep(store, now).await?;
        scorecards::seed(
            store,
            servicehall_domain::time::service_day(now, chrono_tz::Asia::Shanghai),
            now,
        )
        .await?;
        return Ok((existing, None));
    }
    let demo = hall::create(store, hash_password).await?;
    let tz = servicehall_domain::time::parse_tz(&demo.hall.timezone).map_err(CliError::failed)?;
    let today = servicehall_domain::time::service_day(now, tz);
    config::set_synchronous(store, false).await?;
    let stats = sim::seed(store, &demo, SEED, today, days, now).await;
    let fb = match &stats {
        Ok(_) => Some(feedback::seed(store, &demo, SEED, now).await),
        Err(_) => None,
    };
    let insight = match &stats {
        Ok(_) => Some(insight::seed(store, &demo, SEED, today, days).await),
        Err(_) => None,
    };
    let cases = match &stats {
        Ok(_) => Some(cases::seed(store, &demo, SEED, today, days, now).await),
        Err(_) => None,
    };
    let checks = match &stats {
        Ok(_) => Some(inspections::seed(store, &demo, SEED, today, days, now).await),
        Err(_) => None,
    };
    let walks = match &stats {
        Ok(_) => Some(layout_map::seed(store, &demo, SEED, today, days, now).await),
        Err(_) => None,
    };
    let risks = match &stats {
        Ok(_) => Some(risks::seed(store, &demo, today, days, now).await),
        Err(_) => None,
    };
    let incidents = match &stats {
        Ok(_) => Some(incidents::seed(store, &demo, today, now).await),
        Err(_) => None,
    };
    let plans = match &stats {
        Ok(_) => Some(staffing::seed(store, &demo, today, days, now).await),
        Err(_) => None,
    };
    config::set_synchronous(store, true).await?;
    let stats = stats?;
    if let Some(n) = incidents {
        println!("应急处置 · incidents: {} past incidents, one reviewed", n?);
    }
    if let Some(fb) = fb {
        let fb = fb?;
        println!(
            "反馈数据 · feedback: {} phone ratings, {} external rows imported, {} recovery cases ({} called back, {} closed)",
            fb.phone_ratings, fb.imported, fb.recovery_cases, fb.called_back, fb.closed
        );
    }
    if let Some(i) = insight {
        let (answers, observations) = i?;
        println!(
            "满意度数据 · satisfaction: {answers} survey answers, {observations} observations (内查)"
        );
    }
    if let Some(c) = cases {
        let c = c?;
        println!(
            "工单 · cases: {} opened, {} closed, {} steps finished late",
            c.opened, c.closed, c.late_steps
        );
        if let Some((number, code)) = &c.example {
            println!("  客户查询 /case 示例 · try /case with: {number} 查询码 access code {code}");
        }
    }
    if let Some(c) = checks {
        let (done, failed) = c?;
        println!(
            "现场检查 · inspections: {done} checks, {failed} below the line or with a critical miss"
        );
        let r = rectification::seed(store, &demo, now).await?;
        println!(
            "整改 · rectification: {} open ({} overdue), {} waiting for verification, {} verified",
            r.open, r.overdue, r.to_verify, r.verified
        );
    }
    if let Some(w) = walks {
        let (done, failed) = w?;
        println!("定置图 · layout map: {done} map walks, {failed} failed, today's half done");
    }
    if let Some(p) = plans {
        println!("排班计划 · staffing: {} days planned", p?);
        let a = appointments::seed(store, &demo, today, now).await?;
        println!(
            "预约 · appointments: {} bookings, {} no-shows, {} still to come today{}",
            a.bookings,
            a.no_shows,
            a.upcoming_today,
            a.example
                .map(|c| format!(" (try /a/{c})"))
                .unwrap_or_default()
        );
    }
    if let Some(r) = risks {
        let r = r?;
        println!(
            "服务风险 · risks: {} sample risks, {} KRIs counted daily, {} threshold crossings",
            r.risks, r.kris, r.notices
        );
    }
    standards::seed_if_empty(store, &demo, now).await?;
    regions::seed_if_empty(store, &demo, hash_password, now).await?;
    let rr = region_risks::seed_if_empty(store, now).await?;
    println!("区域风险 · region risks: {rr} sample risks of 大连 and 辽宁 (/risks?region=LN-DL)");
    edge::seed(store, now).await?;
    let (sealed, records) = audit::seed(store, now).await?;
    println!(
        "防篡改记录 · audit record: {sealed} ticket events sealed, {records} records verified"
    );
    assessment::keep(store, now).await?;
    scorecards::seed(store, today, now).await?;
    reports::seed(store, now).await?;
    Ok((demo, Some(stats)))
}

/// A fresh device of each kind, the old demo devices revoked: (kind, counter number, token).
/// Only the demo's own devices (known by their names) are revoked: tokens made with
/// `token create` or in /admin keep working across demo starts.
pub async fn fresh_devices(
    store: &dyn Store,
    demo: &hall::DemoHall,
    now: i64,
) -> CliResult<Vec<(DeviceKind, Option<i64>, String)>> {
    let wanted = demo_devices(demo);
    for d in store.devices(demo.hall.id).await? {
        if !d.revoked && wanted.iter().any(|(_, _, name)| *name == d.name) {
            store.revoke_device(d.id).await?;
        }
    }
    let mut out = Vec::new();
    for (kind, counter, name) in wanted {
        let token = servicehall_web::auth::new_token();
        let hash = servicehall_web::auth::hash_token(&token);
        store
            .create_device(demo.hall.id, counter.map(|c| c.id), kind, &name, &hash, now)
            .await?;
        out.push((kind, counter.map(|c| c.number), token));
    }
    Ok(out)
}

/// The demo's devices: kind, counter and the name that marks them as the demo's.
fn demo_devices(
    demo: &hall::DemoHall,
) -> Vec<(DeviceKind, Option<&servicehall_store::Counter>, String)> {
    let mut wanted = vec![
        (DeviceKind::Kiosk, None, "大厅取号机 Kiosk".to_string()),
        (
            DeviceKind::Display,
            None,
            "大厅显示屏 Lobby display".to_string(),
        ),
    ];
    if let Some(c) = demo.counters.first() {
        wanted.push((
            DeviceKind::CounterScreen,
            Some(c),
            format!("{}号窗口屏 Counter screen {}", c.number, c.number),
        ));
    }
    for c in &demo.counters {
        wanted.push((
            DeviceKind::Evaluator,
            Some(c),
            format!("{}号窗口评价器 Evaluator {}", c.number, c.number),
        ));
    }
    wanted
}

/// The address people type: 127.0.0.1 instead of 0.0.0.0.
pub fn public_addr(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        format!("127.0.0.1:{}", addr.port())
    } else {
        addr.to_string()
    }
}

pub async fn run(args: DemoArgs) -> CliResult<()> {
    serve::init_logging();
    let url = match &args.database {
        Some(url) => url.clone(),
        None => config::sqlite_url_in(&args.data_dir),
    };
    // Held while the demo seeds and serves: `restore` waits for no one.
    let _lock = crate::ops::lock::take_for_url(&url)?;
    let (store, _) = config::open_store(&url).await?;
    let now = servicehall_web::now_ms();
    let started = std::time::Instant::now();
    let (demo, stats) = prepare(&store, args.days, now).await?;
    match &stats {
        Some(s) => println!(
            "演示数据已生成 · demo data created in {:.1} s: {} open days, {} tickets ({} finished, {} no-shows, {} transfers, {} green channel, {} proxy), {} ratings",
            started.elapsed().as_secs_f64(),
            s.days,
            s.issued,
            s.finished,
            s.no_shows,
            s.transfers,
            s.green,
            s.proxy,
            s.ratings
        ),
        None => println!(
            "复用已有演示营业厅 · reusing the existing demo hall {} in {}",
            demo.hall.code,
            serve::redact(&url)
        ),
    }
    catalogue::seed(&store, &demo, now).await?;
    let kept = customers::seed(&store, &demo, now).await?;
    if kept > 0 {
        println!("客户与分群 · customers: {kept} customers with segments and consents");
    }
    let notices = appointments_links::seed(&store, &demo, now).await?;
    if notices > 0 {
        println!("工单进展通知 · case notices: {notices} queued for a consenting customer");
    }
    let devices = fresh_devices(&store, &demo, now).await?;
    let listener = serve::bind(&args.listen).await?;
    let addr = public_addr(listener.local_addr()?);
    print_urls(&addr, &demo, &devices);
    if args.no_serve {
        return Ok(());
    }
    let settings = Settings {
        database: url,
        listen: args.listen.clone(),
        rating_window_secs: config::DEFAULT_RATING_WINDOW_SECS,
        secure_cookies: false,
        public_url: None,
        webhook_url: None,
        metrics_token: None,
        limits: Default::default(),
        backup: None,
    };
    serve::serve_on(store, listener, &settings).await
}

fn print_urls(addr: &str, demo: &hall::DemoHall, devices: &[(DeviceKind, Option<i64>, String)]) {
    let base = format!("http://{addr}");
    println!();
    println!("{} · {}", demo.hall.name, demo.hall.name_en);
    println!();
    println!("设备配对 · Pair the screens (open once on the device):");
    for (kind, counter, token) in devices {
        let label = match (kind, counter) {
            (DeviceKind::Kiosk, _) => "取号机 kiosk".to_string(),
            (DeviceKind::Display, _) => "大厅显示屏 lobby display".to_string(),
            (DeviceKind::Evaluator, Some(1)) => "1号窗口评价器 evaluator, counter 1".to_string(),
            (DeviceKind::CounterScreen, Some(1)) => {
                "1号窗口屏 counter screen, counter 1".to_string()
            }
            _ => continue,
        };
        println!("  {label:<36} {base}/device/pair?token={token}");
    }
    println!();
    println!("界面 · Screens:");
    let screens = [
        ("/", "首页 home"),
        ("/login", "登录 sign in"),
        ("/kiosk", "取号机 kiosk"),
        ("/guide", "引导台 guide desk"),
        ("/appointments", "预约 appointments (guide desk, manager)"),
        ("/kiosk/check-in", "预约签到 kiosk check-in"),
        (
            "/h/DL-XG/book",
            "预约办理 public booking (phone, no sign-in)",
        ),
        ("/counter", "柜员工作台 counter console"),
        ("/display/lobby", "大厅显示屏 lobby display"),
        ("/device/evaluator", "评价器 evaluator"),
        ("/manager", "值班长看板 hall manager"),
        ("/hall/DL-XG", "公开页 public hall page (no sign-in)"),
        ("/notice/new", "一次性告知 one-time notice"),
        ("/cases/on-time", "按时办结率 on-time rate"),
        ("/inspections", "现场检查 inspections"),
        ("/layout-map", "定置图 layout map"),
        ("/admin/layout-map", "定置图编辑 layout editor"),
        ("/rectifications", "整改 rectification"),
        ("/incidents", "应急处置 incidents and playbooks"),
        ("/counter/manual", "人工登记 manual entries (营销系统故障)"),
        ("/audit", "防篡改记录 audit record"),
        ("/staffing", "排班建议 staffing advisor"),
        ("/risks", "服务风险 risk register and KRIs"),
        ("/risks?region=LN-DL", "区域风险 region risks (supervisor)"),
        ("/customers", "客户与分群 customers and segments"),
        ("/conformance", "标准达标 the standard measured"),
        ("/reports", "月度报告 monthly reports"),
        ("/indicators", "指标库 indicators library"),
        ("/scorecards", "考核 scorecards (hall and clerks)"),
        ("/ranking", "红黑榜 ranking (supervisor)"),
        (
            "/admin/scorecard-schemes",
            "考核方案 scorecard schemes (supervisor)",
        ),
        ("/appeals", "考核申诉 appeals"),
        ("/admin/regions", "区域 regions"),
        ("/admin/catalogue", "业务目录 service catalogue"),
        ("/admin", "系统管理 administration"),
        ("/api/openapi.json", "API (OpenAPI)"),
    ];
    for (path, what) in screens {
        println!("  {:<44} {what}", format!("{base}{path}"));
    }
    println!();
    println!(
        "演示账号 · Demo accounts (密码 password: {}):",
        hall::DEMO_PASSWORD
    );
    println!("  {:<12} {:<8} {:<8} 角色 role", "username", "姓名", "工号");
    for (user, name, badge, role, _) in hall::STAFF {
        let counter = user
            .strip_prefix("clerk")
            .and_then(|n| n.parse::<usize>().ok())
            .map(|n| match n {
                1..=5 => format!(" · {n}号窗口"),
                _ => " · 6号综合窗口".to_string(),
            })
            .unwrap_or_default();
        println!(
            "  {user:<12} {name:<8} {badge:<8} {} {}{counter}",
            role.label_zh(),
            role.as_str()
        );
    }
    let (user, name, badge) = regions::CITY_SUPERVISOR;
    println!(
        "  {user:<12} {name:<8} {badge:<8} {} {} · 限大连 limited to Dalian",
        Role::Supervisor.label_zh(),
        Role::Supervisor.as_str()
    );
    println!(
        "  zsmanager, zsclerk1..3 — 中山营业厅 {} (the sister hall, cases only)",
        sister::SISTER_CODE
    );
    println!();
}

#[cfg(test)]
mod tests {
    use super::*;
    use servicehall_domain::TicketState;
    use servicehall_store::{CounterStore, EventStore, HallStore, QueueStore};

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "servicehall-{name}-{}-{}",
            std::process::id(),
            servicehall_web::now_ms()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn two_days_of_demo_history_are_plausible() {
        let dir = temp_dir("demo");
        let (store, _) = config::open_store(&config::sqlite_url_in(&dir))
            .await
            .unwrap();
        // Tuesday 2025-11-25, 10:30 in Dalian: Saturday 22nd and Monday 24th are history
        // (Sunday is closed), today is live.
        let now = 1_764_037_800_000;
        let (demo, stats) = prepare(&store, 3, now).await.unwrap();
        let stats = stats.unwrap();
        assert_eq!(stats.days, 3, "{stats:?}");
        assert!(stats.issued > 300, "{stats:?}");
        assert!(stats.finished > stats.issued / 2, "{stats:?}");
        assert!(stats.ratings > stats.finished / 2, "{stats:?}");
        assert!(stats.waiting_now >= 3, "{stats:?}");

        let tz = servicehall_domain::time::parse_tz("Asia/Shanghai").unwrap();
        let payment = demo.types.iter().find(|t| t.is_payment).unwrap().id;
        let ratings = store
            .ratings_between(demo.hall.id, 0, i64::MAX)
            .await
            .unwrap();
        let mut finished_payments = 0;
        for day in ["2025-11-22", "2025-11-24", "2025-11-25"] {
            let tickets = store.day_tickets(demo.hall.id, day).await.unwrap();
            assert!(tickets.len() > 50, "{day}: {}", tickets.len());
            for t in &tickets {
                let tk = &t.ticket;
                if tk.state == TicketState::Finished && tk.business_type_id == payment {
                    finished_payments += 1;
                    assert!(store.read_back(tk.id).await.unwrap().is_some(), "{tk:?}");
                }
                assert_eq!(t.log.first().map(|e| e.state), Some(TicketState::Waiting));
                assert!(
                    t.log.windows(2).all(|w| w[0].at <= w[1].at),
                    "log in time order"
                );
            }
            let _ = tz;
        }
        assert!(finished_payments > 30);
        for r in &ratings {
            let t = store.ticket(r.ticket_id).await.unwrap();
            assert_eq!(t.state, TicketState::Finished);
            assert!(r.at >= t.updated_at && r.at - t.updated_at <= 600_000);
            assert!((1..=5).contains(&r.level));
        }
        let fives = ratings.iter().filter(|r| r.level == 5).count();
        assert!(fives * 2 > ratings.len(), "mostly 非常满意");
        // Feedback: recovery cases from bad ratings, and exactly one flagged clerk — the
        // one who presses his own pad.
        use servicehall_store::{FeedbackSettingsStore, FeedbackStore};
        assert!(
            !store
                .recovery_items(demo.hall.id, 0, i64::MAX, now)
                .await
                .unwrap()
                .is_empty()
        );
        let visits = store.pad_visits(demo.hall.id, 0, i64::MAX).await.unwrap();
        let settings = store.feedback_settings(demo.hall.id).await.unwrap();
        let flags = servicehall_domain::feedback::gaming::detect(&visits, &settings);
        let subjects: Vec<_> = flags.iter().map(|f| (f.kind, f.subject)).collect();
        assert_eq!(
            subjects,
            vec![(
                servicehall_domain::feedback::gaming::FlagKind::FastRatings,
                servicehall_domain::feedback::gaming::Subject::Clerk(
                    demo.clerks[feedback::GAMING_CLERK].id
                )
            )]
        );
        // Today: counters 1–5 open, a few customers waiting.
        let open = store
            .counters(demo.hall.id)
            .await
            .unwrap()
            .iter()
            .filter(|c| c.status == servicehall_store::CounterStatus::Open)
            .count();
        assert_eq!(open, 5);
        assert!(store.waiting(demo.hall.id).await.unwrap().len() >= 3);
        // Reusing keeps the data; devices are replaced.
        let (again, none) = prepare(&store, 3, now).await.unwrap();
        assert!(none.is_none());
        assert_eq!(again.hall.id, demo.hall.id);
        let first = fresh_devices(&store, &demo, now).await.unwrap();
        let second = fresh_devices(&store, &demo, now).await.unwrap();
        // Kiosk, lobby display, counter 1's screen and an evaluator per counter.
        assert_eq!(first.len(), 9);
        let live = store
            .devices(demo.hall.id)
            .await
            .unwrap()
            .into_iter()
            .filter(|d| !d.revoked)
            .count();
        assert_eq!(live, second.len());
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
