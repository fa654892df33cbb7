//! Replays every seed and every saved finding of `fuzz/corpus/<target>/` through the same
//! property checks the fuzz targets run (`fuzz/checks.rs`), so a plain `cargo test`
//! exercises the corpora even where libFuzzer (nightly) is not installed.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} has no seeds", dir.display());
    for file in files {
        let data = std::fs::read(&file).expect("a corpus file");
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(outcome.is_ok(), "{} fails its property", file.display());
    }
}

#[test]
fn dsn() {
    replay("dsn", checks::check_dsn);
}

#[test]
fn stack() {
    replay("stack", checks::check_stack);
}

#[test]
fn trace() {
    replay("trace", checks::check_trace);
}

#[test]
fn json_read() {
    replay("json_read", checks::check_json_read);
}

#[test]
fn json_write() {
    replay("json_write", checks::check_json_write);
}

#[test]
fn pii() {
    replay("pii", checks::check_pii);
}
