//! A `servicehall serve` child process: started on a free port, stopped by signal.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub struct Server {
    pub child: Child,
    pub addr: String,
    /// Standard error lines after the listening line.
    pub log: mpsc::Receiver<String>,
}

/// Drops ANSI colour codes from a log line.
fn plain(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

impl Server {
    /// `servicehall serve --database URL --listen 127.0.0.1:0`, once it listens.
    pub fn start(url: &str) -> Self {
        Self::start_with(url, &[])
    }

    /// The same with more `serve` flags (e.g. `--config FILE`).
    pub fn start_with(url: &str, more: &[&str]) -> Self {
        let mut child = crate::bin()
            .args(["serve", "--database", url, "--listen", "127.0.0.1:0"])
            .args(more)
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start servicehall serve");
        let stderr = child.stderr.take().unwrap();
        let (tx, log) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(plain(&line)).is_err() {
                    break;
                }
            }
        });
        let addr = loop {
            let line = log
                .recv_timeout(Duration::from_secs(60))
                .expect("serve prints its address");
            if line.contains("servicehall listening") {
                let at = line.find("addr=").expect(&line) + 5;
                break line[at..].split_whitespace().next().unwrap().to_string();
            }
        };
        Self { child, addr, log }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Sends SIGTERM.
    pub fn terminate(&self) {
        let ok = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -TERM");
    }

    /// Sends SIGKILL: no drain, no clean-up, as a power cut would leave it.
    pub fn kill(&mut self) {
        self.child.kill().unwrap();
        let _ = self.child.wait();
    }

    /// Waits up to `limit` for the exit code.
    pub fn wait(&mut self, limit: Duration) -> Option<i32> {
        let until = std::time::Instant::now() + limit;
        while std::time::Instant::now() < until {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
