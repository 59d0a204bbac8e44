//! The customer's access code of a case (查询码): 8 characters drawn at random when the case
//! is registered, printed on the case page for staff to hand over, and asked for — with the
//! case number — by the public status page. Case numbers are sequential and phone digits are
//! few, so neither can be the key.
//!
//! The alphabet is Crockford's base 32: digits and capitals without I, L, O and U, so a code
//! read aloud or copied by hand survives; input is forgiving (lower case, spaces and dashes,
//! O for 0, I or L for 1). 32 symbols take 5 bits of a random byte each: no modulo bias, and
//! 8 of them give 40 bits.

/// The symbols of a code, each a 5-bit value.
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in a code.
pub const LEN: usize = 8;

/// The code made of `random` bytes (from the operating system's random source).
pub fn from_random(random: [u8; LEN]) -> String {
    random
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
        .collect()
}

/// The canonical form of what a customer typed, or `None` when it cannot be a code.
pub fn normalize(input: &str) -> Option<String> {
    let mut out = String::with_capacity(LEN);
    for c in input.chars() {
        let c = match c.to_ascii_uppercase() {
            ' ' | '-' | '\u{3000}' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) || out.len() == LEN {
            return None;
        }
        out.push(c);
    }
    (out.len() == LEN).then_some(out)
}

/// The code as printed: two groups of four, `K7QM-3XWD`.
pub fn display(code: &str) -> String {
    if code.len() == LEN && code.is_ascii() {
        format!("{}-{}", &code[..4], &code[4..])
    } else {
        code.to_string()
    }
}

/// Compares a stored code with a typed one in time independent of where they differ.
pub fn matches(stored: &str, typed: &str) -> bool {
    let Some(typed) = normalize(typed) else {
        return false;
    };
    stored.len() == LEN
        && stored
            .bytes()
            .zip(typed.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_the_unambiguous_alphabet_and_every_bit_of_five() {
        assert_eq!(from_random([0, 1, 31, 32, 255, 18, 20, 27]), "01Z0ZJMV");
        for c in ["I", "L", "O", "U"] {
            assert!(!std::str::from_utf8(ALPHABET).unwrap().contains(c));
        }
    }

    #[test]
    fn typing_is_forgiving_but_only_codes_pass() {
        assert_eq!(normalize("k7qm-3xwd").as_deref(), Some("K7QM3XWD"));
        assert_eq!(normalize(" K7QM 3XWD ").as_deref(), Some("K7QM3XWD"));
        assert_eq!(normalize("OIL0ABCD").as_deref(), Some("0110ABCD"));
        assert_eq!(normalize("K7QM3XW"), None, "too short");
        assert_eq!(normalize("K7QM3XWDD"), None, "too long");
        assert_eq!(normalize("K7QM3XWU"), None, "U is not a symbol");
        assert_eq!(normalize("K7QM3XW工"), None);
        assert_eq!(normalize("5678"), None, "phone digits are not a code");
    }

    #[test]
    fn codes_match_as_typed_and_print_in_two_groups() {
        assert!(matches("K7QM3XWD", "k7qm-3xwd"));
        assert!(!matches("K7QM3XWD", "K7QM3XWE"));
        assert!(
            !matches("", "K7QM3XWD"),
            "a case without a code never matches"
        );
        assert_eq!(display("K7QM3XWD"), "K7QM-3XWD");
    }
}
