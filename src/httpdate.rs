//! HTTP dates (RFC 9110 §5.6.7), as found in `Retry-After`.
//!
//! Recipients must accept all three forms, so this parser does:
//!
//! ```text
//! IMF-fixdate  Sun, 06 Nov 1994 08:49:37 GMT
//! RFC 850      Sunday, 06-Nov-94 08:49:37 GMT
//! asctime      Sun Nov  6 08:49:37 1994
//! ```
//!
//! The weekday name must be a real one but is not checked against the date. A two-digit
//! RFC 850 year is read as 19xx from 70 and as 20xx below it. Anything else is rejected.

/// The month and weekday names as space-separated texts (one string each in the data,
/// no table of slices), read by [`index_of`].
const MONTHS: &str = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec";
const DAYS: &str = "Mon Tue Wed Thu Fri Sat Sun";
const LONG_DAYS: &str = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday";

/// Where `name` is in the space-separated `list`, counted from 0.
fn index_of(list: &str, name: &str) -> Option<usize> {
    crate::text::split_byte(list, b' ').position(|n| n == name)
}

/// The three forms after the weekday, as templates read in one loop: `d` a digit of the
/// day (`p`: a digit or the space that pads a one-digit day), `n` a letter of the month,
/// `y` a digit of the year, `H` `i` `s` digits of the hour, minute and second; any other
/// character stands for itself. The lengths are fixed, so the text must be just as long.
const IMF_FIXDATE: &str = "dd nnn yyyy HH:ii:ss GMT";
const RFC850: &str = "dd-nnn-yy HH:ii:ss GMT";
const ASCTIME: &str = " nnn pd HH:ii:ss yyyy";

/// Parses an HTTP date into Unix milliseconds, or None when it is not one.
pub fn parse(input: &str) -> Option<f64> {
    let s = input.trim();
    if !s.is_ascii() {
        return None;
    }
    // The weekday picks the form; one read of the rest by that form's template.
    let (rest, template) = match crate::text::split_once(s, ", ") {
        Some((day, rest)) if index_of(DAYS, day).is_some() => (rest, IMF_FIXDATE),
        // A two-digit year: 19xx from 70, 20xx below.
        Some((day, rest)) if index_of(LONG_DAYS, day).is_some() => (rest, RFC850),
        Some(_) => return None,
        // `Sun Nov  6 08:49:37 1994`: the weekday, then the template.
        None if index_of(DAYS, s.get(..3)?).is_some() => (&s[3..], ASCTIME),
        None => return None,
    };
    read(rest, template)
}

/// Reads `s` by `template` (see [`IMF_FIXDATE`]) into Unix milliseconds.
fn read(s: &str, template: &str) -> Option<f64> {
    if s.len() != template.len() {
        return None;
    }
    // day, year, hour, minute, second
    let mut n = [0u32; 5];
    for (c, t) in s.bytes().zip(template.bytes()) {
        let field = match t {
            b'p' if c == b' ' => continue,
            b'd' | b'p' => 0,
            b'y' => 1,
            b'H' => 2,
            b'i' => 3,
            b's' => 4,
            b'n' => continue,
            _ if c == t => continue,
            _ => return None,
        };
        if !c.is_ascii_digit() {
            return None;
        }
        n[field] = n[field] * 10 + u32::from(c - b'0');
    }
    let [day, mut year, h, m, sec] = n;
    if template.len() == RFC850.len() {
        year += if year >= 70 { 1900 } else { 2000 };
    }
    let at = crate::text::find_byte(template, b'n')?;
    let month = index_of(MONTHS, &s[at..at + 3])? as u32 + 1;
    if h > 23 || m > 59 || sec > 60 {
        return None;
    }
    if day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year as i64, month, day);
    // A leap second (`:60`) is read as the second before it, so the last second of year
    // 9999 stays in range.
    let secs = days * 86_400 + (h * 3600 + m * 60 + sec.min(59)) as i64;
    Some(secs as f64 * 1000.0)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the inverse of `time`'s
/// `civil_from_days`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::rfc3339;

    const NOV_6_1994: f64 = 784_111_777_000.0;

    #[test]
    fn all_three_forms_of_the_same_instant() {
        assert_eq!(parse("Sun, 06 Nov 1994 08:49:37 GMT"), Some(NOV_6_1994));
        assert_eq!(parse("Sunday, 06-Nov-94 08:49:37 GMT"), Some(NOV_6_1994));
        assert_eq!(parse("Sun Nov  6 08:49:37 1994"), Some(NOV_6_1994));
        assert_eq!(parse("  Sun, 06 Nov 1994 08:49:37 GMT \t"), Some(NOV_6_1994), "surrounding space");
    }

    #[test]
    fn round_trips_through_the_formatter() {
        for (text, iso) in [
            ("Thu, 01 Jan 1970 00:00:00 GMT", "1970-01-01T00:00:00.000Z"),
            ("Tue, 29 Feb 2000 12:00:00 GMT", "2000-02-29T12:00:00.000Z"),
            ("Wed, 21 Oct 2015 07:28:00 GMT", "2015-10-21T07:28:00.000Z"),
            ("Fri, 31 Dec 2038 23:59:59 GMT", "2038-12-31T23:59:59.000Z"),
            ("Monday, 01-Jan-07 00:00:01 GMT", "2007-01-01T00:00:01.000Z"),
            ("Thu Feb 29 01:02:03 2024", "2024-02-29T01:02:03.000Z"),
            ("Sat Dec 31 23:59:59 2099", "2099-12-31T23:59:59.000Z"),
        ] {
            assert_eq!(rfc3339(parse(text).unwrap_or(-1.0)), iso, "{text}");
        }
    }

    #[test]
    fn a_leap_second_is_the_second_before_it() {
        assert_eq!(parse("Sun, 06 Nov 1994 08:49:60 GMT"), Some(NOV_6_1994 + 22_000.0));
        assert_eq!(parse("Sun, 06 Nov 1994 08:49:60 GMT"), parse("Sun, 06 Nov 1994 08:49:59 GMT"));
        // The last second of year 9999 stays in year 9999.
        assert_eq!(parse("Fri, 31 Dec 9999 23:59:60 GMT"), Some(253_402_300_799_000.0));
    }

    #[test]
    fn rejects_everything_else() {
        for bad in [
            "",
            "120",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Nov 1994 08:49:37",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 94 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:60:00 GMT",
            "Sun, 30 Feb 1994 08:49:37 GMT",
            "Sun, 29 Feb 1900 08:49:37 GMT",
            "Sun, 00 Nov 1994 08:49:37 GMT",
            "Xyz, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-1994 08:49:37 GMT",
            "Sun, 06-Nov-94 08:49:37 GMT",
            "Sun Nov 6 08:49:37 1994",
            "Sun Nov  6 08:49:37 94  ",
            "Sun, 06 Nov 1994 08:49:37 GMT extra",
            "Sün, 06 Nov 1994 08:49:37 GMT",
            "1994-11-06T08:49:37Z",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }
}
