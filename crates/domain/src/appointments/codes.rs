//! Booking codes, phone numbers and the phone check's codes.
//!
//! The web draws the random bytes; these functions turn them into codes and check what a
//! customer types. A booking code avoids 0/O and 1/I so it can be read out and typed from
//! a slip; a phone code is kept only as a hash.

use sha2::{Digest, Sha256};

/// The booking code's letters: digits and capitals without 0, O, 1 and I (32 of them).
pub const CODE_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// Booking codes are 8 letters (40 random bits).
pub const CODE_LEN: usize = 8;
/// A phone code lives 5 minutes.
pub const PHONE_CODE_TTL_MS: i64 = 5 * 60_000;
/// Wrong tries before a phone code is spent.
pub const PHONE_CODE_TRIES: i64 = 5;

/// A booking code from random bytes (one letter per byte).
pub fn booking_code(random: &[u8; CODE_LEN]) -> String {
    random
        .iter()
        .map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char)
        .collect()
}

/// What a customer typed or a scanner read, as a booking code: upper-cased, spaces and
/// dashes dropped, a scanned link's last part taken; `None` when it cannot be one.
pub fn normalize_code(input: &str) -> Option<String> {
    let last = input.trim().rsplit('/').next().unwrap_or("");
    let code: String = last
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// A mainland mobile number (11 digits starting with 1), spaces and dashes dropped.
pub fn normalize_phone(input: &str) -> Result<String, String> {
    let digits: String = input
        .trim()
        .trim_start_matches("+86")
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect();
    if digits.len() == 11 && digits.starts_with('1') && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err("请填写 11 位手机号码 · enter an 11-digit mobile number".into())
    }
}

/// A six-digit phone code from random bytes.
pub fn phone_code(random: [u8; 4]) -> String {
    format!("{:06}", u32::from_le_bytes(random) % 1_000_000)
}

/// The stored hash of a phone code: bound to the phone, so a hash says nothing about
/// another number's code.
pub fn phone_code_hash(phone: &str, code: &str) -> String {
    let digest = Sha256::digest(format!("servicehall-phone-code:{phone}:{}", code.trim()));
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
