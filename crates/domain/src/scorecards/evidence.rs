//! 申诉证据: the files a hall manager attaches to an appeal — a photo, a screenshot or a
//! scanned page (JPEG, PNG or PDF, told by their first bytes like case documents), at most
//! 5 MiB each and a few per appeal, added only while the appeal waits for its decision.

use crate::cases::document::{DocType, UploadError, check_upload};

/// The largest evidence file: 5 MiB (a phone photo or a scanned page).
pub const MAX_EVIDENCE_BYTES: usize = 5 * 1024 * 1024;

/// At most this many files back one appeal: enough for a photo, a screenshot and a form.
pub const MAX_EVIDENCE_FILES: i64 = 5;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceError {
    #[error("{0}")]
    Upload(UploadError),
    #[error(
        "每份申诉最多附 {MAX_EVIDENCE_FILES} 个证据文件 · an appeal holds at most {MAX_EVIDENCE_FILES} evidence files"
    )]
    TooMany,
    #[error(
        "申诉已经裁定，不能再补充证据 · the appeal is already decided; evidence is added while it is pending"
    )]
    Decided,
}

impl EvidenceError {
    /// Whether the file itself is too large (a 413 rather than a 422).
    pub fn too_large(&self) -> bool {
        matches!(self, Self::Upload(UploadError::TooBig { .. }))
    }
}

/// Checks one more evidence file for an appeal in `state` already holding `held` files:
/// the cleaned name and the type its content says.
pub fn check_evidence(
    name: &str,
    bytes: &[u8],
    state: &str,
    held: i64,
) -> Result<(String, DocType), EvidenceError> {
    if state != "pending" {
        return Err(EvidenceError::Decided);
    }
    if held >= MAX_EVIDENCE_FILES {
        return Err(EvidenceError::TooMany);
    }
    check_upload(name, bytes, MAX_EVIDENCE_BYTES).map_err(EvidenceError::Upload)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn evidence_is_checked_by_content_size_count_and_state() {
        assert_eq!(
            check_evidence("监控截图.png", PNG, "pending", 0).unwrap(),
            ("监控截图.png".to_string(), DocType::Png)
        );
        // A text file named like a picture is refused by its content.
        let e = check_evidence("截图.png", b"hello", "pending", 0).unwrap_err();
        assert!(matches!(
            e,
            EvidenceError::Upload(UploadError::UnknownType { .. })
        ));
        assert!(!e.too_large());
        let mut big = b"%PDF-1.7\n".to_vec();
        big.resize(MAX_EVIDENCE_BYTES + 1, b' ');
        let e = check_evidence("scan.pdf", &big, "pending", 0).unwrap_err();
        assert!(e.too_large(), "{e}");
        assert!(e.to_string().contains("5 MiB"), "{e}");
        assert_eq!(
            check_evidence("a.png", PNG, "pending", MAX_EVIDENCE_FILES),
            Err(EvidenceError::TooMany)
        );
        assert_eq!(
            check_evidence("a.png", PNG, "accepted", 0),
            Err(EvidenceError::Decided)
        );
    }
}
