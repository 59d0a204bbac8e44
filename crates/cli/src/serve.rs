//! `serve` and `migrate`.

use crate::config::{self, MigrateArgs, ServeArgs, Settings};
use crate::{CliError, CliResult};
use servicehall_store::SqlStore;
use servicehall_web::{AppState, WebConfig};
use std::sync::Arc;

/// Logs to stderr, filtered by `RUST_LOG` (default `info`).
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // A second call (tests, demo → serve) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

pub async fn run(args: ServeArgs) -> CliResult<()> {
    init_logging();
    let settings = config::settings(&args)?;
    // Held until the process ends (the kernel drops it even on SIGKILL): `restore` refuses
    // while it is held, and a second server on the same SQLite file does not start.
    let _lock = crate::ops::lock::take_for_url(&settings.database)?;
    let (store, applied) = config::open_store(&settings.database).await?;
    if !applied.is_empty() {
        tracing::info!(?applied, "applied migrations");
    }
    // The shipped checklists, as company-wide templates (a no-op when already current).
    crate::demo::inspections::install_shipped(&store, servicehall_web::now_ms()).await?;
    crate::demo::incidents::install_shipped(&store, servicehall_web::now_ms()).await?;
    let backups = match (&settings.backup, config::sqlite_path(&settings.database)) {
        (Some(cfg), Some(db)) => Some(crate::ops::schedule::spawn(db, cfg)?),
        (Some(_), None) => {
            return Err(CliError::usage(
                "[backup] 只用于 SQLite；PostgreSQL 请用 pg_dump 定时备份 · [backup] is for SQLite; schedule pg_dump for PostgreSQL (docs/operations.md)",
            ));
        }
        (None, _) => None,
    };
    let edge = crate::edge::prepare(&args.edge, &settings.database, &store).await?;
    let listener = bind(&settings.listen).await?;
    let outcome = serve_with(store, listener, &settings, edge).await;
    if let Some(b) = backups {
        b.abort();
    }
    outcome
}

pub async fn bind(addr: &str) -> CliResult<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| CliError::usage(format!("cannot listen on {addr}: {e}")))
}

/// Serves until SIGTERM or Ctrl-C, then drains.
pub async fn serve_on(
    store: SqlStore,
    listener: tokio::net::TcpListener,
    settings: &Settings,
) -> CliResult<()> {
    serve_with(store, listener, settings, None).await
}

/// [`serve_on`], as the hall edge when `edge` is given: its shipper runs beside the server.
pub async fn serve_with(
    store: SqlStore,
    listener: tokio::net::TcpListener,
    settings: &Settings,
    edge: Option<servicehall_web::edge::EdgeConfig>,
) -> CliResult<()> {
    let local = store.clone();
    let web: WebConfig = settings.web_config();
    let addr = listener.local_addr()?;
    let db = redact(&settings.database);
    tracing::info!(%addr, database = %db, "servicehall listening");
    let state = AppState::new(Arc::new(store), web);
    let shipper = edge.map(|cfg| {
        tracing::info!(hall = %cfg.hall_code, central = %redact(&cfg.central_url), "running as the hall edge");
        servicehall_web::edge::spawn_shipper(state.clone(), local, cfg).0
    });
    // No administrator yet: the first-run page is open on this machine, elsewhere with the
    // one-time code logged here (a new one at every start).
    if let Ok(false) = servicehall_store::FirstRunStore::has_admin(state.store.as_ref()).await {
        tracing::warn!(
            setup_code = %state.setup_code,
            url = %format!("http://{addr}/setup"),
            "没有系统管理员：请在本机打开 /setup 创建首位管理员，或在其他机器上打开并填写此设置码 · no administrator yet: open /setup on this machine to create the first one, or from elsewhere with this setup code"
        );
    }
    // Case clocks are checked every minute; each new warning is recorded with its webhook
    // delivery in the outbox, which a worker posts (retrying with backoff) every few seconds.
    let escalation = servicehall_web::api::cases::escalation::spawn_escalation(
        state.clone(),
        std::time::Duration::from_secs(60),
    );
    // Key risk indicators are counted every five minutes beside it.
    let kris = servicehall_web::api::risks::scan::spawn_kri_refresh(
        state.clone(),
        std::time::Duration::from_secs(300),
    );
    // Month-end reports are made once a month has ended; the pass is hourly and idempotent.
    let reports = servicehall_web::api::reports::schedule::spawn_month_end(
        state.clone(),
        std::time::Duration::from_secs(3600),
    );
    let outbox = servicehall_web::api::cases::outbox::spawn_outbox(
        state.clone(),
        std::time::Duration::from_secs(5),
    );
    // Appointments' no-shows and reminders, and the notifier's deliveries, every few seconds.
    let notifier =
        servicehall_web::notify::spawn_notifier(state.clone(), std::time::Duration::from_secs(5));
    // The hall event log is sealed into the audit chains every few seconds, off the issue path.
    let sealer =
        servicehall_web::api::audit::spawn_sealer(state.clone(), std::time::Duration::from_secs(5));
    // SIGTERM or Ctrl-C: stop accepting, let requests in flight finish (bounded), exit 0.
    let stop = async {
        let which = servicehall_web::drain::stop_signal().await;
        tracing::info!(
            signal = which,
            grace_secs = servicehall_web::DRAIN_GRACE.as_secs(),
            "stopping: draining requests in flight"
        );
    };
    let outcome = servicehall_web::serve_until(listener, state, stop, servicehall_web::DRAIN_GRACE)
        .await
        .map_err(|e| CliError::failed(format!("服务意外停止 · server stopped: {e}")));
    escalation.abort();
    kris.abort();
    reports.abort();
    outbox.abort();
    sealer.abort();
    notifier.abort();
    if let Some(t) = shipper {
        t.abort();
    }
    tracing::info!("servicehall stopped");
    outcome
}

/// A database URL without its password, for logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

pub async fn migrate(args: MigrateArgs) -> CliResult<()> {
    let url = args.db.url();
    let (_store, applied) = config::open_store(&url).await?;
    if applied.is_empty() {
        println!(
            "{}: up to date (no migrations to apply) · 已是最新",
            redact(&url)
        );
    } else {
        for v in &applied {
            println!("applied migration {v:04} · 已执行迁移 {v:04}");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_hidden_in_logged_urls() {
        assert_eq!(
            super::redact("postgres://hall:s3cret@db:5432/sh"),
            "postgres://hall:***@db:5432/sh"
        );
        assert_eq!(super::redact("sqlite:./x.db"), "sqlite:./x.db");
    }
}
