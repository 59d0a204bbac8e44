//! Documents a customer hands in (资料), uploaded as files: only PDF, JPEG and PNG, told
//! apart by their first bytes (magic numbers), not by the name the browser sends.

use serde::{Deserialize, Serialize};

/// The largest file accepted: 10 MiB (a phone photo or a scanned form).
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocType {
    Pdf,
    Jpeg,
    Png,
}

impl DocType {
    pub fn mime(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }

    /// The type a stored content type names.
    pub fn from_mime(mime: &str) -> Option<Self> {
        [Self::Pdf, Self::Jpeg, Self::Png]
            .into_iter()
            .find(|t| t.mime() == mime)
    }

    fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::Pdf => &["pdf"],
            Self::Jpeg => &["jpg", "jpeg"],
            Self::Png => &["png"],
        }
    }

    /// What the file's first bytes say it is.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    #[error("the file is empty; choose the scanned document or photo again")]
    Empty,
    #[error("the file is {size} bytes; at most {max} bytes ({mib} MiB) are accepted — scan at a lower resolution", mib = max / (1024 * 1024))]
    TooBig { size: usize, max: usize },
    #[error(
        "{name:?} is not a PDF, JPEG or PNG file (checked by its content); only those are accepted"
    )]
    UnknownType { name: String },
    #[error("{name:?} is named like another type but its content is {found}; rename it to .{ext} or upload the right file", found = .found.mime(), ext = .found.extensions()[0])]
    NameMismatch { name: String, found: DocType },
    #[error("the file needs a name (1–200 characters)")]
    BadName,
}

/// The file name to keep: the last path component, control characters removed, trimmed.
pub fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    last.chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_string()
}

/// Checks an upload: not empty, not too big, a PDF/JPEG/PNG by its content, and a name
/// whose extension (if it has one of ours) agrees. Returns the cleaned name and the type.
pub fn check_upload(
    name: &str,
    bytes: &[u8],
    max: usize,
) -> Result<(String, DocType), UploadError> {
    let name = clean_name(name);
    if name.is_empty() || name.chars().count() > 200 {
        return Err(UploadError::BadName);
    }
    if bytes.is_empty() {
        return Err(UploadError::Empty);
    }
    if bytes.len() > max {
        return Err(UploadError::TooBig {
            size: bytes.len(),
            max,
        });
    }
    let Some(found) = DocType::sniff(bytes) else {
        return Err(UploadError::UnknownType { name });
    };
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let ours = [DocType::Pdf, DocType::Jpeg, DocType::Png]
        .iter()
        .any(|t| t.extensions().contains(&ext.as_str()));
    if ours && !found.extensions().contains(&ext.as_str()) {
        return Err(UploadError::NameMismatch { name, found });
    }
    Ok((name, found))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn types_are_told_by_content() {
        assert_eq!(DocType::sniff(b"%PDF-1.7\n"), Some(DocType::Pdf));
        assert_eq!(
            DocType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(DocType::Jpeg)
        );
        assert_eq!(DocType::sniff(PNG), Some(DocType::Png));
        assert_eq!(DocType::sniff(b"MZ\x90\0"), None);
        assert_eq!(DocType::sniff(b""), None);
    }

    #[test]
    fn a_renamed_executable_is_refused() {
        let e = check_upload("身份证.pdf", b"MZ\x90\0\x03", 100).unwrap_err();
        assert!(matches!(e, UploadError::UnknownType { .. }), "{e}");
    }

    #[test]
    fn a_name_that_contradicts_the_content_is_refused() {
        let e = check_upload("scan.pdf", PNG, 100).unwrap_err();
        assert!(e.to_string().contains("rename it to .png"), "{e}");
        // A name without one of our extensions is fine: the content decides.
        assert_eq!(check_upload("scan", PNG, 100).unwrap().1, DocType::Png);
        assert_eq!(
            check_upload("IMG.JPEG", &[0xFF, 0xD8, 0xFF, 1], 100)
                .unwrap()
                .1,
            DocType::Jpeg
        );
    }

    #[test]
    fn size_and_name_limits() {
        assert_eq!(check_upload("a.pdf", b"", 100), Err(UploadError::Empty));
        let big = [b"%PDF-".as_slice(), &[0u8; 200]].concat();
        assert!(matches!(
            check_upload("a.pdf", &big, 100),
            Err(UploadError::TooBig {
                size: 205,
                max: 100
            })
        ));
        assert_eq!(check_upload("  ", PNG, 100), Err(UploadError::BadName));
        assert_eq!(
            check_upload("C:\\scans\\../证明.png", PNG, 100).unwrap().0,
            "证明.png"
        );
    }
}
