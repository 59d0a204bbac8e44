//! What happens at a counter in the demo's simulation: a free counter calls the next
//! ticket (or waits for one), then acts on it step by step — start, hold, transfer, finish
//! with a read-back — and the customer rates the visit.

use super::*;

impl Day<'_> {
    pub(super) async fn wake(&mut self, c: usize, poll: bool, now: i64) -> CliResult<()> {
        if poll {
            self.counters[c].poll_pending = false;
        }
        let st = self.counters[c].clone();
        if !st.open || st.paused || st.busy {
            return Ok(());
        }
        let counter_id = self.demo.counters[c].id;
        let after_shift = now >= st.shift_end;
        if after_shift && (!st.last_shift || self.waiting.is_empty() || now > self.day_end) {
            retry!("close counter", self.store.close_counter(counter_id, now))?;
            self.counters[c].open = false;
            return Ok(());
        }
        if let Some((from, to)) = st.lunch
            && now >= from
            && now < to
        {
            retry!(
                "pause",
                self.store
                    .pause_counter(counter_id, "午休 lunch break", now)
            )?;
            self.counters[c].paused = true;
            self.counters[c].lunch = None;
            self.push(to, Ev::Resume { c });
            return Ok(());
        }
        let called = retry!(
            "call next",
            self.store.call_next(counter_id, st.staff_id, now)
        )?;
        let Some(t) = called else {
            // Nothing this counter serves is waiting: look again when the next ticket
            // becomes overdue (any counter may call an overdue ticket).
            let next_overdue = self.waiting.values().filter(|at| **at > now).min().copied();
            if let Some(at) = next_overdue
                && !self.counters[c].poll_pending
            {
                self.counters[c].poll_pending = true;
                self.push(at + SEC, Ev::Wake { c, poll: true });
            } else if after_shift {
                retry!("close counter", self.store.close_counter(counter_id, now))?;
                self.counters[c].open = false;
            }
            return Ok(());
        };
        self.waiting.remove(&t.id);
        self.counters[c].busy = true;
        let bt = self.bt_of.get(&t.id).copied().unwrap_or(8);
        if self.rng.chance(0.04) {
            let recall = now + self.rng.range(40, 60) * SEC;
            self.push(
                recall,
                Ev::Act {
                    c,
                    ticket: t.id,
                    step: Step::Recall,
                },
            );
            let no_show = recall + self.rng.range(50, 70) * SEC;
            self.push(
                no_show,
                Ev::Act {
                    c,
                    ticket: t.id,
                    step: Step::NoShow,
                },
            );
            return Ok(());
        }
        let start = now + self.rng.range(15, 45) * SEC;
        self.push(
            start,
            Ev::Act {
                c,
                ticket: t.id,
                step: Step::Start,
            },
        );
        let handle = self.handling_ms(bt);
        let code = BUSINESS_TYPES[bt].code;
        let transfer_to = match code {
            "inquiry" if self.rng.chance(0.04) => Some(if self.rng.chance(0.5) { 3 } else { 0 }),
            "new_residential" if self.rng.chance(0.03) => Some(1),
            "repair" if self.rng.chance(0.03) => Some(9),
            _ => None,
        };
        match transfer_to {
            Some(to) => self.push(
                start + handle * 2 / 5,
                Ev::Act {
                    c,
                    ticket: t.id,
                    step: Step::Transfer(to),
                },
            ),
            None => {
                let finish = start + handle;
                self.push(
                    finish,
                    Ev::Act {
                        c,
                        ticket: t.id,
                        step: Step::Finish,
                    },
                );
                if self.rng.chance(0.78) {
                    let waited = now - t.queued_since;
                    let target = BUSINESS_TYPES[bt].target_wait_s * SEC;
                    let (level, reasons) = self.rating(waited > 2 * target);
                    let delay = self.rng.range(8, 90) * SEC;
                    // The demo's gaming clerk presses his own pad (see demo/feedback.rs).
                    let gamed = self.counters[c].staff_id
                        == self
                            .demo
                            .clerks
                            .get(super::super::feedback::GAMING_CLERK)
                            .map(|s| s.id);
                    let rate_at = finish + if gamed { delay / 40 } else { delay };
                    self.push(
                        rate_at,
                        Ev::Rate {
                            c,
                            ticket: t.id,
                            level,
                            reasons,
                        },
                    );
                }
            }
        }
        Ok(())
    }

    fn rating(&mut self, waited_long: bool) -> (i64, Vec<String>) {
        let weights: [f64; 5] = if waited_long {
            [0.02, 0.05, 0.12, 0.26, 0.55] // levels 1..5
        } else {
            [0.006, 0.014, 0.04, 0.14, 0.80]
        };
        let level = self.rng.weighted(&weights) as i64 + 1;
        let mut reasons = Vec::new();
        if level <= 2 {
            if waited_long {
                reasons.push("long_wait".to_string());
            }
            let n = self.rng.range(1, 2) as usize;
            while reasons.len() < n {
                let r = BAD_REASONS[self.rng.range(0, BAD_REASONS.len() as i64 - 1) as usize].0;
                if !reasons.iter().any(|x| x == r) {
                    reasons.push(r.to_string());
                }
            }
        }
        (level, reasons)
    }

    fn read_back(&mut self) -> CliResult<ReadBack> {
        // Bills of 20 to ~900 yuan, skewed low; cash rounds up to 10/50/100 yuan, mobile pays exact.
        let u = self.rng.f64();
        let due = 2_000 + (u * u * 88_000.0) as i64;
        let received = if self.rng.chance(0.55) {
            due
        } else {
            let step = [1_000, 5_000, 10_000][self.rng.range(0, 2) as usize];
            (due + step - 1) / step * step
        };
        ReadBack::new(due, received).map_err(|e| CliError::failed(e.to_string()))
    }

    pub(super) async fn act(
        &mut self,
        c: usize,
        ticket: i64,
        step: Step,
        now: i64,
    ) -> CliResult<()> {
        let by = self.op(c);
        let cmd = match &step {
            Step::Recall => TicketCommand::Recall,
            Step::NoShow => TicketCommand::NoShow,
            Step::Start => TicketCommand::Start,
            Step::Finish => {
                let bt = self.bt_of.get(&ticket).copied().unwrap_or(8);
                TicketCommand::Finish {
                    read_back: if BUSINESS_TYPES[bt].payment {
                        Some(self.read_back()?)
                    } else {
                        None
                    },
                    outcome: VisitOutcome::Completed,
                }
            }
            Step::Transfer(to) => TicketCommand::Transfer {
                business_type_id: self.demo.types[*to].id,
                counter_id: None,
                reason: "需转其他业务办理 needs another business".into(),
            },
        };
        retry!(
            &format!("{step:?} ticket {ticket}"),
            self.store.act_on_ticket(ticket, &cmd, by, now)
        )?;
        match step {
            Step::Recall | Step::Start => {}
            Step::NoShow => {
                self.stats.no_shows += 1;
                self.free(c, now + 10 * SEC);
            }
            Step::Finish => {
                self.stats.finished += 1;
                let settle = self.rng.range(5, 25) * SEC;
                self.free(c, now + settle);
            }
            Step::Transfer(to) => {
                self.stats.transfers += 1;
                let linked = retry!("waiting", self.store.waiting(self.demo.hall.id))?
                    .into_iter()
                    .find(|t| t.transferred_from == Some(ticket));
                if let Some(l) = linked {
                    let target = BUSINESS_TYPES[to].target_wait_s * SEC;
                    self.waiting.insert(l.id, l.queued_since + target);
                    self.bt_of.insert(l.id, to);
                    self.wake_for(to, now);
                }
                self.free(c, now + 10 * SEC);
            }
        }
        Ok(())
    }

    fn free(&mut self, c: usize, at: i64) {
        self.counters[c].busy = false;
        self.push(at, Ev::Wake { c, poll: false });
    }
}
