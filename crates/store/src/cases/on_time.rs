//! On-time rates (按时办结率): clocks stopped in a period, met ÷ stopped by business type,
//! class and step.

use super::rows::*;
use super::writes::*;
use crate::sql::SqlStore;
use crate::*;
use servicehall_domain::cases::ClockPolicy;
use std::collections::HashMap;

impl SqlStore {
    pub(crate) async fn on_time_report(
        &self,
        hall_id: i64,
        from: i64,
        to: i64,
    ) -> Result<OnTimeReport> {
        if to <= from {
            return Err(StoreError::Invalid(
                "结束日期须晚于开始日期 · the period must end after it starts (to > from)".into(),
            ));
        }
        let mut conn = self.pool.acquire().await?;
        let mut l = load(
            &mut conn,
            "SELECT id FROM cases WHERE hall_id = $1 AND id IN (SELECT case_id FROM case_events WHERE kind = 'clock_stopped' AND at >= $2 AND at < $3)",
            &[hall_id, from, to],
            true,
        )
        .await?;
        let wc = hall_clock(&mut conn, hall_id).await?;
        let policy = ClockPolicy::default();
        let bts: HashMap<i64, (String, String)> = self
            .business_types(hall_id)
            .await?
            .into_iter()
            .map(|b| (b.id, (b.code, b.name_zh)))
            .collect();
        type Tally = HashMap<String, (String, i64, i64)>;
        let (mut by_bt, mut by_class, mut by_step): (Tally, Tally, Tally) = Default::default();
        let (mut stopped, mut met) = (0, 0);
        for case in &l.cases {
            let events = l.events.remove(&case.id).unwrap_or_default();
            let steps = l.steps.remove(&case.id).unwrap_or_default();
            for c in l.clocks.remove(&case.id).unwrap_or_default() {
                let (_, clock) = rebuild(&c, &events, to, &policy, wc.as_ref())?; // stopped clocks do not depend on `now`
                let Some(at) = clock.view.stopped_at else {
                    continue;
                };
                if at < from || at >= to {
                    continue;
                }
                let ok = i64::from(!clock.view.overdue);
                stopped += 1;
                met += ok;
                let (bk, bl) = case
                    .business_type_id
                    .and_then(|id| bts.get(&id).cloned())
                    .unwrap_or_else(|| (case.kind.as_str().into(), case.kind.label_zh().into()));
                let step_zh = steps
                    .iter()
                    .find(|s| s.code == c.step_code)
                    .map_or(c.step_code.clone(), |s| s.name_zh.clone());
                for (t, k, label) in [
                    (&mut by_bt, bk, bl),
                    (
                        &mut by_class,
                        case.customer_class.as_str().to_string(),
                        case.customer_class.label_zh().to_string(),
                    ),
                    (&mut by_step, c.step_code.clone(), step_zh),
                ] {
                    let e = t.entry(k).or_insert((label, 0, 0));
                    e.1 += 1;
                    e.2 += ok;
                }
            }
        }
        let rows = |t: Tally| {
            let mut v: Vec<OnTimeRow> = t
                .into_iter()
                .map(|(k, (label, s, m))| on_time_row(k, label, s, m))
                .collect();
            v.sort_by(|a, b| a.key.cmp(&b.key));
            v
        };
        Ok(OnTimeReport {
            hall_id,
            from,
            to,
            overall: on_time_row("all".into(), "全部".into(), stopped, met),
            by_business_type: rows(by_bt),
            by_customer_class: rows(by_class),
            by_step: rows(by_step),
        })
    }
}
