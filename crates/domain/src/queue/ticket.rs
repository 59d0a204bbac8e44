//! The ticket state machine. A ticket is a visit in the hall, from issue to finish.
//!
//! ```text
//! waiting ──call──▶ called ──start──▶ serving ──finish──▶ finished
//!    ▲               │  ▲ recall          │  ▲
//!    │               │  └─────┘           hold│ resume
//!    │               ├──no-show──▶ no_show  ▼  │
//!    │               │                    held
//!    └── (new linked ticket) ◀── transfer ── called | serving | held
//!
//! waiting ──leave──▶ left     (the customer's own step, from the phone page)
//! ```
//! Every transition is logged by the store with time, counter and clerk; all times
//! (waiting, handling, idle) are derived from that log.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketState {
    Waiting,
    Called,
    Serving,
    Held,
    Finished,
    NoShow,
    Transferred,
    /// The customer left the queue from the phone page (取消排队) before being called.
    Left,
}

impl TicketState {
    pub const ALL: [TicketState; 8] = [
        Self::Waiting,
        Self::Called,
        Self::Serving,
        Self::Held,
        Self::Finished,
        Self::NoShow,
        Self::Transferred,
        Self::Left,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Called => "called",
            Self::Serving => "serving",
            Self::Held => "held",
            Self::Finished => "finished",
            Self::NoShow => "no_show",
            Self::Transferred => "transferred",
            Self::Left => "left",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Waiting => "等候中",
            Self::Called => "已叫号",
            Self::Serving => "办理中",
            Self::Held => "暂挂",
            Self::Finished => "已办结",
            Self::NoShow => "过号",
            Self::Transferred => "已转办",
            Self::Left => "已取消排队",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::Waiting => "Waiting",
            Self::Called => "Called",
            Self::Serving => "Being served",
            Self::Held => "On hold",
            Self::Finished => "Finished",
            Self::NoShow => "Missed",
            Self::Transferred => "Transferred",
            Self::Left => "Left the queue",
        }
    }

    /// A ticket in a final state never changes again.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Finished | Self::NoShow | Self::Transferred | Self::Left
        )
    }

    /// A ticket a counter is working on (it occupies the counter).
    pub fn is_at_counter(self) -> bool {
        matches!(self, Self::Called | Self::Serving | Self::Held)
    }
}

impl fmt::Display for TicketState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TicketState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| format!("没有这种号票状态 unknown ticket state {s:?}"))
    }
}

/// What a clerk (or the system) does to a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketAction {
    Call,
    Recall,
    Start,
    Finish,
    NoShow,
    Transfer,
    Hold,
    Resume,
    /// The customer's own step from the phone page (取消排队); never a counter's, so it is
    /// not in [`TicketAction::ALL`] and no console offers it.
    Leave,
}

impl TicketAction {
    /// Every counter action, in the order a counter console shows them (the main step first).
    pub const ALL: [TicketAction; 8] = [
        Self::Call,
        Self::Start,
        Self::Recall,
        Self::NoShow,
        Self::Finish,
        Self::Hold,
        Self::Resume,
        Self::Transfer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Call => "call",
            Self::Recall => "recall",
            Self::Start => "start",
            Self::Finish => "finish",
            Self::NoShow => "no_show",
            Self::Transfer => "transfer",
            Self::Hold => "hold",
            Self::Resume => "resume",
            Self::Leave => "leave",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Call => "叫号",
            Self::Recall => "重呼",
            Self::Start => "开始办理",
            Self::Finish => "办结",
            Self::NoShow => "过号",
            Self::Transfer => "转办",
            Self::Hold => "暂挂",
            Self::Resume => "恢复办理",
            Self::Leave => "取消排队",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::Call => "Call",
            Self::Recall => "Recall",
            Self::Start => "Start",
            Self::Finish => "Finish",
            Self::NoShow => "No-show",
            Self::Transfer => "Transfer",
            Self::Hold => "Hold",
            Self::Resume => "Resume",
            Self::Leave => "Leave the queue",
        }
    }
}

impl FromStr for TicketAction {
    type Err = String;
    /// Accepts the API's path words (`no-show`) and the snake case names.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "call" => Self::Call,
            "recall" => Self::Recall,
            "start" => Self::Start,
            "finish" => Self::Finish,
            "no-show" | "no_show" => Self::NoShow,
            "transfer" => Self::Transfer,
            "hold" => Self::Hold,
            "resume" => Self::Resume,
            other => {
                return Err(format!(
                    "没有这种号票操作 unknown ticket action {other:?}; expected one of recall, start, finish, no-show, transfer, hold, resume"
                ));
            }
        })
    }
}

/// 绿色通道: elderly, disabled, pregnant and urgent-outage customers go first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    #[default]
    Normal,
    Green,
}

impl Priority {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::Green => "green",
        }
    }
}

impl FromStr for Priority {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "normal" => Ok(Self::Normal),
            "green" => Ok(Self::Green),
            other => Err(format!(
                "没有这种优先级，应为普通或绿色通道 unknown priority {other:?}; expected normal or green"
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("{label}的号票不能{action_zh} cannot {action} a ticket that is {state} ({label})", action = .action.as_str(), action_zh = .action.label_zh(), label = .state.label_zh())]
    NotAllowed {
        state: TicketState,
        action: TicketAction,
    },
}

/// The outcome of applying an action: the new state and the recall count after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub to: TicketState,
    pub recalls: u32,
    /// True when a recall past the limit turned into a no-show.
    pub recall_limit_reached: bool,
}

/// Applies `action` to a ticket in `state` that has been recalled `recalls` times.
/// A recall once `max_recalls` is reached marks the ticket as a no-show instead.
pub fn transition(
    state: TicketState,
    action: TicketAction,
    recalls: u32,
    max_recalls: u32,
) -> Result<Transition, TransitionError> {
    use TicketAction as A;
    use TicketState as S;
    let plain = |to| Transition {
        to,
        recalls,
        recall_limit_reached: false,
    };
    match (state, action) {
        (S::Waiting, A::Call) => Ok(plain(S::Called)),
        (S::Called, A::Recall) if recalls >= max_recalls => Ok(Transition {
            to: S::NoShow,
            recalls,
            recall_limit_reached: true,
        }),
        (S::Called, A::Recall) => Ok(Transition {
            to: S::Called,
            recalls: recalls + 1,
            recall_limit_reached: false,
        }),
        (S::Called, A::Start) => Ok(plain(S::Serving)),
        (S::Called, A::NoShow) => Ok(plain(S::NoShow)),
        (S::Serving, A::Finish) => Ok(plain(S::Finished)),
        (S::Serving, A::Hold) => Ok(plain(S::Held)),
        (S::Held, A::Resume) => Ok(plain(S::Serving)),
        (S::Called | S::Serving | S::Held, A::Transfer) => Ok(plain(S::Transferred)),
        (S::Waiting, A::Leave) => Ok(plain(S::Left)),
        (state, action) => Err(TransitionError::NotAllowed { state, action }),
    }
}

/// Whether the customer may say "I'm on my way" (我在路上) for a ticket in `state`: while it
/// waits or has been called, so the clerk does not mark a no-show too soon.
pub fn may_mark_on_way(state: TicketState) -> bool {
    matches!(state, TicketState::Waiting | TicketState::Called)
}

/// Whether the phone page should warn its customer that their turn is near: the ticket
/// waits with `waiting_ahead` tickets before it, and the hall warns at `notify_ahead` or fewer.
pub fn turn_is_near(waiting_ahead: Option<i64>, notify_ahead: u32) -> bool {
    waiting_ahead.is_some_and(|a| a <= i64::from(notify_ahead))
}

/// The actions a ticket in `state` accepts now, in [`TicketAction::ALL`]'s order: the
/// transitions [`transition`] allows (a recall is allowed while called; past the limit it
/// turns into a no-show). Final states accept nothing. `call` (a waiting ticket) is done
/// by a counter's call-next, the others on the ticket itself.
pub fn allowed_actions(state: TicketState) -> Vec<TicketAction> {
    TicketAction::ALL
        .into_iter()
        .filter(|&a| transition(state, a, 0, u32::MAX).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use TicketAction as A;
    use TicketState as S;

    fn go(state: S, action: A) -> Result<S, TransitionError> {
        transition(state, action, 0, 3).map(|t| t.to)
    }

    #[test]
    fn happy_path_from_waiting_to_finished() {
        assert_eq!(go(S::Waiting, A::Call), Ok(S::Called));
        assert_eq!(go(S::Called, A::Start), Ok(S::Serving));
        assert_eq!(go(S::Serving, A::Hold), Ok(S::Held));
        assert_eq!(go(S::Held, A::Resume), Ok(S::Serving));
        assert_eq!(go(S::Serving, A::Finish), Ok(S::Finished));
    }

    #[test]
    fn final_states_accept_nothing() {
        for st in [S::Finished, S::NoShow, S::Transferred, S::Left] {
            assert!(st.is_final());
            for a in [
                A::Call,
                A::Recall,
                A::Start,
                A::Finish,
                A::NoShow,
                A::Transfer,
                A::Hold,
                A::Resume,
                A::Leave,
            ] {
                assert!(go(st, a).is_err(), "{st:?} accepted {a:?}");
            }
        }
    }

    #[test]
    fn finishing_twice_is_refused_with_a_clear_message() {
        let err = go(S::Finished, A::Finish).unwrap_err();
        assert_eq!(
            err.to_string(),
            "已办结的号票不能办结 cannot finish a ticket that is finished (已办结)"
        );
    }

    #[test]
    fn cannot_finish_without_starting() {
        assert!(go(S::Called, A::Finish).is_err());
        assert!(go(S::Waiting, A::Finish).is_err());
    }

    #[test]
    fn recall_counts_up_then_turns_into_no_show() {
        let t = transition(S::Called, A::Recall, 2, 3).unwrap();
        assert_eq!(
            (t.to, t.recalls, t.recall_limit_reached),
            (S::Called, 3, false)
        );
        let t = transition(S::Called, A::Recall, 3, 3).unwrap();
        assert_eq!((t.to, t.recall_limit_reached), (S::NoShow, true));
    }

    #[test]
    fn states_and_actions_round_trip_through_strings() {
        for st in S::ALL {
            assert_eq!(st.as_str().parse::<S>(), Ok(st));
        }
        assert_eq!("no-show".parse::<A>(), Ok(A::NoShow));
        assert!("explode".parse::<A>().is_err());
        assert_eq!("green".parse::<Priority>(), Ok(Priority::Green));
        assert!("vip".parse::<Priority>().is_err());
    }

    #[test]
    fn allowed_actions_per_state() {
        assert_eq!(allowed_actions(S::Waiting), [A::Call]);
        assert_eq!(
            allowed_actions(S::Called),
            [A::Start, A::Recall, A::NoShow, A::Transfer]
        );
        assert_eq!(
            allowed_actions(S::Serving),
            [A::Finish, A::Hold, A::Transfer]
        );
        assert_eq!(allowed_actions(S::Held), [A::Resume, A::Transfer]);
        for s in [S::Finished, S::NoShow, S::Transferred, S::Left] {
            assert!(allowed_actions(s).is_empty(), "{s} is final");
        }
        // The list is exactly what the state machine accepts, at any recall count.
        for s in TicketState::ALL {
            for a in TicketAction::ALL {
                for recalls in [0, 3] {
                    assert_eq!(
                        allowed_actions(s).contains(&a),
                        transition(s, a, recalls, 3).is_ok(),
                        "{s} {a:?} after {recalls} recalls"
                    );
                }
            }
        }
    }

    #[test]
    fn only_a_waiting_ticket_can_leave_and_clerks_never_see_leave() {
        assert_eq!(go(S::Waiting, A::Leave), Ok(S::Left));
        for st in [S::Called, S::Serving, S::Held] {
            let err = go(st, A::Leave).unwrap_err();
            assert!(err.to_string().contains("取消排队"), "{err}");
        }
        assert!(S::Left.is_final());
        assert!(!TicketAction::ALL.contains(&A::Leave));
        assert!(allowed_actions(S::Waiting).iter().all(|a| *a != A::Leave));
        assert_eq!("left".parse::<S>(), Ok(S::Left));
    }

    #[test]
    fn the_notice_starts_at_the_threshold_and_only_while_waiting() {
        assert!(!turn_is_near(Some(4), 3));
        assert!(turn_is_near(Some(3), 3));
        assert!(turn_is_near(Some(0), 3));
        assert!(turn_is_near(Some(0), 0));
        assert!(!turn_is_near(Some(1), 0));
        assert!(
            !turn_is_near(None, 3),
            "a ticket not waiting has no one ahead"
        );
    }

    #[test]
    fn on_my_way_only_before_the_counter_starts() {
        assert!(may_mark_on_way(S::Waiting));
        assert!(may_mark_on_way(S::Called));
        for st in [
            S::Serving,
            S::Held,
            S::Finished,
            S::NoShow,
            S::Transferred,
            S::Left,
        ] {
            assert!(!may_mark_on_way(st), "{st}");
        }
    }
}
