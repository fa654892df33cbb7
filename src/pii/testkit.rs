//! Test support: the substrings a matcher reports ([`hits_of`]), a growth check for
//! linear time ([`assert_linear`]) and `matcher_tests!`, which writes a matcher's table
//! tests (positives with the exact substrings found, near-miss negatives, hostile
//! inputs whose time must grow linearly).

use super::rule::Hit;

/// Makes a hostile input of `n` units.
pub type Make = fn(usize) -> String;

/// The substrings of `s` that the matcher `find` reports.
pub fn hits_of(s: &str, find: fn(&[u8], &mut Vec<Hit>)) -> Vec<&str> {
    let mut out = Vec::new();
    find(s.as_bytes(), &mut out);
    out.iter().map(|h| &s[h.start..h.end]).collect()
}

/// Asserts that `run` takes linear time in the size of `make(n)` (the crate's growth
/// check: growing `n` fourfold must not much more than quadruple the thread's CPU time).
pub fn assert_linear(what: &str, make: impl Fn(usize) -> String, run: impl Fn(&str)) {
    crate::growth::assert_linear(what, 1024, make, |s: &String| run(s));
}

/// Table tests for a matcher `fn(&[u8], &mut Vec<Hit>)`:
/// `matcher_tests!(find; positive: ["text" => ["hit"], …]; negative: ["text", …];
/// hostile: [|n| "…".repeat(n), …]);`
macro_rules! matcher_tests {
    ($find:path;
     positive: [$($pos:expr => [$($want:expr),* $(,)?]),* $(,)?];
     negative: [$($neg:expr),* $(,)?];
     hostile: [$($make:expr),* $(,)?] $(;)?) => {
        #[test]
        fn positive() {
            let cases: &[(&str, Vec<&str>)] = &[$(($pos, vec![$($want),*])),*];
            for (s, want) in cases {
                assert_eq!(&crate::pii::testkit::hits_of(s, $find), want, "{s}");
            }
        }

        #[test]
        fn negative() {
            for s in [$($neg),*] {
                let hits = crate::pii::testkit::hits_of(s, $find);
                assert!(hits.is_empty(), "{s}: {hits:?}");
            }
        }

        #[test]
        fn hostile_inputs_are_linear() {
            $(
                crate::pii::testkit::assert_linear(stringify!($make), $make, |s| {
                    let _ = crate::pii::testkit::hits_of(s, $find);
                });
            )*
        }
    };
}
