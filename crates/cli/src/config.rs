//! Settings of `serve`: command line beats environment beats the TOML file beats defaults.

use crate::config_limits::{LIMITS_KEYS, LimitsFile};
use crate::ops::schedule::{BACKUP_KEYS, BackupFile};
use crate::{CliError, CliResult};
use clap::Args;
use serde::Deserialize;
use servicehall_store::SqlStore;
use std::path::{Path, PathBuf};

pub const DEFAULT_DATABASE: &str = "sqlite:./data/servicehall.db";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_RATING_WINDOW_SECS: u64 = 600;

#[derive(Args, Debug, Clone, Default)]
#[command(
    after_help = "Precedence 优先级: command line > environment > --config file > defaults.\n\
Example config file (servicehall.toml):\n\
  database = \"sqlite:/var/lib/servicehall/servicehall.db\"\n\
  listen = \"0.0.0.0:8080\"\n\
  rating_window_secs = 600\n\
  secure_cookies = true\n\
  public_url = \"https://hall.example.cn\"\n\
  webhook_url = \"http://10.0.0.5/servicehall-warnings\"\n\
  metrics_token = \"a long random string\"   # /metrics from beyond this machine\n\
  [limits]   # sign-in throttle, live-stream caps, issue rates, timeouts (docs/operations.md)\n\
  login_account_failures = 5\n\
  [backup]   # SQLite: a checked copy every few hours, the newest kept\n\
  dir = \"/var/backups/servicehall\"\n\
  every_hours = 6\n\
  keep = 28"
)]
pub struct ServeArgs {
    /// Database URL: `sqlite:PATH` or `postgres://user:pass@host/db`. 数据库地址
    /// [default: sqlite:./data/servicehall.db]
    #[arg(long, env = "SERVICEHALL_DATABASE")]
    pub database: Option<String>,
    /// A data directory; means `--database sqlite:DIR/servicehall.db`. 数据目录
    #[arg(long, conflicts_with = "database")]
    pub data_dir: Option<PathBuf>,
    /// Address to listen on. 监听地址 [default: 127.0.0.1:8080]
    #[arg(long, env = "SERVICEHALL_LISTEN")]
    pub listen: Option<String>,
    /// TOML file with any of: database, listen, rating_window_secs, secure_cookies,
    /// public_url, webhook_url, metrics_token, a [limits] and a [backup] table
    /// (docs/operations.md). 配置文件
    #[arg(long, env = "SERVICEHALL_CONFIG")]
    pub config: Option<PathBuf>,
    /// Seconds after a visit finishes during which the evaluator may rate it. 评价时限（秒）
    /// [default: 600]
    #[arg(long, env = "SERVICEHALL_RATING_WINDOW_SECS")]
    pub rating_window_secs: Option<u64>,
    /// Mark session cookies `Secure` (set when served behind HTTPS). 仅 HTTPS 发送 Cookie
    #[arg(long, env = "SERVICEHALL_SECURE_COOKIES", num_args = 0..=1, default_missing_value = "true")]
    pub secure_cookies: Option<bool>,
    /// The address customers' phones use to reach this server, for the slip's QR code, e.g.
    /// https://hall.example.cn. 对外访问地址 [default: the Host the kiosk used]
    #[arg(long, env = "SERVICEHALL_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Where case clock warnings (50% / 80% / breach) are posted as JSON. 预警推送地址
    #[arg(long, env = "SERVICEHALL_WEBHOOK_URL")]
    pub webhook_url: Option<String>,
    /// A bearer token that opens /metrics to callers beyond this machine (loopback needs
    /// none). 指标访问令牌
    #[arg(long, env = "SERVICEHALL_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// The hall edge (`--edge --hall CODE --central postgres://…`, docs/edge.md).
    #[command(flatten)]
    pub edge: crate::edge::EdgeArgs,
}

#[derive(Args, Debug, Clone, Default)]
pub struct MigrateArgs {
    #[command(flatten)]
    pub db: DbArgs,
}

/// Where the database is, for the one-shot commands.
#[derive(Args, Debug, Clone, Default)]
pub struct DbArgs {
    /// Database URL: `sqlite:PATH` or `postgres://…`. 数据库地址
    /// [default: sqlite:./data/servicehall.db]
    #[arg(long, env = "SERVICEHALL_DATABASE", conflicts_with = "data_dir")]
    pub database: Option<String>,
    /// A data directory; means `--database sqlite:DIR/servicehall.db`. 数据目录
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
}

impl DbArgs {
    pub fn url(&self) -> String {
        match (&self.database, &self.data_dir) {
            (Some(url), _) => url.clone(),
            (None, Some(dir)) => sqlite_url_in(dir),
            (None, None) => DEFAULT_DATABASE.to_string(),
        }
    }
}

/// `sqlite:DIR/servicehall.db`.
pub fn sqlite_url_in(dir: &Path) -> String {
    format!("sqlite:{}", dir.join("servicehall.db").display())
}

/// The keys a config file may hold.
#[derive(Deserialize, Debug, Clone, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database: Option<String>,
    pub listen: Option<String>,
    pub rating_window_secs: Option<u64>,
    pub secure_cookies: Option<bool>,
    pub public_url: Option<String>,
    pub webhook_url: Option<String>,
    pub metrics_token: Option<String>,
    /// Sign-in throttle, live-stream caps, issue rates, connection timeouts.
    pub limits: Option<LimitsFile>,
    /// Scheduled backups (SQLite).
    pub backup: Option<BackupFile>,
}

/// The settings `serve` runs with.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub database: String,
    pub listen: String,
    pub rating_window_secs: u64,
    pub secure_cookies: bool,
    pub public_url: Option<String>,
    pub webhook_url: Option<String>,
    pub metrics_token: Option<String>,
    pub limits: LimitsFile,
    pub backup: Option<BackupFile>,
}

impl Settings {
    pub fn web_config(&self) -> servicehall_web::WebConfig {
        servicehall_web::WebConfig {
            rating_window_ms: (self.rating_window_secs as i64).saturating_mul(1000),
            secure_cookies: self.secure_cookies,
            public_url: self.public_url.clone(),
            webhook_url: self.webhook_url.clone(),
            limits: self.limits.limits(),
            metrics_token: self.metrics_token.clone(),
            ..Default::default()
        }
    }
}

/// Parses a config file's text.
pub fn parse_file(text: &str, path: &Path) -> CliResult<FileConfig> {
    toml::from_str(text).map_err(|e| {
        CliError::usage(format!(
            "config file {}: {e}\n(allowed keys: database, listen, rating_window_secs, secure_cookies, public_url, webhook_url, metrics_token, a [limits] table with {LIMITS_KEYS}, and a [backup] table with {BACKUP_KEYS})",
            path.display()
        ))
    })
}

pub fn load_file(path: &Path) -> CliResult<FileConfig> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::usage(format!("cannot read config file {}: {e}", path.display())))?;
    parse_file(&text, path)
}

/// Merges the command line (which clap has already merged with the environment), the
/// file and the defaults.
pub fn resolve(args: &ServeArgs, file: &FileConfig) -> Settings {
    Settings {
        database: args
            .database
            .clone()
            .or_else(|| args.data_dir.as_deref().map(sqlite_url_in))
            .or_else(|| file.database.clone())
            .unwrap_or_else(|| DEFAULT_DATABASE.into()),
        listen: args
            .listen
            .clone()
            .or_else(|| file.listen.clone())
            .unwrap_or_else(|| DEFAULT_LISTEN.into()),
        rating_window_secs: args
            .rating_window_secs
            .or(file.rating_window_secs)
            .unwrap_or(DEFAULT_RATING_WINDOW_SECS),
        secure_cookies: args.secure_cookies.or(file.secure_cookies).unwrap_or(false),
        public_url: args.public_url.clone().or_else(|| file.public_url.clone()),
        webhook_url: args
            .webhook_url
            .clone()
            .or_else(|| file.webhook_url.clone()),
        metrics_token: args
            .metrics_token
            .clone()
            .or_else(|| file.metrics_token.clone()),
        limits: file.limits.clone().unwrap_or_default(),
        backup: file.backup.clone(),
    }
}

/// Reads `--config` (if given) and resolves the settings.
pub fn settings(args: &ServeArgs) -> CliResult<Settings> {
    let file = match &args.config {
        Some(path) => load_file(path)?,
        None => FileConfig::default(),
    };
    Ok(resolve(args, &file))
}

/// The file path of a `sqlite:` URL, if it names a file.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or("");
    if path.is_empty() || path == ":memory:" {
        None
    } else {
        Some(PathBuf::from(path))
    }
}

/// Opens every pooled connection now. A SQLite connection opened while another holds the
/// write lock can fail its set-up pragmas with "database is locked" (the store sets
/// `busy_timeout` after `journal_mode`), so the CLI opens them all before any writing.
async fn warm_pool(store: &SqlStore) {
    let pool = store.pool();
    let mut held = Vec::new();
    for _ in 0..pool.options().get_max_connections() {
        match pool.acquire().await {
            Ok(c) => held.push(c),
            Err(e) => {
                tracing::warn!("could not open a database connection ahead of time: {e}");
                break;
            }
        }
    }
}

/// Sets SQLite's `synchronous` on every pooled connection: `NORMAL` for a bulk load such
/// as the demo history (no fsync per commit; still consistent in WAL mode), then back to
/// `FULL`, the store's default, before serving. No-op on PostgreSQL.
pub async fn set_synchronous(store: &SqlStore, full: bool) -> CliResult<()> {
    use sqlx::Executor;
    if store.backend() != servicehall_store::Backend::Sqlite {
        return Ok(());
    }
    let pool = store.pool();
    let mut held = Vec::new();
    for _ in 0..pool.options().get_max_connections() {
        let mut conn = pool
            .acquire()
            .await
            .map_err(|e| CliError::failed(format!("database connection: {e}")))?;
        let sql = if full {
            "PRAGMA synchronous=FULL"
        } else {
            "PRAGMA synchronous=NORMAL"
        };
        conn.execute(sql)
            .await
            .map_err(|e| CliError::failed(format!("{sql}: {e}")))?;
        held.push(conn);
    }
    Ok(())
}

/// Connects, creating the SQLite file's directory when needed, and applies migrations.
pub async fn open_store(url: &str) -> CliResult<(SqlStore, Vec<i64>)> {
    if let Some(path) = sqlite_path(url)
        && let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(|e| {
            CliError::failed(format!("cannot create directory {}: {e}", dir.display()))
        })?;
    }
    let store = SqlStore::connect(url)
        .await
        .map_err(|e| CliError::failed(format!("cannot open database {url}: {e}")))?;
    warm_pool(&store).await;
    let applied = store
        .migrate()
        .await
        .map_err(|e| CliError::failed(format!("migrating {url} failed: {e}")))?;
    Ok((store, applied))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct T {
        #[command(flatten)]
        serve: ServeArgs,
    }

    fn file() -> FileConfig {
        parse_file(
            "database = \"sqlite:/srv/hall.db\"\nlisten = \"0.0.0.0:9000\"\nrating_window_secs = 300\nsecure_cookies = true\n",
            Path::new("t.toml"),
        )
        .unwrap()
    }

    #[test]
    fn defaults_apply_when_nothing_is_set() {
        let s = resolve(&ServeArgs::default(), &FileConfig::default());
        assert_eq!(s.database, DEFAULT_DATABASE);
        assert_eq!(s.listen, DEFAULT_LISTEN);
        assert_eq!(s.rating_window_secs, 600);
        assert!(!s.secure_cookies);
    }

    #[test]
    fn file_beats_defaults() {
        let s = resolve(&ServeArgs::default(), &file());
        assert_eq!(s.database, "sqlite:/srv/hall.db");
        assert_eq!(s.listen, "0.0.0.0:9000");
        assert_eq!(s.rating_window_secs, 300);
        assert!(s.secure_cookies);
        assert_eq!(s.web_config().rating_window_ms, 300_000);
    }

    #[test]
    fn command_line_beats_file() {
        // Environment variables reach `ServeArgs` through clap, in the same fields as
        // flags, so "env beats file" is this same rule.
        let t = T::try_parse_from([
            "t",
            "--database",
            "postgres://x@db/hall",
            "--listen",
            "127.0.0.1:1",
            "--secure-cookies=false",
        ])
        .unwrap();
        let s = resolve(&t.serve, &file());
        assert_eq!(s.database, "postgres://x@db/hall");
        assert_eq!(s.listen, "127.0.0.1:1");
        assert!(!s.secure_cookies);
        assert_eq!(
            s.rating_window_secs, 300,
            "unset flags fall back to the file"
        );
    }

    #[test]
    fn public_and_webhook_urls_reach_the_web_settings() {
        let text =
            "public_url = \"https://hall.example.cn\"\nwebhook_url = \"http://127.0.0.1:9/hook\"\n";
        let file = parse_file(text, Path::new("t.toml")).unwrap();
        let t = T::try_parse_from(["t", "--public-url", "https://dl.example.cn"]).unwrap();
        let web = resolve(&t.serve, &file).web_config();
        assert_eq!(
            web.public_url.as_deref(),
            Some("https://dl.example.cn"),
            "command line beats file"
        );
        assert_eq!(web.webhook_url.as_deref(), Some("http://127.0.0.1:9/hook"));
    }

    #[test]
    fn the_limits_table_reaches_the_web_settings() {
        let text = "listen = \"127.0.0.1:1\"\n[limits]\nstreams_per_credential = 0\nlogin_lockout_secs = 30\n";
        let file = parse_file(text, Path::new("t.toml")).unwrap();
        let web = resolve(&ServeArgs::default(), &file).web_config();
        assert_eq!(web.limits.streams_per_credential, 0);
        assert_eq!(web.limits.login.lockout, std::time::Duration::from_secs(30));
        assert_eq!(
            web.limits.streams_per_address, 64,
            "unset keys keep defaults"
        );
        let e = parse_file("[limits]\nstreams = 1\n", Path::new("t.toml")).unwrap_err();
        assert!(e.message.contains("streams_per_address"), "{}", e.message);
    }

    #[test]
    fn serve_takes_a_data_dir_like_the_other_commands() {
        let t = T::try_parse_from(["t", "--data-dir", "/srv/hall"]).unwrap();
        assert_eq!(
            resolve(&t.serve, &file()).database,
            "sqlite:/srv/hall/servicehall.db"
        );
        assert!(T::try_parse_from(["t", "--data-dir", "/x", "--database", "sqlite:y"]).is_err());
    }

    #[test]
    fn the_backup_table_and_metrics_token_are_read() {
        let text = "metrics_token = \"t0ken\"\n[backup]\ndir = \"/var/backups/sh\"\nevery_hours = 0.5\nkeep = 3\n";
        let s = resolve(
            &ServeArgs::default(),
            &parse_file(text, Path::new("t.toml")).unwrap(),
        );
        let b = s.backup.clone().unwrap();
        assert_eq!(b.dir, PathBuf::from("/var/backups/sh"));
        assert_eq!(b.every().unwrap().as_secs(), 1800);
        assert_eq!(b.keep().unwrap(), 3);
        assert_eq!(s.web_config().metrics_token.as_deref(), Some("t0ken"));
        let e = parse_file("[backup]\ndir = \"x\"\nevery = 1\n", Path::new("t.toml")).unwrap_err();
        assert!(e.message.contains("every_hours"), "{}", e.message);
    }

    #[test]
    fn bare_secure_cookies_flag_means_true() {
        let t = T::try_parse_from(["t", "--secure-cookies"]).unwrap();
        assert_eq!(t.serve.secure_cookies, Some(true));
    }

    #[test]
    fn unknown_keys_in_the_file_are_rejected_with_the_allowed_list() {
        let e = parse_file("databse = \"x\"", Path::new("bad.toml")).unwrap_err();
        assert_eq!(e.code, 2);
        assert!(e.message.contains("allowed keys"), "{}", e.message);
    }

    #[test]
    fn sqlite_paths_are_found_in_urls() {
        assert_eq!(
            sqlite_path("sqlite:./data/x.db?mode=rwc"),
            Some(PathBuf::from("./data/x.db"))
        );
        assert_eq!(
            sqlite_path("sqlite:///abs/x.db"),
            Some(PathBuf::from("/abs/x.db"))
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://h/db"), None);
        let d = DbArgs {
            database: None,
            data_dir: Some(PathBuf::from("/tmp/d")),
        };
        assert_eq!(d.url(), "sqlite:/tmp/d/servicehall.db");
    }
}
