//! The virtual clock's units and kubectl's human-readable durations.

/// Virtual time in milliseconds since the simulated cluster started.
pub type Millis = u64;

pub const SECOND: Millis = 1_000;
pub const MINUTE: Millis = 60 * SECOND;
pub const HOUR: Millis = 60 * MINUTE;

/// Parses a non-negative decimal such as `10`, `0.5` or `2.25` as a count of
/// `unit` milliseconds (fractions below a millisecond are dropped). Hand-written
/// instead of `str::parse::<f64>`: it keeps float parsing and printing, some
/// 6 KiB gzip, out of the wasm bundle.
pub fn parse_decimal(text: &str, unit: Millis) -> Option<Millis> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if !whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: Millis = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let mut value = whole.checked_mul(unit)?;
    let mut scale = unit;
    for digit in fraction.bytes().take(9) {
        scale /= 10;
        value = value.checked_add(Millis::from(digit - b'0') * scale)?;
    }
    Some(value)
}

/// kubectl's AGE / "(… ago)" format, apimachinery `HumanDuration` (reference §8.9).
/// Takes a signed duration in milliseconds so clock skew prints like kubectl does.
pub fn human_duration(elapsed_ms: i64) -> String {
    let seconds = elapsed_ms.div_euclid(1000);
    if seconds < -1 {
        return "<invalid>".into();
    }
    if seconds < 0 {
        return "0s".into();
    }
    if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 { format!("{minutes}m") } else { format!("{minutes}m{s}s") };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 { format!("{hours}h") } else { format!("{hours}h{m}m") };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    let days = hours / 24;
    if days < 8 {
        let h = hours % 24;
        return if h == 0 { format!("{days}d") } else { format!("{days}d{h}h") };
    }
    if days < 365 * 2 {
        return format!("{days}d");
    }
    let years = days / 365;
    if years < 8 {
        let d = days % 365;
        return if d == 0 { format!("{years}y") } else { format!("{years}y{d}d") };
    }
    format!("{years}y")
}

/// Wall-clock date of virtual time 0: the simulated cluster "started" then.
pub const EPOCH_UNIX_SECONDS: i64 = 1_742_150_000; // 2025-03-16T18:33:20Z

/// `2025-03-16T19:46:41Z` for a virtual time.
pub fn rfc3339(at: Millis) -> String {
    let (year, month, day, hour, minute, second, _) = civil(at);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
}

/// `Sun, 16 Mar 2025 19:46:41 +0000` (describe's RFC1123Z).
pub fn rfc1123z(at: Millis) -> String {
    let d = DateParts::of(at);
    format!("{}, {:02} {} {:04} {} +0000", d.weekday, d.day, d.month, d.year, d.time)
}

/// `Sun Mar 16 18:33:20 UTC 2025`, as `date` prints in a container.
pub fn unix_date(at: Millis) -> String {
    let d = DateParts::of(at);
    format!("{} {} {:02} {} UTC {}", d.weekday, d.month, d.day, d.time, d.year)
}

/// Go's `time.ANSIC`, `Sun Mar 16 18:33:20 2025` (a day below 10 after two spaces),
/// as Helm prints LAST DEPLOYED.
pub fn ansic(at: Millis) -> String {
    let d = DateParts::of(at);
    format!("{} {} {:>2} {} {}", d.weekday, d.month, d.day, d.time, d.year)
}

/// Go's `time.Time.String()` in UTC, `2025-03-16 18:33:20.25 +0000 UTC` (the
/// fraction only when there is one), as `helm list` prints UPDATED.
pub fn go_time_string(at: Millis) -> String {
    let (year, month, day, hour, minute, second, _) = civil(at);
    let fraction = match at % 1000 {
        0 => String::new(),
        ms => format!(".{ms:03}").trim_end_matches('0').to_string(),
    };
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}{fraction} +0000 UTC")
}

/// `16/Mar/2025:18:33:20 +0000`, the access-log (common log format) timestamp.
pub fn common_log_date(at: Millis) -> String {
    let d = DateParts::of(at);
    format!("{:02}/{}/{:04}:{} +0000", d.day, d.month, d.year, d.time)
}

/// The pieces the date formats above share.
struct DateParts {
    weekday: &'static str,
    day: i64,
    month: &'static str,
    year: i64,
    /// `18:33:20`
    time: String,
}

impl DateParts {
    fn of(at: Millis) -> DateParts {
        const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
        const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        let (year, month, day, hour, minute, second, days) = civil(at);
        DateParts {
            weekday: DAYS[days.rem_euclid(7) as usize],
            day,
            month: MONTHS[(month - 1) as usize],
            year,
            time: format!("{hour:02}:{minute:02}:{second:02}"),
        }
    }
}

/// (year, month, day, hour, minute, second, days since 1970-01-01).
fn civil(at: Millis) -> (i64, i64, i64, i64, i64, i64, i64) {
    let seconds = EPOCH_UNIX_SECONDS + (at / 1000) as i64;
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, rest / 3600, (rest / 60) % 60, rest % 60, days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_rfc3339_and_rfc1123z_from_the_virtual_epoch() {
        assert_eq!(rfc3339(0), "2025-03-16T18:33:20Z");
        assert_eq!(rfc1123z(0), "Sun, 16 Mar 2025 18:33:20 +0000");
        assert_eq!(unix_date(0), "Sun Mar 16 18:33:20 UTC 2025");
        assert_eq!(common_log_date(0), "16/Mar/2025:18:33:20 +0000");
        assert_eq!(rfc3339(86_400_000 * 20), "2025-04-05T18:33:20Z");
    }

    #[test]
    fn decimals_parse_to_milliseconds() {
        assert_eq!(parse_decimal("10", SECOND), Some(10_000));
        assert_eq!(parse_decimal("0.5", SECOND), Some(500));
        assert_eq!(parse_decimal(".25", SECOND), Some(250));
        assert_eq!(parse_decimal("2.5", MINUTE), Some(150_000));
        assert_eq!(parse_decimal("-1", SECOND), None);
        assert_eq!(parse_decimal("1e3", SECOND), None);
        assert_eq!(parse_decimal("99999999999999999999", SECOND), None);
    }

    const DAY: i64 = 24 * HOUR as i64;

    fn age(ms: i64) -> String {
        human_duration(ms)
    }

    #[test]
    fn rule_8_9_age_formatting_follows_every_row_of_the_table() {
        let s = SECOND as i64;
        let m = MINUTE as i64;
        let h = HOUR as i64;
        // s < −1 → <invalid>; −1 ≤ s < 0 → 0s
        assert_eq!(age(-2 * s - 1), "<invalid>");
        assert_eq!(age(-500), "0s");
        // 0 ≤ s < 120 → Ns
        assert_eq!(age(0), "0s");
        assert_eq!(age(54 * s + 999), "54s");
        assert_eq!(age(119 * s), "119s");
        // 2 min ≤ t < 10 min → XmYs or Xm
        assert_eq!(age(2 * m), "2m");
        assert_eq!(age(5 * m + 2 * s), "5m2s");
        assert_eq!(age(9 * m + 59 * s), "9m59s");
        // 10 min ≤ t < 3 h → Xm
        assert_eq!(age(10 * m + 30 * s), "10m");
        assert_eq!(age(179 * m), "179m");
        // 3 h ≤ t < 8 h → XhYm or Xh
        assert_eq!(age(3 * h), "3h");
        assert_eq!(age(5 * h + 36 * m), "5h36m");
        // 8 h ≤ t < 48 h → Xh
        assert_eq!(age(8 * h + 59 * m), "8h");
        assert_eq!(age(47 * h), "47h");
        // 2 d ≤ t < 8 d → XdYh or Xd
        assert_eq!(age(2 * DAY), "2d");
        assert_eq!(age(7 * DAY + 19 * h), "7d19h");
        // 8 d ≤ t < 2 y → Xd
        assert_eq!(age(8 * DAY), "8d");
        assert_eq!(age(400 * DAY), "400d");
        // 2 y ≤ t < 8 y → XyYd or Xy
        assert_eq!(age(2 * 365 * DAY + 3 * DAY), "2y3d");
        assert_eq!(age(3 * 365 * DAY), "3y");
        // ≥ 8 y → Xy
        assert_eq!(age(9 * 365 * DAY + 100 * DAY), "9y");
    }
}
