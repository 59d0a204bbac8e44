//! The `servicehall` binary as an operator runs it: one test binary, a module per command.
//! PostgreSQL halves run when SERVICEHALL_TEST_PG names a server (see the store suite).

mod assessment;
mod audit;
mod audit_chained;
mod bench_call_next;
mod bench_handling;
mod bench_issue;
mod bench_report;
mod calendar;
mod db_flags;
mod demo;
mod drain;
mod edge;
mod first_day;
mod halls;
mod init;
mod load;
mod ops;
mod report;
mod server;
mod signals;
mod staffing;
mod storage;

use servicehall_store::testing::TestStore;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// What a run of the binary left: exit code, standard output and standard error.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_servicehall"))
}

/// Runs `servicehall ARGS` with `stdin` piped in.
pub fn run(args: &[&str], stdin: &str) -> Run {
    let mut child = bin()
        .args(args)
        .env_remove("SERVICEHALL_DATABASE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start servicehall");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into(),
        stderr: String::from_utf8_lossy(&stderr).into(),
    }
}

/// A new empty directory in the temporary directory, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("sh_cli_{tag}_{}_{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
    pub fn arg(&self) -> String {
        self.0.display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Where a test's database is: `--data-dir DIR` (SQLite) or `--database URL` (an empty
/// PostgreSQL database, dropped with it).
pub enum Db {
    Sqlite(TempDir),
    Postgres(TestStore),
}

impl Db {
    pub fn sqlite(tag: &str) -> Self {
        Db::Sqlite(TempDir::new(tag))
    }
    pub async fn postgres(tag: &str, test: &str) -> Option<Self> {
        TestStore::postgres_empty(tag, test).await.map(Db::Postgres)
    }
    /// The flags that name this database.
    pub fn args(&self) -> Vec<String> {
        match self {
            Db::Sqlite(dir) => vec!["--data-dir".into(), dir.arg()],
            Db::Postgres(db) => vec!["--database".into(), db.url()],
        }
    }
    pub fn url(&self) -> String {
        match self {
            Db::Sqlite(dir) => format!("sqlite:{}", dir.0.join("servicehall.db").display()),
            Db::Postgres(db) => db.url(),
        }
    }
    /// A store on this database (opened after the command made it).
    pub async fn open(&self) -> servicehall_store::SqlStore {
        servicehall_store::SqlStore::connect(&self.url())
            .await
            .expect("open the database")
    }
}

/// `servicehall <cmd> <db flags> <rest>`.
pub fn run_on(db: &Db, cmd: &[&str], rest: &[&str], stdin: &str) -> Run {
    let flags = db.args();
    let mut args: Vec<&str> = cmd.to_vec();
    args.extend(flags.iter().map(String::as_str));
    args.extend_from_slice(rest);
    run(&args, stdin)
}

/// Runs an async scenario on SQLite and on PostgreSQL, as two tests.
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(crate::Db::sqlite(stringify!($name))).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(db) = crate::Db::postgres("cli", stringify!($name)).await {
                    super::$name(db).await;
                }
            }
        }
    )*};
}
pub(crate) use on_both;
