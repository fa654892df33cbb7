//! Test support: asserting that an operation's cost grows linearly with its input, by
//! comparing times at two sizes rather than against a wall-clock limit.
//!
//! Times are the test thread's own CPU time where the platform gives it (Linux), so the
//! waits of a loaded, shared machine (a longer run is more likely to be preempted) do not
//! count; elsewhere wall-clock time.

use std::time::Duration;

/// Runs per size; the median is compared.
const RUNS: usize = 5;
/// How many times larger the second input is.
const GROWTH: usize = 4;
/// Largest accepted time ratio when the input grows [`GROWTH`]-fold: linear work gives 4×,
/// quadratic 16×; the bound is their geometric mean, so noise of 2× either way decides nothing.
const MAX_RATIO: f64 = 8.0;
/// The smaller input is grown until one run of it takes this long, so timer resolution
/// and scheduling noise do not decide the ratio.
const MIN_BASE: Duration = Duration::from_millis(1);

#[cfg(target_os = "linux")]
fn now() -> Duration {
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut ts = Timespec { sec: 0, nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(ts.sec as u64, ts.nsec as u32)
}

#[cfg(not(target_os = "linux"))]
fn now() -> Duration {
    use std::sync::OnceLock;
    static START: OnceLock<std::time::Instant> = OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}

fn time<T>(input: &T, run: &impl Fn(&T)) -> Duration {
    let t = now();
    run(input);
    now().saturating_sub(t)
}

/// Median times of `run` over `small` and over `big`, their runs interleaved so that a
/// burst of load on the machine falls on both.
fn medians<T>(small: &T, big: &T, run: &impl Fn(&T)) -> (Duration, Duration) {
    let (mut a, mut b) = (Vec::with_capacity(RUNS), Vec::with_capacity(RUNS));
    for _ in 0..RUNS {
        a.push(time(small, run));
        b.push(time(big, run));
    }
    a.sort();
    b.sort();
    (a[RUNS / 2], b[RUNS / 2])
}

/// Asserts that `run` over `make(GROWTH × n)` takes at most [`MAX_RATIO`] times as long as over
/// `make(n)`, each the median of [`RUNS`] interleaved runs. `n` starts at `n0` and doubles (at most eight
/// times) until the smaller input takes [`MIN_BASE`]. The machine is shared, so the
/// pair is measured until two measurements agree: two within the bound pass, two over it
/// fail (at most three measurements).
pub(crate) fn assert_linear<T>(label: &str, n0: usize, make: impl Fn(usize) -> T, run: impl Fn(&T)) {
    // Timing checks run one at a time, so parallel tests do not measure each other.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut n = n0.max(1);
    let mut small = make(n);
    for _ in 0..8 {
        if time(&small, &run) >= MIN_BASE {
            break;
        }
        n *= 2;
        small = make(n);
    }
    let big = make(GROWTH * n);
    let (mut passed, mut failed) = (0, Vec::new());
    while passed < 2 && failed.len() < 2 {
        let (a, b) = medians(&small, &big, &run);
        if b.as_secs_f64() <= MAX_RATIO * a.as_secs_f64().max(1e-6) {
            passed += 1;
        } else {
            failed.push((a, b));
        }
    }
    if failed.len() == 2 {
        panic!("{label}: growing the input (n = {n} → {}) took {:?}, over {MAX_RATIO}× twice", GROWTH * n, failed);
    }
}

#[test]
fn a_quadratic_operation_fails_and_a_linear_one_passes() {
    let linear = |s: &Vec<u8>| {
        std::hint::black_box(s.iter().map(|&b| u64::from(b)).sum::<u64>());
    };
    assert_linear("linear", 1 << 16, |n| vec![1u8; n], linear);
    let quadratic = |s: &Vec<u8>| {
        let mut acc = 0u64;
        for i in 0..s.len() {
            for j in 0..s.len() {
                acc = acc.wrapping_add(u64::from(s[i] ^ s[j]));
            }
        }
        std::hint::black_box(acc);
    };
    let failed = std::panic::catch_unwind(|| assert_linear("quadratic", 256, |n| vec![1u8; n], quadratic));
    assert!(failed.is_err(), "a quadratic operation passed as linear");
}
