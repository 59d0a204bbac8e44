//! Documents a customer hands in (资料), uploaded as files: only PDF, JPEG and PNG, told
//! apart by their first bytes (magic numbers), not by the name the browser sends.

use serde::{Deserialize, Serialize};

/// The largest file accepted: 10 MiB (a phone photo or a scanned form).
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

/// A case's quota: at most this many uploaded files (superseded ones count: they are kept)…
pub const MAX_CASE_FILES: i64 = 40;
/// …holding at most this many bytes together.
pub const MAX_CASE_FILE_BYTES: i64 = 100 * 1024 * 1024;

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
    #[error(
        "文件是空的，请重新选择扫描件或照片 the file is empty; choose the scanned document or photo again"
    )]
    Empty,
    #[error("文件过大（最多 {mib} MiB），请降低扫描分辨率 the file is {size} bytes; at most {max} bytes ({mib} MiB) are accepted — scan at a lower resolution", mib = max / (1024 * 1024))]
    TooBig { size: usize, max: usize },
    #[error(
        "只接受 PDF、JPEG 或 PNG 文件（按内容判断） {name:?} is not a PDF, JPEG or PNG file (checked by its content); only those are accepted"
    )]
    UnknownType { name: String },
    #[error("文件名与内容不符，请改为 .{ext} {name:?} is named like another type but its content is {found}; rename it to .{ext} or upload the right file", found = .found.mime(), ext = .found.extensions()[0])]
    NameMismatch { name: String, found: DocType },
    #[error("本工单的资料已达上限（{MAX_CASE_FILES} 个文件、{mib} MiB），请将已作废的资料线下归档后再上传 the case holds {files} files of {bytes} bytes; a case keeps at most {MAX_CASE_FILES} files and {mib} MiB", mib = MAX_CASE_FILE_BYTES / (1024 * 1024))]
    QuotaFull { files: i64, bytes: i64 },
    #[error("文件需要名称（1–200 个字符） the file needs a name (1–200 characters)")]
    BadName,
}

/// Characters that change how text around them is drawn without being seen themselves:
/// bidirectional embeddings, overrides and isolates (`身份证\u{202E}gpj.exe` shows as
/// `身份证exe.jpg`), zero-width joiners and the byte-order mark.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// The file name to keep: the last path component with control and invisible formatting
/// characters removed, trimmed of spaces and leading or trailing dots.
pub fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    last.chars()
        .filter(|c| !c.is_control() && !is_invisible_format(*c))
        .collect::<String>()
        .trim()
        .trim_matches('.')
        .trim()
        .to_string()
}

/// The name with the extension the content decides: a name ending in another extension
/// (`回执.html`, `photo.exe`) or none gets the content's (`回执.png`), so a download is
/// never opened by a program the name chose.
fn with_content_extension(name: &str, found: DocType) -> String {
    let stem = match name.rsplit_once('.') {
        Some((_, ext))
            if found
                .extensions()
                .contains(&ext.to_ascii_lowercase().as_str()) =>
        {
            return name.to_string();
        }
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    };
    format!("{stem}.{}", found.extensions()[0])
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
    Ok((with_content_extension(&name, found), found))
}

/// Checks that a case holding `files` uploaded files of `bytes` bytes together can take one
/// more of `size` bytes.
pub fn check_quota(files: i64, bytes: i64, size: usize) -> Result<(), UploadError> {
    let size = i64::try_from(size).unwrap_or(i64::MAX);
    if files >= MAX_CASE_FILES || bytes.saturating_add(size) > MAX_CASE_FILE_BYTES {
        return Err(UploadError::QuotaFull { files, bytes });
    }
    Ok(())
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
        // A name without one of our extensions is fine: the content decides, extension too.
        assert_eq!(
            check_upload("scan", PNG, 100).unwrap(),
            ("scan.png".to_string(), DocType::Png)
        );
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

    #[test]
    fn the_extension_comes_from_the_content() {
        let jpeg = &[0xFF, 0xD8, 0xFF, 1][..];
        assert_eq!(check_upload("回执.html", PNG, 100).unwrap().0, "回执.png");
        assert_eq!(check_upload("setup.exe", jpeg, 100).unwrap().0, "setup.jpg");
        assert_eq!(check_upload("a.b.JPG", jpeg, 100).unwrap().0, "a.b.JPG");
        assert_eq!(
            check_upload(".htaccess", PNG, 100).unwrap().0,
            "htaccess.png"
        );
        let pdf = b"%PDF-1.7\n";
        assert_eq!(check_upload("合同.svg", pdf, 100).unwrap().0, "合同.pdf");
    }

    #[test]
    fn a_case_has_a_quota() {
        assert_eq!(check_quota(0, 0, 10), Ok(()));
        assert_eq!(check_quota(MAX_CASE_FILES - 1, 0, 10), Ok(()));
        assert!(matches!(
            check_quota(MAX_CASE_FILES, 0, 10),
            Err(UploadError::QuotaFull { .. })
        ));
        assert!(check_quota(1, MAX_CASE_FILE_BYTES - 10, 10).is_ok());
        assert!(check_quota(1, MAX_CASE_FILE_BYTES - 10, 11).is_err());
    }

    #[test]
    fn bidirectional_and_invisible_characters_are_removed() {
        // Shown by a right-to-left override as "身份证exe.png" — and the content decides anyway.
        let name = "身份证\u{202E}gnp.exe";
        assert_eq!(check_upload(name, PNG, 100).unwrap().0, "身份证gnp.png");
        assert_eq!(clean_name("a\u{200B}b\u{2067}c\u{FEFF}.pdf"), "abc.pdf");
        assert_eq!(
            check_upload("\u{202E}\u{200F}", PNG, 100),
            Err(UploadError::BadName)
        );
    }
}
