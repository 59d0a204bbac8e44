//! Ticket numbers: business prefix + at least three digits, per hall and hall-local day.
//! A999 is followed by A1000: the number widens, it never wraps.

/// Formats the `n`-th ticket of the day for a prefix: `("A", 7)` → `A007`.
pub fn format_number(prefix: &str, n: i64) -> String {
    format!("{prefix}{n:03}")
}

/// Checks a business-type prefix: one or two ASCII capital letters, readable on a display.
pub fn validate_prefix(prefix: &str) -> Result<(), String> {
    let ok = (1..=2).contains(&prefix.len()) && prefix.bytes().all(|b| b.is_ascii_uppercase());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "号票字头须为一到两个大写字母 A–Z ticket prefix must be one or two capital letters A–Z (got {prefix:?})"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_to_three_digits_then_widens() {
        assert_eq!(format_number("A", 1), "A001");
        assert_eq!(format_number("B", 42), "B042");
        assert_eq!(format_number("A", 999), "A999");
        assert_eq!(format_number("A", 1000), "A1000");
        assert_eq!(format_number("JF", 12345), "JF12345");
    }

    #[test]
    fn prefixes_are_capital_letters() {
        assert!(validate_prefix("A").is_ok());
        assert!(validate_prefix("GF").is_ok());
        assert!(validate_prefix("").is_err());
        assert!(validate_prefix("a").is_err());
        assert!(validate_prefix("ABC").is_err());
        assert!(validate_prefix("A1").is_err());
    }
}
