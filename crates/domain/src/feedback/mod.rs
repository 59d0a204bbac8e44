//! 管理客户满意: the feedback channels besides the evaluator pad (一事一评 on the phone,
//! external evaluations), the closed loop to service recovery (服务补救), and the
//! anti-gaming flags. Pure: the store remembers, the web translates.

pub mod csv;
pub mod gaming;
pub mod import;
pub mod phone;
pub mod recovery;
pub mod settings;

pub use settings::FeedbackSettings;

/// Where a rating came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The evaluator pad at the counter.
    Pad,
    /// 一事一评: the QR code of the slip or receipt, on the customer's phone.
    Phone,
    /// 外评: an imported outside survey or 95598 call-back.
    External,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pad => "pad",
            Self::Phone => "phone",
            Self::External => "external",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Pad => "评价器",
            Self::Phone => "一事一评",
            Self::External => "外评",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pad, Self::Phone, Self::External]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}
