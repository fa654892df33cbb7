//! Test support: the substrings a matcher reports ([`hits_of`]), a growth check for
//! linear time ([`assert_linear`]) and `matcher_tests!`, which writes a matcher's table
//! tests (positives with the exact substrings found, near-miss negatives, hostile
//! inputs whose time must grow linearly).

use std::sync::Mutex;
use std::time::Instant;

use super::rule::Hit;

/// Makes a hostile input of `n` units.
pub type Make = fn(usize) -> String;

/// The substrings of `s` that the matcher `find` reports.
pub fn hits_of(s: &str, find: fn(&[u8], &mut Vec<Hit>)) -> Vec<&str> {
    let mut out = Vec::new();
    find(s.as_bytes(), &mut out);
    out.iter().map(|h| &s[h.start..h.end]).collect()
}

/// Asserts that `run` takes linear time in the size of `make(n)`: doubling `n` must not
/// much more than double the time (quadratic work would quadruple it). `n` is raised until
/// a run takes a few milliseconds so timer noise does not dominate. Time is the thread's
/// CPU time where the system reports it; runs on `n` and `2n` alternate and the best of
/// each counts; timing checks run one at a time, and get three tries.
pub fn assert_linear(what: &str, make: impl Fn(usize) -> String, run: impl Fn(&str)) {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let once = |s: &str| {
        let (t, cpu) = (Instant::now(), cpu_seconds());
        run(s);
        match (cpu, cpu_seconds()) {
            (Some(a), Some(b)) => b - a,
            _ => t.elapsed().as_secs_f64(),
        }
    };
    let mut n = 1024;
    while n < 1 << 21 && once(&make(n)) < 0.003 {
        n *= 2;
    }
    let (small, large) = (make(n), make(2 * n));
    let mut ratios = Vec::new();
    for _ in 0..3 {
        let (mut a, mut b) = (f64::MAX, f64::MAX);
        for _ in 0..5 {
            a = a.min(once(&small));
            b = b.min(once(&large));
        }
        let ratio = b / a.max(1e-9);
        if ratio < 3.0 {
            return;
        }
        ratios.push(ratio);
    }
    panic!("{what}: time grows faster than the input (n = {n}, ratios for 2n/n: {ratios:?})");
}

/// CPU time of this thread in seconds (`CLOCK_THREAD_CPUTIME_ID`), so that time the
/// thread spends waiting for a core on a loaded machine does not count.
#[cfg(target_os = "linux")]
fn cpu_seconds() -> Option<f64> {
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut t = Timespec { sec: 0, nsec: 0 };
    // SAFETY: `t` is a valid, writable timespec for the call's duration.
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut t) };
    (rc == 0).then(|| t.sec as f64 + t.nsec as f64 / 1e9)
}

#[cfg(not(target_os = "linux"))]
fn cpu_seconds() -> Option<f64> {
    None
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


#[test]
#[should_panic(expected = "time grows faster than the input")]
fn the_growth_check_catches_quadratic_work() {
    assert_linear("quadratic", |n| "ab".repeat(n), |s| {
        let b = s.as_bytes();
        let mut count = 0usize;
        for i in 0..b.len() {
            count += b[i..].iter().filter(|&&c| c == b'a').count();
        }
        std::hint::black_box(count);
    });
}
