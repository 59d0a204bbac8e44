//! The span the indicator statements count over (halls, days, the instant not yet passed)
//! and the per-ticket times most of them start from.

use servicehall_domain::assessment::day_date;

/// Which halls and days to count. Hall ids and days are integers this crate formats, so they
/// are written into the statements (no user text reaches them).
pub(crate) struct Span<'a> {
    pub halls: Option<&'a [i64]>,
    pub from_day: i64,
    pub to_day: Option<i64>,
    /// Time not yet passed is not counted (the spans of `idle_share`, checks still due).
    pub until: Option<i64>,
}

pub(crate) const DAY: &str = "28800000) / 86400000";

impl Span<'_> {
    pub(crate) fn halls(&self, col: &str) -> String {
        match self.halls {
            Some([]) => "1 = 0".into(),
            Some(h) => {
                let ids: Vec<String> = h.iter().map(i64::to_string).collect();
                format!("{col} IN ({})", ids.join(", "))
            }
            None => "1 = 1".into(),
        }
    }
    /// The instant bounds of `col` for the span's days.
    pub(crate) fn at(&self, col: &str) -> String {
        let from = self.from_day * 86_400_000 - 28_800_000;
        match self.to_day {
            Some(to) => format!(
                "{col} >= {from} AND {col} < {}",
                to * 86_400_000 - 28_800_000
            ),
            None => format!("{col} >= {from}"),
        }
    }
    /// Tickets by their hall-local service day, a day of slack either side so halls outside
    /// China Standard Time are covered; the instant filter then cuts exactly. Uses the
    /// (hall_id, service_day) index.
    pub(crate) fn service_days(&self, t: &str) -> String {
        let from = day_date(self.from_day - 1);
        let mut s = format!(
            "{} AND {t}.service_day >= '{from}'",
            self.halls(&format!("{t}.hall_id"))
        );
        if let Some(to) = self.to_day {
            s.push_str(&format!(" AND {t}.service_day <= '{}'", day_date(to + 1)));
        }
        s
    }
}

/// Per ticket: when it began waiting, was first called, began being served and finished.
pub(crate) fn ticket_times(span: &Span) -> String {
    format!(
        "SELECT e.ticket_id,
                MIN(CASE WHEN e.state = 'waiting' THEN e.at END) AS queued,
                MIN(CASE WHEN e.state = 'called' THEN e.at END) AS called,
                MIN(CASE WHEN e.state = 'serving' THEN e.at END) AS began,
                MAX(CASE WHEN e.state = 'finished' THEN e.at END) AS done
         FROM ticket_events e JOIN tickets x ON x.id = e.ticket_id
         WHERE {}
         GROUP BY e.ticket_id",
        span.service_days("x")
    )
}
