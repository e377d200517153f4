//! How a plain scalar resolves (null, bool, integer, float or string), as
//! serde_yaml resolved it.

use super::*;

pub(super) fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

/// A plain scalar as serde_yaml resolved it: null, bool, integer, float or
/// string. Integers past u64/i64 were errors there (serde's u128/i128).
pub(super) fn plain_value(text: String) -> Result<Value, String> {
    if is_null(&text) {
        return Ok(Value::Null);
    }
    match text.as_str() {
        "true" | "True" | "TRUE" => return Ok(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Ok(Value::Bool(false)),
        _ => {}
    }
    if let Some(n) = int(&text)? {
        return Ok(Value::Number(n));
    }
    Ok(match float(&text) {
        Some(f) if !leading_zero(&text) => Value::Number(Number::Float(f)),
        _ => Value::String(text),
    })
}

/// `012`: digits after a leading zero are a string in YAML 1.2.
pub(super) fn leading_zero(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Decimal, `0x`, `0o` or `0b` integers with an optional sign; `Err` for
/// those that fit only 128 bits, with serde's message.
pub(super) fn int(text: &str) -> Result<Option<Number>, String> {
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = match body.get(..2) {
        Some("0x") => (16, &body[2..]),
        Some("0o") => (8, &body[2..]),
        Some("0b") => (2, &body[2..]),
        _ if leading_zero(text) => return Ok(None),
        _ => (10, body),
    };
    if digits.is_empty() {
        return Ok(None);
    }
    let mut n: u128 = 0;
    for c in digits.chars() {
        let next = c.to_digit(radix).and_then(|d| n.checked_mul(u128::from(radix))?.checked_add(u128::from(d)));
        match next {
            Some(next) => n = next,
            None => return Ok(None),
        }
    }
    let too_big =
        |sign: &str, bits: &str| Err(format!("invalid type: integer `{sign}{n}` as {bits}, expected any YAML value"));
    if !negative {
        return match u64::try_from(n) {
            Ok(u) => Ok(Some(Number::PosInt(u))),
            Err(_) => too_big("", "u128"),
        };
    }
    match n {
        0 => Ok(Some(Number::PosInt(0))),
        _ if n <= 1 << 63 => Ok(Some(Number::NegInt((n as i128).wrapping_neg() as i64))),
        _ if n <= 1 << 127 => too_big("-", "i128"),
        _ => Ok(None),
    }
}

/// A finite float as serde_yaml printed it (ryu's shortest form: `1e3` →
/// `1000.0`, `.5` → `0.5`, `1e-7` → `1e-7`), from its decimal text without
/// float arithmetic (exact up to 15 significant digits); `None` if not a float.
pub(super) fn float(text: &str) -> Option<String> {
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    match body {
        ".inf" | ".Inf" | ".INF" => return Some(if negative { "-.inf" } else { ".inf" }.into()),
        ".nan" | ".NaN" | ".NAN" if body.len() == text.len() => return Some(".nan".into()),
        _ => {}
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if (whole.is_empty() && fraction.is_empty()) || !whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut exp: i64 = 0;
    if let Some(e) = exponent {
        let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        exp = digits.bytes().fold(0, |n, b| (n * 10 + i64::from(b - b'0')).min(1_000_000));
        if e.starts_with('-') {
            exp = -exp;
        }
    }
    let all: String = whole.chars().chain(fraction.chars()).collect();
    exp -= fraction.len() as i64;
    let digits = all.trim_start_matches('0');
    let kept = digits.trim_end_matches('0');
    exp += (digits.len() - kept.len()) as i64;
    let sign = if negative { "-" } else { "" };
    let length = kept.len() as i64;
    let point = length + exp;
    if kept.is_empty() || point < -323 {
        return Some(format!("{sign}0.0"));
    }
    if point > 309 || (point == 309 && kept > "17976931348623157") {
        return None;
    }
    let zeros = |n: i64| "0".repeat(n as usize);
    Some(if exp >= 0 && point <= 16 {
        format!("{sign}{kept}{}.0", zeros(exp))
    } else if 0 < point && point <= 16 {
        format!("{sign}{}.{}", &kept[..point as usize], &kept[point as usize..])
    } else if -5 < point && point <= 0 {
        format!("{sign}0.{}{kept}", zeros(-point))
    } else if length == 1 {
        format!("{sign}{kept}e{}", point - 1)
    } else {
        format!("{sign}{}.{}e{}", &kept[..1], &kept[1..], point - 1)
    })
}
