//! The flags on generated patterns: honest clerks and counters are not flagged, gamers are.

use super::*;

/// A small deterministic generator (64-bit LCG), so the patterns are the same every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    /// Uniform in `lo..hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo) as u64) as i64
    }
    fn chance(&mut self, pct: u64) -> bool {
        self.next() % 100 < pct
    }
}

const MIN: i64 = 60_000;

/// `n` visits of one clerk at one counter, 6 minutes apart.
fn visits(
    rng: &mut Lcg,
    clerk: i64,
    counter: i64,
    n: usize,
    delay_ms: impl Fn(&mut Lcg) -> i64,
    level: impl Fn(&mut Lcg) -> u8,
) -> Vec<PadVisit> {
    (0..n)
        .map(|i| {
            let finished_at = 1_800_000_000_000 + i as i64 * 6 * MIN;
            let d = delay_ms(rng);
            let l = level(rng);
            PadVisit {
                ticket_id: clerk * 10_000 + i as i64,
                number: format!("A{:03}", i + 1),
                counter_id: counter,
                staff_id: Some(clerk),
                finished_at,
                served_s: rng.range(120, 600),
                transferred: false,
                rating: Some((finished_at + d, l)),
            }
        })
        .collect()
}

/// An honest customer: looks at the pad after 3–40 s; mostly pleased, sometimes not.
fn honest(rng: &mut Lcg, clerk: i64, counter: i64) -> Vec<PadVisit> {
    visits(
        rng,
        clerk,
        counter,
        200,
        |r| r.range(3_000, 40_000),
        |r| match r.next() % 100 {
            0..=79 => 5,
            80..=94 => 4,
            95..=97 => 3,
            _ => 2,
        },
    )
}

fn kinds(flags: &[Flag]) -> Vec<(FlagKind, Subject)> {
    flags.iter().map(|f| (f.kind, f.subject)).collect()
}

#[test]
fn honest_clerks_are_not_flagged() {
    let s = FeedbackSettings::default();
    for seed in 1..20 {
        let mut rng = Lcg(seed);
        let v = honest(&mut rng, 1, 1);
        assert_eq!(kinds(&detect(&v, &s)), vec![], "seed {seed}");
    }
}

#[test]
fn a_clerk_who_presses_the_pad_himself_is_flagged_fast_with_the_tickets() {
    let s = FeedbackSettings::default();
    let mut rng = Lcg(7);
    let mut v = honest(&mut rng, 1, 1);
    // 80 % of clerk 2's ratings land 0.3–1.5 s after finishing.
    v.extend(visits(
        &mut rng,
        2,
        2,
        100,
        |r| {
            if r.chance(80) {
                r.range(300, 1_500)
            } else {
                r.range(3_000, 30_000)
            }
        },
        |r| if r.chance(90) { 5 } else { 4 },
    ));
    let flags = detect(&v, &s);
    assert_eq!(
        kinds(&flags),
        vec![(FlagKind::FastRatings, Subject::Clerk(2))]
    );
    let f = &flags[0];
    assert!(!f.tickets.is_empty() && f.tickets.len() <= MAX_EVIDENCE);
    // Every evidence ticket really is one of clerk 2's fast ones.
    for t in &f.tickets {
        let visit = v.iter().find(|x| x.ticket_id == t.ticket_id).unwrap();
        let (at, _) = visit.rating.unwrap();
        assert_eq!(visit.staff_id, Some(2));
        assert!(at - visit.finished_at <= 2_000);
    }
    assert!(
        f.figures
            .iter()
            .any(|x| x.value.starts_with("8") && x.value.ends_with('%'))
    );
}

#[test]
fn too_few_ratings_prove_nothing() {
    let s = FeedbackSettings::default();
    let mut rng = Lcg(3);
    let v = visits(&mut rng, 3, 1, (s.min_ratings - 1) as usize, |_| 500, |_| 5);
    assert!(!kinds(&detect(&v, &s)).contains(&(FlagKind::FastRatings, Subject::Clerk(3))));
}

#[test]
fn an_unbroken_run_of_top_levels_is_flagged_with_its_tickets() {
    let s = FeedbackSettings::default();
    let mut rng = Lcg(11);
    // Honest delays, but every one of 60 ratings is 非常满意.
    let v = visits(&mut rng, 4, 1, 60, |r| r.range(3_000, 30_000), |_| 5);
    let flags = detect(&v, &s);
    assert_eq!(kinds(&flags), vec![(FlagKind::TopRun, Subject::Clerk(4))]);
    assert_eq!(flags[0].figures[0].value, "60");
    assert_eq!(flags[0].tickets[0].number, "A001");
    // One 满意 in the middle breaks it into runs of 30 and 29: below 40, not flagged.
    let mut v2 = v.clone();
    v2[30].rating = v2[30].rating.map(|(at, _)| (at, 4));
    assert!(detect(&v2, &s).is_empty());
}

#[test]
fn a_counter_that_skips_the_pad_on_hard_visits_is_flagged() {
    let s = FeedbackSettings::default();
    let mut rng = Lcg(5);
    let mut v = honest(&mut rng, 1, 1);
    let mut bad = honest(&mut rng, 5, 2);
    // Counter 2: 12 long or transferred visits, 10 without a rating.
    for (i, x) in bad.iter_mut().take(12).enumerate() {
        x.served_s = 1_500;
        x.transferred = i % 3 == 0;
        if i < 10 {
            x.rating = None;
        }
    }
    // Counter 1 has long visits too, and they are rated as often as the rest.
    for x in v.iter_mut().take(12) {
        x.served_s = 1_500;
    }
    v.extend(bad);
    let flags = detect(&v, &s);
    assert_eq!(
        kinds(&flags),
        vec![(FlagKind::SkippedPad, Subject::Counter(2))]
    );
    assert_eq!(flags[0].tickets.len(), 10);
    assert!(flags[0].summary_zh.contains("12 笔中 10 笔"));
}

#[test]
fn a_finding_needs_a_note_and_a_flag_knows_its_newest_ticket() {
    assert!(check_finding_note("  ").is_err());
    assert_eq!(check_finding_note(" 现场核实 ").unwrap(), "现场核实");
    assert!(check_finding_note(&"x".repeat(2001)).is_err());
    assert_eq!(Finding::parse("dismissed"), Some(Finding::Dismissed));
    assert_eq!(Finding::parse("maybe"), None);
    for k in FlagKind::ALL {
        assert_eq!(FlagKind::parse(k.as_str()), Some(k));
    }
    let (kind, id) = Subject::Counter(7).parts();
    assert_eq!(Subject::from_parts(kind, id), Some(Subject::Counter(7)));
    let flag = Flag {
        kind: FlagKind::TopRun,
        subject: Subject::Clerk(3),
        summary_zh: String::new(),
        figures: vec![],
        tickets: [12, 40, 31]
            .map(|id| EvidenceTicket {
                ticket_id: id,
                number: format!("A{id:03}"),
                note: String::new(),
            })
            .to_vec(),
    };
    assert_eq!(flag.last_ticket_id(), 40);
}
