//! The virtual clock's units and kubectl's human-readable durations.

/// Virtual time in milliseconds since the simulated cluster started.
pub type Millis = u64;

pub const SECOND: Millis = 1_000;
pub const MINUTE: Millis = 60 * SECOND;
pub const HOUR: Millis = 60 * MINUTE;

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

#[cfg(test)]
mod tests {
    use super::*;

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
