//! 行为规范: the behaviour codes of the seed, by stable id.
//!
//! The standards library (规章制度) publishes their text in versions; observations (内查) and
//! inspections score against these ids, never against copied text, so a new wording of a code
//! keeps every earlier score attached to it.

/// One behaviour code: stable id, 中文 name, English name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BehaviourCode {
    pub id: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

/// The codes the seed names, in the order an observer meets them during a visit.
pub const BEHAVIOUR_CODES: [BehaviourCode; 7] = [
    BehaviourCode {
        id: "grooming",
        zh: "定妆上岗",
        en: "Groomed before the shift",
    },
    BehaviourCode {
        id: "greet_farewell",
        zh: "迎送有声",
        en: "Greets and says farewell",
    },
    BehaviourCode {
        id: "standard_phrases",
        zh: "规范用语",
        en: "Standard phrases",
    },
    BehaviourCode {
        id: "read_back",
        zh: "唱收唱付",
        en: "Reads back money received and paid",
    },
    BehaviourCode {
        id: "one_time_notice",
        zh: "一次性告知",
        en: "Tells everything needed at once",
    },
    BehaviourCode {
        id: "first_inquiry",
        zh: "首问负责",
        en: "First-inquiry responsibility",
    },
    BehaviourCode {
        id: "serve_one_settle_two",
        zh: "办一安二招呼三",
        en: "Serve one, settle the next, greet the third",
    },
];

/// The code with this id, if it is one.
pub fn behaviour_code(id: &str) -> Option<&'static BehaviourCode> {
    BEHAVIOUR_CODES.iter().find(|c| c.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_found() {
        for (i, c) in BEHAVIOUR_CODES.iter().enumerate() {
            assert_eq!(behaviour_code(c.id), Some(c));
            assert!(BEHAVIOUR_CODES[i + 1..].iter().all(|o| o.id != c.id));
        }
        assert_eq!(behaviour_code("smiling"), None);
    }
}
