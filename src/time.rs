//! Calendar arithmetic for timestamps handed in by the host.
//!
//! The core never reads a clock: callers pass Unix milliseconds (from `Date.now()` in
//! the shim, or a fixed value in tests) and this module renders them as RFC 3339 UTC.

/// Formats Unix milliseconds as `YYYY-MM-DDTHH:MM:SS.mmmZ` (RFC 3339, UTC).
/// Values before 1970 or not finite are clamped to the epoch.
pub fn rfc3339(unix_ms: f64) -> String {
    let mut out = Vec::with_capacity(24);
    push_rfc3339(&mut out, unix_ms);
    crate::text::utf8(out)
}

/// Writes [`rfc3339`] of `unix_ms` as a JSON string (quoted; it needs no escapes).
pub fn write_rfc3339(out: &mut Vec<u8>, unix_ms: f64) {
    out.push(b'"');
    push_rfc3339(out, unix_ms);
    out.push(b'"');
}

/// Appends the text of [`rfc3339`] to `out`.
fn push_rfc3339(out: &mut Vec<u8>, unix_ms: f64) {
    let ms = if unix_ms.is_finite() && unix_ms > 0.0 { unix_ms as u64 } else { 0 };
    let secs = ms / 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    push_num(out, y as u64, 4);
    out.push(b'-');
    push_num(out, m as u64, 2);
    out.push(b'-');
    push_num(out, d as u64, 2);
    out.push(b'T');
    push_num(out, rem / 3600, 2);
    out.push(b':');
    push_num(out, rem % 3600 / 60, 2);
    out.push(b':');
    push_num(out, rem % 60, 2);
    out.push(b'.');
    push_num(out, ms % 1000, 3);
    out.push(b'Z');
}

/// Unix milliseconds as the float seconds Sentry accepts for `timestamp`.
pub fn unix_seconds(unix_ms: f64) -> f64 {
    if unix_ms.is_finite() && unix_ms > 0.0 {
        crate::json::write::round(unix_ms / 1000.0 * 1000.0) / 1000.0
    } else {
        0.0
    }
}

/// Appends the decimal digits of `n`, with leading zeros up to `width` digits.
fn push_num(out: &mut Vec<u8>, n: u64, width: usize) {
    // A zero for each place from the `width`-th down to the first beyond `n`'s digits.
    let mut place = 1;
    for _ in 1..width {
        place *= 10;
    }
    while place > n.max(1) {
        out.push(b'0');
        place /= 10;
    }
    crate::json::write::uint(out, n);
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(rfc3339(0.0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(951_782_400_000.0), "2000-02-29T00:00:00.000Z");
        assert_eq!(rfc3339(1_700_000_000_123.0), "2023-11-14T22:13:20.123Z");
        assert_eq!(rfc3339(4_102_444_799_999.0), "2099-12-31T23:59:59.999Z");
    }

    #[test]
    fn clamps_nonsense() {
        assert_eq!(rfc3339(f64::NAN), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(-5.0), "1970-01-01T00:00:00.000Z");
        assert_eq!(unix_seconds(1_700_000_000_123.0), 1_700_000_000.123);
    }
}
