//! SIGTERM drains: the request in flight is answered, new connections are refused, and
//! the process exits 0.

use crate::server::Server;
use crate::{Db, on_both, run_on};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

pub async fn a_request_in_flight_is_answered_after_sigterm(db: Db) {
    let init = run_on(
        &db,
        &["init"],
        &["--admin", "root", "--name", "管理员", "--password-stdin"],
        "a long enough password\n",
    );
    assert_eq!(init.code, 0, "{}", init.stderr);
    let mut server = Server::start(&db.url());

    // Sign in as the new administrator, the body sent in two halves around the signal.
    let body = r#"{"username":"root","password":"a long enough password"}"#;
    let (first, rest) = body.split_at(20);
    let mut conn = TcpStream::connect(&server.addr).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        conn,
        "POST /api/v1/session HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{first}",
        server.addr,
        body.len()
    )
    .unwrap();
    conn.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let signalled = Instant::now();
    server.terminate();
    // The listener closes at once: a load balancer's next connection goes elsewhere.
    let refused = (0..50).any(|_| {
        std::thread::sleep(Duration::from_millis(20));
        TcpStream::connect(&server.addr).is_err()
    });
    assert!(refused, "new connections are refused while draining");
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "still running for the request in flight"
    );

    conn.write_all(rest.as_bytes()).unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"csrf\""), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("connection: close"),
        "{answer}"
    );

    let code = server.wait(Duration::from_secs(25));
    assert_eq!(code, Some(0), "exit 0 after draining");
    let took = signalled.elapsed();
    assert!(took < Duration::from_secs(10), "drained in {took:?}");
    let log: Vec<String> = server.log.try_iter().collect();
    assert!(
        log.iter().any(|l| l.contains("SIGTERM")),
        "the log names the signal: {log:?}"
    );
}

on_both!(a_request_in_flight_is_answered_after_sigterm);
