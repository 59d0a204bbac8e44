//! Every file the server parses from an upload (XLSX, CSV, YAML, calendar text, photos) is
//! read on the blocking pool, with its panics caught and a time budget, so one crafted file
//! can neither stall the async workers that serve every hall nor take the process down.

use crate::error::ApiError;
use std::time::Duration;

/// How long one parse may take before the request is answered without it.
pub const PARSE_BUDGET: Duration = Duration::from_secs(20);

/// Why a parse gave no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ParseFailed {
    #[error(
        "文件无法读取，请检查文件内容后重新上传 the file could not be read; check its content and upload it again"
    )]
    Crashed,
    #[error(
        "文件过于复杂，无法在限定时间内读取，请拆分后上传 the file is too complex to read in time; split it and upload the parts"
    )]
    TooSlow,
}

impl From<ParseFailed> for ApiError {
    fn from(e: ParseFailed) -> Self {
        tracing::warn!(target: "security", event = "parse_failed", reason = ?e, "an uploaded file could not be parsed");
        ApiError::unprocessable(e.to_string())
    }
}

/// Runs `parse` on the blocking pool; a panic inside is caught and answered as
/// [`ParseFailed::Crashed`], a parse over [`PARSE_BUDGET`] as [`ParseFailed::TooSlow`] (its
/// thread finishes on its own; nothing waits for it).
pub async fn off_thread<T: Send + 'static>(
    parse: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ParseFailed> {
    within(PARSE_BUDGET, parse).await
}

async fn within<T: Send + 'static>(
    budget: Duration,
    parse: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ParseFailed> {
    match tokio::time::timeout(budget, tokio::task::spawn_blocking(parse)).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(_)) => Err(ParseFailed::Crashed),
        Err(_) => Err(ParseFailed::TooSlow),
    }
}

/// Parses `text` once off the async workers only to learn that the parser neither panics nor
/// runs away on it; the caller then hands the same text to the store, which parses it again
/// and reports its own errors. The parser's result is dropped.
pub async fn probe<R>(text: &str, parse: fn(&str) -> R) -> Result<(), ParseFailed>
where
    R: Send + 'static,
{
    let owned = text.to_owned();
    off_thread(move || {
        let _ = parse(&owned);
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_parser_is_an_answer_not_a_crash() {
        let r: Result<(), _> = off_thread(|| panic!("malformed")).await;
        assert_eq!(r, Err(ParseFailed::Crashed));
        assert_eq!(off_thread(|| 7).await, Ok(7));
    }

    #[tokio::test]
    async fn a_slow_parser_is_cut_off() {
        let r = within(Duration::from_millis(20), || {
            std::thread::sleep(Duration::from_millis(300))
        })
        .await;
        assert_eq!(r, Err(ParseFailed::TooSlow));
    }

    #[tokio::test]
    async fn probe_passes_text_through() {
        fn boom(s: &str) -> usize {
            assert!(!s.contains("bad"), "parser bug");
            s.len()
        }
        assert_eq!(probe("fine", boom).await, Ok(()));
        assert_eq!(probe("bad", boom).await, Err(ParseFailed::Crashed));
    }
}
