//! Photos people upload (an observation's evidence, a staff member's portrait): only JPEG and
//! PNG, told by their content,
//! decoded within fixed limits and encoded again, so what is kept and served is a plain image
//! whatever the upload carried (script in an SVG, an HTML polyglot, GPS positions in EXIF).
//! Served with the type its bytes prove, `nosniff` and a sandboxing CSP; anything else that
//! an older version kept goes out as a download, never as a page.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use image::{DynamicImage, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// The largest upload accepted (the form shrinks photos to well under this).
pub const MAX_PHOTO_BYTES: usize = 150 * 1024;
/// The longest side decoded; larger images are refused before their pixels are allocated.
const MAX_SIDE: u32 = 4096;
/// What decoding may allocate at most.
const MAX_ALLOC: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoType {
    Jpeg,
    Png,
}

impl PhotoType {
    /// What the first bytes say, or `None` for anything but JPEG and PNG.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else {
            None
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
        }
    }

    fn format(self) -> ImageFormat {
        match self {
            Self::Jpeg => ImageFormat::Jpeg,
            Self::Png => ImageFormat::Png,
        }
    }
}

/// Why a photo was refused; each says what to do, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("照片格式有误，请重新选择照片 · the photo must be sent as a data:image/…;base64 URL")]
    NotDataUrl,
    #[error(
        "照片过大（最多 {max} kB），请缩小后再上传 · the photo is {size} bytes; at most {max} kB are accepted",
        max = MAX_PHOTO_BYTES / 1024
    )]
    TooBig { size: usize },
    #[error(
        "照片过大（最多 {max} MB），请缩小后再上传 · the photo is {size} bytes; at most {max} MB are accepted",
        max = MAX_EVIDENCE_BYTES / (1024 * 1024)
    )]
    EvidenceTooBig { size: usize },
    #[error(
        "只接受 JPEG 或 PNG 照片（按内容判断） · only JPEG and PNG photos are accepted (checked by content)"
    )]
    NotJpegOrPng,
    #[error(
        "照片无法读取或尺寸过大（最长边 {MAX_SIDE} 像素） · the photo cannot be read or is larger than {MAX_SIDE} pixels a side"
    )]
    Unreadable,
}

/// Decodes `bytes` (JPEG or PNG by content) within the limits.
fn decode(bytes: &[u8]) -> Result<(DynamicImage, PhotoType), PhotoError> {
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(PhotoError::TooBig { size: bytes.len() });
    }
    decode_unchecked(bytes)
}

/// Decodes without the upload size check (the caller made its own).
fn decode_unchecked(bytes: &[u8]) -> Result<(DynamicImage, PhotoType), PhotoError> {
    let kind = PhotoType::sniff(bytes).ok_or(PhotoError::NotJpegOrPng)?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), kind.format());
    reader.limits(limits);
    let img = reader.decode().map_err(|_| PhotoError::Unreadable)?;
    Ok((img, kind))
}

/// Encodes the pixels alone (no EXIF or other chunks survive) in `kind`.
fn encode(img: &DynamicImage, kind: PhotoType) -> Result<Vec<u8>, PhotoError> {
    let mut out = Vec::new();
    match kind {
        PhotoType::Jpeg => {
            let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
            let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
            rgb.write_with_encoder(enc)
        }
        PhotoType::Png => img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png),
    }
    .map_err(|_| PhotoError::Unreadable)?;
    Ok(out)
}

/// Decodes `bytes` (JPEG or PNG by content) within the limits and encodes the pixels again
/// in the same format. Returns the new bytes and their type.
pub fn reencode(bytes: &[u8]) -> Result<(Vec<u8>, PhotoType), PhotoError> {
    let (img, kind) = decode(bytes)?;
    Ok((encode(&img, kind)?, kind))
}

/// The longest side of a portrait as kept, and of its thumbnail (staff lists, console).
pub const PORTRAIT_SIDE: u32 = 480;
pub const THUMB_SIDE: u32 = 96;

/// A staff member's portrait made safe to keep: re-encoded, no larger than
/// [`PORTRAIT_SIDE`], with a thumbnail of [`THUMB_SIDE`]; both of type `kind`.
#[derive(Debug)]
pub struct Portrait {
    pub kind: PhotoType,
    pub image: Vec<u8>,
    pub thumb: Vec<u8>,
}

/// Scales `img` down (never up) to fit `side` × `side`.
fn fit(img: &DynamicImage, side: u32) -> DynamicImage {
    if img.width() <= side && img.height() <= side {
        img.clone()
    } else {
        img.thumbnail(side, side)
    }
}

/// Makes a [`Portrait`] of an uploaded image (JPEG or PNG by content).
pub fn portrait(bytes: &[u8]) -> Result<Portrait, PhotoError> {
    let (img, kind) = decode(bytes)?;
    Ok(Portrait {
        kind,
        image: encode(&fit(&img, PORTRAIT_SIDE), kind)?,
        thumb: encode(&fit(&img, THUMB_SIDE), kind)?,
    })
}

/// The largest evidence photo accepted (an inspection's or a fix's: taken on a tablet, so
/// larger than a portrait; the page shrinks it before sending).
pub const MAX_EVIDENCE_BYTES: usize = 4 * 1024 * 1024;
/// The longest side of an evidence photo as kept, and of its thumbnail.
pub const EVIDENCE_SIDE: u32 = 1600;
pub const EVIDENCE_THUMB_SIDE: u32 = 240;

/// An evidence photo made safe to keep: type told by content, decoded within the limits,
/// shrunk to [`EVIDENCE_SIDE`] and re-encoded (no EXIF, so no location), with a thumbnail.
/// Runs on a blocking thread with panics caught.
pub async fn evidence(bytes: Vec<u8>) -> Result<Portrait, PhotoError> {
    if bytes.len() > MAX_EVIDENCE_BYTES {
        return Err(PhotoError::EvidenceTooBig { size: bytes.len() });
    }
    crate::parsing::off_thread(move || {
        let (img, kind) = decode_unchecked(&bytes)?;
        Ok(Portrait {
            kind,
            image: encode(&fit(&img, EVIDENCE_SIDE), kind)?,
            thumb: encode(&fit(&img, EVIDENCE_THUMB_SIDE), kind)?,
        })
    })
    .await
    .unwrap_or(Err(PhotoError::Unreadable))
}

/// The bytes of a `data:…;base64,` URL, refused above the size limit before decoding.
fn data_url_bytes(url: &str) -> Result<Vec<u8>, PhotoError> {
    let data = url
        .strip_prefix("data:")
        .and_then(|rest| rest.split_once(";base64,"))
        .map(|(_, data)| data.trim())
        .ok_or(PhotoError::NotDataUrl)?;
    if data.len() > MAX_PHOTO_BYTES * 4 / 3 + 4 {
        return Err(PhotoError::TooBig {
            size: data.len() * 3 / 4,
        });
    }
    BASE64.decode(data).map_err(|_| PhotoError::NotDataUrl)
}

/// [`portrait`] of an uploaded `data:` URL, on a blocking thread with panics caught.
pub async fn portrait_from_data_url(url: String) -> Result<Portrait, PhotoError> {
    crate::parsing::off_thread(move || portrait(&data_url_bytes(&url)?))
        .await
        .unwrap_or(Err(PhotoError::Unreadable))
}

/// An uploaded `data:` URL made safe to keep: decoded, re-encoded, and written back as a
/// `data:` URL whose type is the one the content proved (the type the upload named is
/// ignored). Runs on a blocking thread with panics caught, as every parser of uploads does.
pub async fn clean_data_url(url: String) -> Result<String, PhotoError> {
    crate::parsing::off_thread(move || {
        let (clean, kind) = reencode(&data_url_bytes(&url)?)?;
        Ok(format!(
            "data:{};base64,{}",
            kind.mime(),
            BASE64.encode(clean)
        ))
    })
    .await
    .unwrap_or(Err(PhotoError::Unreadable))
}

/// The photo kept as a `data:` URL, answered as an image: the type comes from the bytes;
/// bytes that are no JPEG or PNG (kept before uploads were re-encoded) go out as a download.
pub fn serve(data_url: &str, name: &str) -> Option<Response> {
    let data = data_url.split_once(";base64,")?.1;
    Some(serve_bytes(BASE64.decode(data.trim()).ok()?, name))
}

/// Kept image bytes answered as an image: the type comes from the bytes (never from what
/// was stored beside them); anything that is no JPEG or PNG goes out as a download.
pub fn serve_bytes(bytes: Vec<u8>, name: &str) -> Response {
    let (mime, disposition) = match PhotoType::sniff(&bytes) {
        Some(kind) => (
            kind.mime(),
            format!("inline; filename=\"{name}.{}\"", kind.extension()),
        ),
        None => (
            "application/octet-stream",
            format!("attachment; filename=\"{name}.bin\""),
        ),
    };
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox".to_string(),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = DynamicImage::new_rgb8(w, h);
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn only_jpeg_and_png_by_content() {
        assert_eq!(
            reencode(b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
            Err(PhotoError::NotJpegOrPng)
        );
        assert_eq!(reencode(b"GIF89a...."), Err(PhotoError::NotJpegOrPng));
        // A PNG signature followed by HTML is not an image.
        let fake = [b"\x89PNG\r\n\x1a\n".as_slice(), b"<html><script>x</script>"].concat();
        assert_eq!(reencode(&fake), Err(PhotoError::Unreadable));
    }

    #[test]
    fn a_real_png_is_encoded_again() {
        let (out, kind) = reencode(&png(8, 6)).unwrap();
        assert_eq!(kind, PhotoType::Png);
        let back = image::load_from_memory(&out).unwrap();
        assert_eq!((back.width(), back.height()), (8, 6));
    }

    #[test]
    fn trailing_bytes_after_the_image_are_dropped() {
        let mut polyglot = png(4, 4);
        polyglot.extend_from_slice(b"<script>alert(document.cookie)</script>");
        let (out, _) = reencode(&polyglot).unwrap();
        assert!(!out.windows(7).any(|w| w == b"<script"));
    }

    #[test]
    fn huge_dimensions_are_refused_before_allocating() {
        // A tiny file that declares 100,000 × 100,000 pixels.
        let mut bomb = png(1, 1);
        // IHDR width and height sit at bytes 16..24; the CRC no longer matches either way.
        bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        assert_eq!(reencode(&bomb), Err(PhotoError::Unreadable));
    }

    #[tokio::test]
    async fn data_urls_name_the_proven_type() {
        let url = format!("data:image/svg+xml;base64,{}", BASE64.encode(png(2, 2)));
        let clean = clean_data_url(url).await.unwrap();
        assert!(clean.starts_with("data:image/png;base64,"), "{clean}");
        let svg = format!(
            "data:image/png;base64,{}",
            BASE64.encode(b"<svg onload=alert(1)>")
        );
        assert_eq!(clean_data_url(svg).await, Err(PhotoError::NotJpegOrPng));
        let crlf = "data:image/png\r\nX-Evil: 1;base64,AAAA".to_string();
        assert!(clean_data_url(crlf).await.is_err());
        assert_eq!(
            clean_data_url("http://example.com/a.png".into()).await,
            Err(PhotoError::NotDataUrl)
        );
    }

    #[test]
    fn served_with_the_type_the_bytes_prove() {
        let svg = format!(
            "data:image/svg+xml;base64,{}",
            BASE64.encode(b"<svg><script>alert(1)</script></svg>")
        );
        let r = serve(&svg, "observation-1").unwrap();
        assert_eq!(
            r.headers()[header::CONTENT_TYPE],
            "application/octet-stream"
        );
        assert!(
            r.headers()[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .starts_with("attachment")
        );
        assert_eq!(r.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        let ok = format!("data:image/gif;base64,{}", BASE64.encode(png(1, 1)));
        let r = serve(&ok, "observation-2").unwrap();
        assert_eq!(r.headers()[header::CONTENT_TYPE], "image/png");
    }

    #[test]
    fn a_portrait_is_shrunk_with_a_thumbnail_and_loses_its_exif() {
        // A JPEG with an APP1 (EXIF) segment carrying a GPS marker right after SOI.
        let img = DynamicImage::new_rgb8(1200, 800);
        let mut jpeg = Vec::new();
        img.write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)
            .unwrap();
        let exif = b"Exif\0\0GPSLatitude=38.9N";
        let len = (exif.len() + 2) as u16;
        let mut with_exif = vec![0xFF, 0xD8, 0xFF, 0xE1];
        with_exif.extend_from_slice(&len.to_be_bytes());
        with_exif.extend_from_slice(exif);
        with_exif.extend_from_slice(&jpeg[2..]);
        let p = portrait(&with_exif).unwrap();
        assert_eq!(p.kind, PhotoType::Jpeg);
        let big = image::load_from_memory(&p.image).unwrap();
        assert_eq!((big.width(), big.height()), (PORTRAIT_SIDE, 320));
        let small = image::load_from_memory(&p.thumb).unwrap();
        assert_eq!(small.width(), THUMB_SIDE);
        for out in [&p.image, &p.thumb] {
            assert!(!out.windows(4).any(|w| w == b"Exif"));
            assert!(!out.windows(3).any(|w| w == b"GPS"));
        }
        // A small PNG keeps its size and type.
        let p = portrait(&png(40, 30)).unwrap();
        assert_eq!(p.kind, PhotoType::Png);
        let same = image::load_from_memory(&p.image).unwrap();
        assert_eq!((same.width(), same.height()), (40, 30));
    }
}
