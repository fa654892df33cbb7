//! IBANs: an IBAN country code, two check digits and 11 to 30 letters or digits, with a
//! valid ISO 13616 mod-97 checksum. Written solid (`DE89370400440532013000`) or in the
//! printed form with groups of four (`DE89 3704 0044 0532 0130 00`, also with `-` or
//! `%20`), which Sentry's server does not recognise.
//!
//! Lowercase IBANs (`de89 3704 …`) are recognised too, with a stricter check so that
//! lowercase hex ids are kept: the country must be in the IBAN registry and the IBAN must
//! have that country's length (`de` 22, `fr` 27, …).

use super::scan::{at as at_bytes, byte, is_word, word_start};
use super::rule::{Hit, Rule};

/// IBAN country codes, each followed by its IBAN length (for lowercase IBANs): the IBAN
/// registry, then with `00` the partial-IBAN countries Relay lists (uppercase IBANs only).
/// Read at compile time only: the wasm holds it as [`MEMBERS`] and [`LENGTHS`].
const COUNTRIES: &[u8] = b"AD24AE23AL28AT20AZ28BA20BE16BG22BH22BI27BR29BY28CH21CR22CY28CZ24\
    DE22DJ27DK18DO28EE20EG29ES24FI18FK18FO18FR27GB22GE22GI23GL18GR27\
    GT28HR21HU28IE22IL23IQ23IS26IT27JO30KW30KZ20LB28LC32LI21LT20LU20\
    LV21LY25MC27MD24ME22MK19MN20MR27MT31MU30NI28NL18NO15OM23PK24PL28\
    PS29PT25QA29RO24RS22RU33SA24SC31SD18SE24SI19SK24SM27SO23ST25SV28\
    TL23TN24TR26UA29VA22VG24XK20YE30DZ00AO00BJ00BF00CV00CM00CF00TD00\
    KM00CG00CI00GQ00GA00GW00HN00IR00MG00ML00MA00MZ00NE00SN00TG00";

const MIN_LEN: usize = 15;
const MAX_LEN: usize = 34;

/// Finds IBANs in `s`.
pub fn find(s: &[u8], out: &mut Vec<Hit>) {
    let mut i = 0;
    while i + 4 <= s.len() {
        if s[i].is_ascii_alphabetic() && word_start(s, i) {
            if let Some(len) = head(s, i) {
                let end = at(s, i, s[i].is_ascii_lowercase(), len);
                if end > 0 {
                    Hit::push(out, i, end, Rule::Iban);
                    i = end;
                    continue;
                }
            }
        }
        i += 1;
    }
}

/// Country code (both letters in the same case) and two check digits at `i`: the
/// country's registry length (0 for a partial-IBAN country).
fn head(s: &[u8], i: usize) -> Option<usize> {
    // the four bytes, cut once (one bounds check for all four reads)
    let h = &s[i..i + 4];
    let ok = h[1].is_ascii_alphabetic()
        && h[0].is_ascii_lowercase() == h[1].is_ascii_lowercase()
        && h[2].is_ascii_digit()
        && h[3].is_ascii_digit();
    if !ok {
        return None;
    }
    let code = usize::from((h[0] | 0x20) - b'a') * 26 + usize::from((h[1] | 0x20) - b'a');
    if MEMBERS[code / 8] & (1 << (code % 8)) == 0 {
        return None;
    }
    // the rank of the code among the members
    let mut rank = (MEMBERS[code / 8] & ((1 << (code % 8)) - 1)).count_ones() as usize;
    for m in &MEMBERS[..code / 8] {
        rank += m.count_ones() as usize;
    }
    Some(usize::from(LENGTHS[rank]))
}

/// The country codes of [`COUNTRIES`] as a set of two-letter codes (bit `26 * a + b`),
/// made at compile time.
const MEMBERS: [u8; 85] = members();

/// The registry lengths of [`COUNTRIES`] in the order of their codes (by [`MEMBERS`] rank).
const LENGTHS: [u8; COUNTRIES.len() / 4] = lengths();

/// The position in [`COUNTRIES`] of the code numbered `code`, if listed.
const fn position(code: usize) -> Option<usize> {
    let mut k = 0;
    while k < COUNTRIES.len() {
        if (COUNTRIES[k] - b'A') as usize * 26 + (COUNTRIES[k + 1] - b'A') as usize == code {
            return Some(k);
        }
        k += 4;
    }
    None
}

const fn members() -> [u8; 85] {
    let mut out = [0u8; 85];
    let mut code = 0;
    while code < 26 * 26 {
        if position(code).is_some() {
            out[code / 8] |= 1 << (code % 8);
        }
        code += 1;
    }
    out
}

const fn lengths() -> [u8; COUNTRIES.len() / 4] {
    let mut out = [0u8; COUNTRIES.len() / 4];
    let (mut code, mut n) = (0, 0);
    while code < 26 * 26 {
        if let Some(k) = position(code) {
            out[n] = (COUNTRIES[k + 2] - b'0') * 10 + COUNTRIES[k + 3] - b'0';
            n += 1;
        }
        code += 1;
    }
    out
}

/// The end of a valid IBAN starting at `start`, solid or grouped by single separators
/// (0 for none: an IBAN has 15 characters or more).
/// `lower`: the country code is lowercase, so the length must be `registry`, the
/// country's (and a partial-IBAN country, registry length 0, is no IBAN).
fn at(s: &[u8], start: usize, lower: bool, registry: usize) -> usize {
    let want = if lower { Some(registry).filter(|&n| n > 0) } else { None };
    if lower && want.is_none() {
        return 0;
    }
    let mut chars = [0u8; MAX_LEN];
    let mut n = 0;
    let mut i = start;
    let mut best = 0;
    loop {
        // one group: a run of letters and digits
        let g = i;
        while i < s.len() && s[i].is_ascii_alphanumeric() && n < MAX_LEN {
            chars[n] = s[i];
            n += 1;
            i += 1;
        }
        if i < s.len() && is_word(s[i]) {
            return best; // the word goes on (too long, or `_`): not an IBAN here
        }
        if n >= MIN_LEN && want.is_none_or(|w| w == n) && checksum(&chars[..n]) {
            best = i;
        }
        // printed form: groups of four separated by one space
        let grouped = i - g == 4 && n < MAX_LEN;
        let sep = if matches!(s.get(i), Some(b' ' | b'-')) {
            1
        } else if at_bytes(s, i, b"%20") {
            3
        } else {
            0
        };
        if grouped && sep > 0 && byte(s, i + sep).is_ascii_alphanumeric() {
            i += sep;
            continue;
        }
        return best;
    }
}

/// ISO 13616: move the first four characters to the end, letters to 10..35, mod 97 == 1.
fn checksum(iban: &[u8]) -> bool {
    let mut rem: u32 = 0;
    let n = iban.len();
    for k in 4..n + 4 {
        let c = iban[if k < n { k } else { k - n }];
        let v = match c {
            b'0'..=b'9' => (c - b'0') as u32,
            b'A'..=b'Z' => (c - b'A') as u32 + 10,
            b'a'..=b'z' => (c - b'a') as u32 + 10,
            _ => return false,
        };
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    rem == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    matcher_tests!(find;
        positive: [
            "DE89370400440532013000" => ["DE89370400440532013000"],
            "iban: GB82WEST12345698765432." => ["GB82WEST12345698765432"],
            "DE89 3704 0044 0532 0130 00 end" => ["DE89 3704 0044 0532 0130 00"],
            "FR1420041010050500013M02606" => ["FR1420041010050500013M02606"],
            "NO9386011117947" => ["NO9386011117947"],
            "\"CH9300762011623852957\"" => ["CH9300762011623852957"],
            "x%3DDE89%203704%200044%200532%200130%2000%26" => ["DE89%203704%200044%200532%200130%2000"],
            // lowercase and spaced
            "iban de89370400440532013000." => ["de89370400440532013000"],
            "de89 3704 0044 0532 0130 00" => ["de89 3704 0044 0532 0130 00"],
            "gb82 west 1234 5698 7654 32" => ["gb82 west 1234 5698 7654 32"],
            "GB82 WEST 1234 5698 7654 32" => ["GB82 WEST 1234 5698 7654 32"],
            "DE89-3704-0044-0532-0130-00" => ["DE89-3704-0044-0532-0130-00"],
            "no9386011117947" => ["no9386011117947"],
            "ye15cbye0001018861234567891234" => ["ye15cbye0001018861234567891234"],
            // a partial-IBAN country: uppercase only
            "DZ505800012345678901234567" => ["DZ505800012345678901234567"],
        ];
        negative: [
            "DE89370400440532013001",  // bad checksum
            "ZZ89370400440532013000",  // not a country
            "XDE89370400440532013000", // inside a word
            "DE89370400440532013000_x",
            "DE89 3704",
            "DEADBEEF00112233445566778899",
            "AB12CD34EF56",
            "de89370400440532013001",       // bad checksum
            "de8937040044053201300",        // lowercase needs the registry length (22)
            "dE89370400440532013000",       // mixed-case country code
            "be38d2f1a6c4e7b90a12",         // hex id
            "ad71f3c2e9b04d5a8f6e1c3b7a9d2e40", // hex id, 32 characters
            "DE89--3704-0044-0532-0130-00",
            "dz505800012345678901234567",   // lowercase needs a registry country
        ];
        hostile: [|n| "DE89 ".repeat(n), |n| "DE89".repeat(n), |n| "DE891234 ".repeat(n), |n| "de89-".repeat(n), |n| "de89 3704 ".repeat(n)];
    );
}
