//! Masking personal data on screens and in exports unless the role needs it.

/// `13812341234` → `138****1234`; shorter numbers keep only their last 4 digits.
pub fn phone(p: &str) -> String {
    let chars: Vec<char> = p.chars().collect();
    match chars.len() {
        0 => String::new(),
        n if n >= 11 => {
            let head: String = chars[..3].iter().collect();
            let tail: String = chars[n - 4..].iter().collect();
            format!("{head}****{tail}")
        }
        n if n > 4 => format!("****{}", chars[n - 4..].iter().collect::<String>()),
        _ => "****".into(),
    }
}

/// An account number shows its last 4 digits only.
pub fn account(a: &str) -> String {
    let chars: Vec<char> = a.chars().collect();
    match chars.len() {
        0 => String::new(),
        n if n > 4 => format!("****{}", chars[n - 4..].iter().collect::<String>()),
        _ => "****".into(),
    }
}

/// `张三丰` → `张**`: the surname stays, the given name is hidden.
pub fn name(n: &str) -> String {
    let mut chars = n.trim().chars();
    match chars.next() {
        None => String::new(),
        Some(first) => {
            let rest = chars.count().max(1);
            format!("{first}{}", "*".repeat(rest))
        }
    }
}

/// The last 4 digits of a phone number, as the public status page asks for them.
pub fn phone_last4(p: &str) -> String {
    let digits: Vec<char> = p.chars().filter(char::is_ascii_digit).collect();
    digits[digits.len().saturating_sub(4)..].iter().collect()
}
