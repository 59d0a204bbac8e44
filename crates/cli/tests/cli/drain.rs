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

/// A lobby display's live stream ends with a `bye` event and a reconnect hint, so the
/// drain does not wait out its bound for streams that never end by themselves.
pub async fn live_streams_say_bye_when_the_server_stops(db: Db) {
    let dir = crate::TempDir::new("bye");
    let path = dir.0.join("hall.yaml");
    std::fs::write(&path, crate::halls::HALL).unwrap();
    let import = run_on(&db, &["hall", "import"], &[&path.display().to_string()], "");
    assert_eq!(import.code, 0, "{}", import.stderr);
    let token = run_on(
        &db,
        &["token", "create"],
        &["--role", "display", "--hall", "DL-XH"],
        "",
    );
    assert_eq!(token.code, 0, "{}", token.stderr);
    let mut server = Server::start(&db.url());
    let mut stream = reqwest::Client::new()
        .get(server.url("/api/v1/halls/DL-XH/events"))
        .bearer_auth(token.stdout.trim())
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let first = stream.chunk().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("event: ping"));
    let signalled = Instant::now();
    server.terminate();
    let mut rest = String::new();
    while let Ok(Some(chunk)) = tokio::time::timeout(Duration::from_secs(15), stream.chunk())
        .await
        .unwrap()
    {
        rest.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(rest.contains("event: bye"), "{rest}");
    assert!(rest.contains("retry: 2000"), "{rest}");
    assert!(rest.contains("服务器正在重启"), "{rest}");
    assert_eq!(server.wait(Duration::from_secs(25)), Some(0));
    let took = signalled.elapsed();
    assert!(
        took < Duration::from_secs(5),
        "the stream did not hold the drain: {took:?}"
    );
}

on_both!(live_streams_say_bye_when_the_server_stops);
