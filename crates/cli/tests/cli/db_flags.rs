//! Every command that touches a database names it the same way: `--data-dir DIR` or
//! `--database URL` (issue 13). The commands are read from `servicehall --help`, so a new
//! one is checked without editing this test.

use crate::run;

/// Commands without a database of their own to name, and why.
const NO_DATABASE: [(&str, &str); 7] = [
    ("help", "prints help"),
    (
        "calendar",
        "reads the built-in schedules or a --calendar file",
    ),
    ("bench-calendar", "computes in memory"),
    ("staffing", "Erlang C arithmetic on the numbers given"),
    ("simulate", "a seeded simulation in memory"),
    (
        "bench-conformance",
        "builds its own throw-away province in --data-dir, deleted and recreated",
    ),
    (
        "bench",
        "builds a throw-away database in the temporary directory; --demo-data names a data directory",
    ),
];

/// The command names listed under `Commands:` in a help text.
fn commands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

fn help_of(path: &[&str]) -> String {
    let mut args = path.to_vec();
    args.push("--help");
    let out = run(&args, "");
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    out.stdout
}

#[test]
fn every_database_command_takes_data_dir_and_database() {
    let top = commands(&help_of(&[]));
    assert!(top.len() >= 10, "{top:?}");
    let mut checked = Vec::new();
    for cmd in &top {
        if NO_DATABASE.iter().any(|(c, _)| c == cmd) {
            continue;
        }
        let help = help_of(&[cmd]);
        let subs: Vec<String> = commands(&help)
            .into_iter()
            .filter(|s| s != "help")
            .collect();
        let paths: Vec<Vec<&str>> = if subs.is_empty() {
            vec![vec![cmd.as_str()]]
        } else {
            subs.iter()
                .map(|s| vec![cmd.as_str(), s.as_str()])
                .collect()
        };
        for path in paths {
            let help = help_of(&path);
            for flag in ["--data-dir <", "--database <"] {
                assert!(
                    help.contains(flag),
                    "`servicehall {}` lacks {flag}…>:\n{help}",
                    path.join(" ")
                );
            }
            checked.push(path.join(" "));
        }
    }
    for expected in [
        "backup",
        "restore",
        "token create",
        "hall import",
        "bench-case-scan",
    ] {
        assert!(
            checked.iter().any(|c| c == expected),
            "{expected} in {checked:?}"
        );
    }
}

#[test]
fn data_dir_and_database_are_one_choice() {
    let out = run(
        &[
            "migrate",
            "--data-dir",
            "/tmp/x",
            "--database",
            "sqlite:/tmp/y.db",
        ],
        "",
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("cannot be used with"), "{}", out.stderr);
}
