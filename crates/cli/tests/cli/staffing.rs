//! `servicehall staffing` and `servicehall simulate`: the planner's arithmetic, text and
//! `--json`, and bad input refused with exit code 2 and a message in both languages.

use crate::run;

fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn staffing_prints_the_fewest_counters_for_the_level() {
    // 200 an hour of 3 minutes = 10 Erl; 80 % within 20 s needs 14 counters (88.8 %).
    let args = [
        "staffing",
        "--arrivals-per-hour",
        "200",
        "--mean-service-min",
        "3",
        "--target-wait-s",
        "20",
        "--service-level",
        "0.8",
    ];
    let r = run(&[&args[..], &["--json"]].concat(), "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r.stdout);
    assert_eq!(v["counters"], 14);
    let level = v["service_level"].as_f64().unwrap();
    assert!((0.886..0.890).contains(&level), "{level}");
    let wait = v["mean_wait_s"].as_f64().unwrap();
    assert!((5.0..12.0).contains(&wait), "{wait}");
    assert_eq!(v.as_object().unwrap().len(), 3);
    // 80% and 80 mean the same; text names each figure in both languages.
    let text = run(&[&args[..8], &["80%"]].concat(), "");
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout.contains("窗口数 Counters: 14"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("服务水平 Service level: 88.8%"),
        "{}",
        text.stdout
    );
    // A tighter level needs more counters.
    let more = run(&[&args[..8], &["0.95", "--json"]].concat(), "");
    assert!(json(&more.stdout)["counters"].as_u64().unwrap() > 14);
}

#[test]
fn simulate_is_seeded_and_near_erlang_for_m_m_c() {
    let args = [
        "simulate",
        "--arrivals-per-hour",
        "200",
        "--mean-service-min",
        "3",
        "--counters",
        "12",
        "--hours",
        "2000",
        "--seed",
        "4",
        "--target-wait-s",
        "20",
        "--json",
    ];
    let a = run(&args, "");
    assert_eq!(a.code, 0, "{}", a.stderr);
    let v = json(&a.stdout);
    assert_eq!(v["counters"], 12);
    // Erlang C: 40.4 s mean wait, 64.0 % within 20 s.
    let wait = v["mean_wait_s"].as_f64().unwrap();
    assert!((34.0..47.0).contains(&wait), "{wait}");
    let level = v["service_level"].as_f64().unwrap();
    assert!((0.61..0.67).contains(&level), "{level}");
    assert_eq!(run(&args, "").stdout, a.stdout, "same seed, same answer");
    let other = run(&[&args[..10], &["5", "--json"]].concat(), "");
    assert_ne!(other.stdout, a.stdout);
    let text = run(&args[..9], "");
    assert!(
        text.stdout.contains("平均等候 Mean wait:"),
        "{}",
        text.stdout
    );
}

#[test]
fn bad_input_exits_2_with_a_bilingual_message() {
    let staffing = |a: &str, s: &str, t: &str, p: &str| {
        run(
            &[
                "staffing",
                "--arrivals-per-hour",
                a,
                "--mean-service-min",
                s,
                "--target-wait-s",
                t,
                "--service-level",
                p,
            ],
            "",
        )
    };
    for (r, zh, en) in [
        (
            staffing("abc", "3", "20", "0.8"),
            "不是数字",
            "is not a number",
        ),
        (
            staffing("-5", "3", "20", "0.8"),
            "须不小于 0",
            "must be 0 or more",
        ),
        (
            staffing("200", "0", "20", "0.8"),
            "须大于 0",
            "must be more than 0",
        ),
        (
            staffing("200", "3", "20", "1"),
            "服务水平须在 0 与 1 之间",
            "between 0 and 1",
        ),
        (
            staffing("200", "3", "20", "150"),
            "服务水平须在 0 与 1 之间",
            "between 0 and 1",
        ),
    ] {
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            r.stderr.contains(zh) && r.stderr.contains(en),
            "{}",
            r.stderr
        );
        assert!(r.stdout.is_empty());
    }
    let huge = run(
        &[
            "simulate",
            "--arrivals-per-hour",
            "100000",
            "--mean-service-min",
            "3",
            "--counters",
            "12",
            "--hours",
            "1000",
        ],
        "",
    );
    assert_eq!(huge.code, 2);
    assert!(
        huge.stderr.contains("请缩短 --hours") && huge.stderr.contains("shorten --hours"),
        "{}",
        huge.stderr
    );
    let zero = run(
        &[
            "simulate",
            "--arrivals-per-hour",
            "10",
            "--mean-service-min",
            "3",
            "--counters",
            "0",
            "--hours",
            "1",
        ],
        "",
    );
    assert_eq!(zero.code, 2, "{}", zero.stderr);
    // Too few counters still simulates a finite day, and says why waits run away.
    let thin = run(
        &[
            "simulate",
            "--arrivals-per-hour",
            "200",
            "--mean-service-min",
            "3",
            "--counters",
            "9",
            "--hours",
            "4",
            "--json",
        ],
        "",
    );
    assert_eq!(thin.code, 0, "{}", thin.stderr);
    assert!(
        thin.stderr.contains("排队会越来越长") && thin.stderr.contains("open at least 11"),
        "{}",
        thin.stderr
    );
    assert!(json(&thin.stdout)["mean_wait_s"].as_f64().unwrap() > 600.0);
}
