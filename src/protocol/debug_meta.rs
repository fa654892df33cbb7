//! `debug_meta.images`: which build each file of an event's frames came from, so the
//! server can symbolicate them. Two kinds:
//!
//! | `type` | from the capture input | fields |
//! |---|---|---|
//! | `sourcemap` | `debugIds`: `{"<file>": "<debug id>"}` (what `sentry-cli sourcemaps inject` wrote) | `code_file`, `debug_id` |
//! | `wasm` | `wasm`: `{"<module URL>": {"buildId": "<hex>", "debugFile": "<URL>"}}` | `code_file`, `code_id`, `debug_id`, `debug_file` |
//!
//! The shim passes only files that appear in the event's stack strings. `code_file` goes
//! through the same scrubbing rules as a frame's `abs_path` (done by the caller), so the
//! server can still match the image to its frames. Malformed entries are skipped.
//!
//! A sourcemap image is found by the server through the frame's file. A wasm frame's
//! address only means something relative to its module, so each wasm frame whose module
//! is an image says which one: [`link_frames`] sets `addr_mode` to `rel:<index>`, the
//! image's position in the array [`write`] writes (`@sentry/wasm` does the same).
//! Frames of modules with no image keep `instruction_addr` alone.

use crate::json::read;
use crate::json::write::{Arr, Obj};
use crate::stacktrace::{frame_filename, Frame};

/// Images written at most per event.
pub const MAX_IMAGES: usize = 100;
/// Longest `code_file` kept (longer ones cannot be a frame's file either).
const MAX_FILE_CHARS: usize = 2048;

/// One debug image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Image {
    /// A JavaScript file whose source map is known by a debug id.
    SourceMap {
        /// The file as it appears in stack frames.
        code_file: String,
        /// The debug id, lower-case UUID.
        debug_id: String,
    },
    /// A WebAssembly module.
    Wasm {
        /// The module's URL.
        code_file: String,
        /// The module's `build_id` custom section, as hex.
        code_id: String,
        /// The `external_debug_info` URL, if the module names one.
        debug_file: Option<String>,
    },
}

impl Image {
    /// The file this image describes.
    pub fn code_file(&self) -> &str {
        match self {
            Image::SourceMap { code_file, .. } | Image::Wasm { code_file, .. } => code_file,
        }
    }

    /// Replaces the file (after scrubbing).
    pub fn set_code_file(&mut self, file: String) {
        match self {
            Image::SourceMap { code_file, .. } | Image::Wasm { code_file, .. } => *code_file = file,
        }
    }
}

/// A debug id as Sentry expects it: a UUID (with or without dashes), lower-cased.
fn debug_id(text: &str) -> Option<String> {
    let mut out = String::with_capacity(36);
    for b in text.bytes().filter(|b| *b != b'-') {
        if !b.is_ascii_hexdigit() || out.len() == 36 {
            return None;
        }
        if matches!(out.len(), 8 | 13 | 18 | 23) {
            out.push('-');
        }
        out.push(b.to_ascii_lowercase() as char);
    }
    (out.len() == 36).then_some(out)
}

/// A wasm build id (hex, even length, at most 64 bytes).
fn build_id(text: &str) -> Option<String> {
    let ok = text.len().is_multiple_of(2) && text.len() <= 128 && crate::text::all_hex(text);
    ok.then(|| text.to_ascii_lowercase())
}

fn file_ok(file: &str) -> bool {
    !file.is_empty() && crate::text::char_count(file) <= MAX_FILE_CHARS
}

/// Reads the input's `debugIds` and `wasm` members (raw JSON text of each, if present).
pub fn read_images(debug_ids: Option<&str>, wasm: Option<&str>) -> Vec<Image> {
    // WebAssembly modules' images only with `wasm-images`.
    #[cfg(not(feature = "wasm-images"))]
    let wasm: Option<&str> = {
        let _ = wasm;
        None
    };
    let mut out = Vec::new();
    // Both maps in one loop: source map files first, then wasm modules.
    for (map, is_wasm) in [(debug_ids, false), (wasm, true)] {
        for (file, value) in &map.and_then(read::members).unwrap_or_default() {
            let (file, value) = (file.text(), *value);
            if out.len() >= MAX_IMAGES {
                break;
            }
            if !file_ok(&file) {
                continue;
            }
            let image = if is_wasm {
                let Some(code_id) = read::field(value, "buildId").and_then(read::string).and_then(|s| build_id(&s)) else { continue };
                let debug_file = read::field(value, "debugFile").and_then(read::owned_string).filter(|s| file_ok(s));
                Image::Wasm { code_file: file.into_owned(), code_id, debug_file }
            } else {
                let Some(debug_id) = read::string(value).and_then(|s| debug_id(&s)) else { continue };
                Image::SourceMap { code_file: file.into_owned(), debug_id }
            };
            out.push(image);
        }
    }
    out
}

/// Points every WebAssembly frame at the `wasm` image of its module: `frame.image` becomes
/// that image's index in `images`, which must be the array [`write`] is given, in the
/// same order. A frame's file is compared with the image's file as frames name it
/// (`file://` URLs read as Node names them), before either is scrubbed. Frames of
/// modules without an image, and JavaScript frames, are left as they are.
pub fn link_frames(frames: &mut [Frame], images: &[Image]) {
    for frame in frames.iter_mut().filter(|f| f.instruction_addr.is_some()) {
        let Some(file) = frame.filename.as_deref() else { continue };
        let mut i = 0;
        while i < images.len() && !matches!(&images[i], Image::Wasm { code_file, .. } if frame_filename(code_file) == file) {
            i += 1;
        }
        frame.image = if i < images.len() { u32::try_from(i).ok() } else { None };
    }
}

/// Writes the `debug_meta` object (`{"images":[…]}`).
pub fn write(images: &[Image], out: &mut Vec<u8>) {
    let mut o = Obj::new(out);
    let mut a = Arr::new(o.name("images"));
    for image in images {
        let mut i = Obj::new(a.item());
        match image {
            Image::SourceMap { code_file, debug_id } => {
                i.str("type", "sourcemap");
                i.str("code_file", code_file);
                i.str("debug_id", debug_id);
            }
            Image::Wasm { code_file, code_id, debug_file } => {
                // As @sentry/wasm: the debug id is the build id cut or padded to 16
                // bytes, plus a zero age digit.
                let mut id = String::from(super::limits::cut(code_id, 32));
                while id.len() < 32 {
                    id.push('0');
                }
                id.push('0');
                i.str("type", "wasm");
                i.str("code_file", code_file);
                i.str("code_id", code_id);
                i.str("debug_id", &id);
                if let Some(f) = debug_file {
                    i.str("debug_file", f);
                }
            }
        }
        i.end();
    }
    a.end();
    o.end();
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// How frames (and so images) name a `file://` URL: as a Node path where the build
    /// reads stacks Node's way (`runtime-server`), unchanged in a browsers-only build.
    fn as_frames_name<'a>(url: &'a str, node_path: &'a str) -> &'a str {
        if cfg!(feature = "runtime-server") { node_path } else { url }
    }

    fn written(images: &[Image]) -> Value {
        let mut out = Vec::new();
        write(images, &mut out);
        serde_json::from_slice(&out).expect("debug_meta is valid JSON")
    }

    #[test]
    fn sourcemap_images_from_debug_ids() {
        let images = read_images(Some(r#"{"https://app.example/assets/index-9f.js":"C0FFEE00-1111-4222-8333-444455556666","/srv/app/x.js":"0123456789abcdef0123456789abcdef"}"#), None);
        assert_eq!(
            written(&images),
            json!({"images": [
                {"type": "sourcemap", "code_file": "https://app.example/assets/index-9f.js", "debug_id": "c0ffee00-1111-4222-8333-444455556666"},
                {"type": "sourcemap", "code_file": "/srv/app/x.js", "debug_id": "01234567-89ab-cdef-0123-456789abcdef"}
            ]})
        );
    }

    #[test]
    fn debug_ids_are_dashed_and_lower_cased() {
        let want = Some("c0ffee00-1111-4222-8333-44445555aaaa".to_string());
        assert_eq!(debug_id("C0FFEE00111142228333-44445555AAAA"), want, "dashes anywhere, any case");
        assert_eq!(debug_id("c0ffee00-1111-4222-8333-44445555aaaa"), want);
        assert_eq!(debug_id("--c0ffee0011114222833344445555aaaa-"), want);
        for bad in ["", "c0ffee0011114222833344445555aaa", "c0ffee0011114222833344445555aaaa0", "c0ffee0011114222833344445555aaag", "c0ffee0011114222833344445555aaé"] {
            assert_eq!(debug_id(bad), None, "{bad}");
        }
    }

    #[test]
    fn malformed_entries_are_skipped() {
        let images = read_images(Some(r#"{"a.js":"not-a-uuid","":"0123456789abcdef0123456789abcdef","b.js":7,"c.js":"0123456789abcdef0123456789abcdeg"}"#), Some(r#"{"m.wasm":{"buildId":"abc"},"n.wasm":{},"o.wasm":"x"}"#));
        assert!(images.is_empty(), "{images:?}");
        assert!(read_images(Some("[1,2]"), Some("nonsense")).is_empty());
    }

    #[test]
    fn wasm_images_as_sentry_wasm_writes_them() {
        let images = read_images(None, Some(r#"{"https://app.example/m.wasm":{"buildId":"DEADBEEF","debugFile":"https://app.example/m.debug.wasm"},"https://app.example/long.wasm":{"buildId":"00112233445566778899aabbccddeeff0011"}}"#));
        assert_eq!(
            written(&images),
            json!({"images": [
                {"type": "wasm", "code_file": "https://app.example/m.wasm", "code_id": "deadbeef", "debug_id": "deadbeef0000000000000000000000000", "debug_file": "https://app.example/m.debug.wasm"},
                {"type": "wasm", "code_file": "https://app.example/long.wasm", "code_id": "00112233445566778899aabbccddeeff0011", "debug_id": "00112233445566778899aabbccddeeff0"}
            ]})
        );
    }

    #[test]
    fn images_are_bounded_and_files_escaped() {
        let mut text = String::from("{");
        for i in 0..(MAX_IMAGES + 20) {
            text.push_str(&format!("\"f{i}\\\"q.js\":\"0123456789abcdef0123456789abcdef\","));
        }
        text.pop();
        text.push('}');
        let images = read_images(Some(&text), None);
        assert_eq!(images.len(), MAX_IMAGES);
        let v = written(&images);
        assert_eq!(v["images"][0]["code_file"], "f0\"q.js");
    }

    /// Through the whole pipeline: images land in the event, `code_file` is scrubbed like
    /// a frame's `abs_path`, and an app's own `debug_meta` is left as it is.
    #[test]
    fn the_pipeline_writes_debug_meta() {
        use crate::pipeline::{Client, Outcome, ScopeIds, CAPTURE_RANDOM_BYTES};
        let ids = ScopeIds { current: 2, isolation: 1, global: 0 };
        let mut c = Client::from_json(r#"{"dsn":"http://k@127.0.0.1:9/1","runtime":"browser"}"#);
        let payload = |c: &mut Client, input: Value| -> Value {
            let Outcome::Send(env) = c.capture(&input.to_string(), &[], ids, 1.7e12, &[3; CAPTURE_RANDOM_BYTES], false) else { panic!("not sent") };
            let text = String::from_utf8(env.bytes).unwrap();
            serde_json::from_str(text.splitn(3, '\n').nth(2).unwrap().trim_end()).unwrap()
        };
        let stack = "Error: x\n    at f (https://app.example/a.js?token=s3cr3t:1:20)\n    at https://app.example/m.wasm:wasm-function[2]:0x10";
        let ev = payload(&mut c, json!({
            "eventId": "0123456789abcdef0123456789abcdef", "timestamp": 1.7e12,
            "exception": {"kind": "error", "name": "Error", "message": "x", "stack": stack},
            "debugIds": {"https://app.example/a.js?token=s3cr3t": "c0ffee00-1111-4222-8333-444455556666", "file:///srv/my%20app/b.mjs": "c0ffee00-1111-4222-8333-444455556667", "file:///srv/c.mjs": "c0ffee00-1111-4222-8333-444455556668"},
            "wasm": {"https://app.example/m.wasm": {"buildId": "beef"}}
        }));
        let frames = &ev["exception"]["values"][0]["stacktrace"]["frames"];
        let frame_file = frames.as_array().unwrap().iter().find(|f| f["function"] == "f").unwrap()["filename"].clone();
        let images = ev["debug_meta"]["images"].as_array().unwrap().clone();
        let by_id = |id: &str| images.iter().find(|i| i["debug_id"] == id).cloned().unwrap_or(Value::Null);
        assert_eq!(images.len(), 4);
        assert_eq!(by_id("c0ffee00-1111-4222-8333-444455556668")["code_file"], as_frames_name("file:///srv/c.mjs", "/srv/c.mjs"));
        assert_eq!(by_id("c0ffee00-1111-4222-8333-444455556666")["code_file"], frame_file, "the image names the file its frame names");
        assert!(!frame_file.as_str().unwrap().contains("s3cr3t"));
        assert_eq!(by_id("c0ffee00-1111-4222-8333-444455556667")["code_file"], as_frames_name("file:///srv/my%20app/b.mjs", "/srv/my app/b.mjs"), "a file:// URL is named as frames name it");
        assert_eq!(by_id("beef00000000000000000000000000000"), json!({"type": "wasm", "code_file": "https://app.example/m.wasm", "code_id": "beef", "debug_id": "beef00000000000000000000000000000"}));

        let own = json!({"images": [{"type": "sourcemap", "code_file": "x.js", "debug_id": "00000000-0000-0000-0000-000000000001"}]});
        let ev = payload(&mut c, json!({
            "eventId": "0123456789abcdef0123456789abcdee", "timestamp": 1.7e12, "message": "m",
            "event": {"debug_meta": own},
            "debugIds": {"a.js": "c0ffee00-1111-4222-8333-444455556666"}
        }));
        assert_eq!(ev["debug_meta"], own);
        let ev = payload(&mut c, json!({"eventId": "0123456789abcdef0123456789abcded", "timestamp": 1.7e12, "message": "plain"}));
        assert!(ev.get("debug_meta").is_none());
    }

    /// A frame's `addr_mode` names the image of its own module, whatever else is in the
    /// array: per case, the captured stack, the shim's `debugIds` and `wasm`, and for each
    /// wasm frame (oldest first) the `code_file` its `addr_mode` must point at (`None`: no
    /// `addr_mode`). Every event is parsed by serde_json and the index looked up in the
    /// `debug_meta.images` it carries.
    #[test]
    fn wasm_frames_point_at_their_image() {
        use crate::pipeline::{Client, Outcome, ScopeIds, CAPTURE_RANDOM_BYTES};
        type Case<'a> = (&'a str, &'a str, Value, Value, &'a [Option<&'a str>]);
        let m = "https://app.example/m.wasm";
        let n = "https://cdn.example/pkg/n_bg.wasm";
        let sm = |k: u8| format!("c0ffee00-1111-4222-8333-4444555566{k:02}");
        let cases: &[Case] = &[
            (
                "two modules after two source-mapped files, one unknown module",
                "Error: x\n    at https://app.example/m.wasm:wasm-function[7]:0x5aeb\n    at run (https://cdn.example/pkg/n_bg.wasm:wasm-function[2]:0x1a)\n    at https://app.example/other.wasm:wasm-function[0]:0x2\n    at f (https://app.example/a.js:1:20)\n    at g (https://app.example/b.js:3:9)",
                json!({"https://app.example/a.js": sm(1), "https://app.example/b.js": sm(2)}),
                json!({n: {"buildId": "0badc0de"}, m: {"buildId": "deadbeef"}}),
                &[None, Some(n), Some(m)],
            ),
            ("a module and no source maps", "Error: x\n    at https://app.example/m.wasm:wasm-function[1]:0x37", json!({}), json!({m: {"buildId": "beef"}}), &[Some(m)]),
            // Only the browsers' wasm reads Firefox's and Safari's frames.
            #[cfg(feature = "runtime-browser")]
            (
                "Firefox's spelling",
                "wasm-function[3]@https://app.example/m.wasm:wasm-function[3]:0x8a\nf@https://app.example/a.js:1:20",
                json!({"https://app.example/a.js": sm(1)}),
                json!({m: {"buildId": "beef"}}),
                &[Some(m)],
            ),
            (
                "a module registered under the wasm:// name its frames show",
                "Error: x\n    at wasm://wasm/0012abcd:wasm-function[190]:0x5aeb\n    at https://app.example/m.wasm:wasm-function[1]:0x37",
                json!({}),
                json!({"wasm://wasm/0012abcd": {"buildId": "aa"}}),
                &[None, Some("wasm://wasm/0012abcd")],
            ),
            (
                "a file:// module in a Node stack is named as its frames name it",
                "Error: x\n    at file:///srv/my%20app/m.wasm:wasm-function[4]:0x44\n    at main (file:///srv/my%20app/main.mjs:3:1)",
                json!({"file:///srv/my%20app/main.mjs": sm(3)}),
                json!({"file:///srv/my%20app/m.wasm": {"buildId": "beef"}}),
                &[Some(as_frames_name("file:///srv/my%20app/m.wasm", "/srv/my app/m.wasm"))],
            ),
            (
                "a secret in the module's URL is scrubbed from frame and image alike",
                "Error: x\n    at https://app.example/m.wasm?token=s3cr3t:wasm-function[1]:0x37",
                json!({"https://app.example/a.js": sm(1)}),
                json!({"https://app.example/m.wasm?token=s3cr3t": {"buildId": "beef"}}),
                &[Some("SCRUBBED")],
            ),
            #[cfg(feature = "runtime-browser")]
            ("JSC names neither module nor address: nothing to point at", "<?>.wasm-function[3]@[wasm code]\nf@https://app.example/a.js:1:20", json!({}), json!({m: {"buildId": "beef"}}), &[]),
        ];
        let ids = ScopeIds { current: 2, isolation: 1, global: 0 };
        let mut c = Client::from_json(r#"{"dsn":"http://k@127.0.0.1:9/1","runtime":"browser"}"#);
        for (i, (name, stack, debug_ids, wasm, want)) in cases.iter().enumerate() {
            let input = json!({
                "eventId": format!("{i:032x}"), "timestamp": 1.7e12,
                "exception": {"kind": "error", "name": "Error", "message": "x", "stack": stack},
                "debugIds": debug_ids, "wasm": wasm,
            });
            let Outcome::Send(env) = c.capture(&input.to_string(), &[], ids, 1.7e12, &[3; CAPTURE_RANDOM_BYTES], false) else { panic!("{name}: not sent") };
            let text = String::from_utf8(env.bytes).unwrap();
            let ev: Value = serde_json::from_str(text.splitn(3, '\n').nth(2).unwrap().trim_end()).unwrap();
            let images = ev["debug_meta"]["images"].as_array().cloned().unwrap_or_default();
            let frames = ev["exception"]["values"][0]["stacktrace"]["frames"].as_array().unwrap();
            let wasm_frames: Vec<&Value> = frames.iter().filter(|f| f.get("instruction_addr").is_some()).collect();
            assert_eq!(wasm_frames.len(), want.len(), "{name}: {frames:?}");
            assert!(frames.iter().all(|f| f.get("addr_mode").is_none() || f.get("instruction_addr").is_some()), "{name}: {frames:?}");
            for (f, want) in wasm_frames.iter().zip(want.iter()) {
                assert_eq!(f["platform"], "native", "{name}");
                let Some(want) = want else {
                    assert!(f.get("addr_mode").is_none(), "{name}: {f}");
                    continue;
                };
                let mode = f["addr_mode"].as_str().unwrap_or_else(|| panic!("{name}: no addr_mode on {f}"));
                let index: usize = mode.strip_prefix("rel:").and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("{name}: {mode}"));
                let image = &images[index];
                assert_eq!(image["type"], "wasm", "{name}: {image}");
                assert_eq!(image["code_file"], f["filename"], "{name}: the image names the frame's file");
                if *want == "SCRUBBED" {
                    assert!(!image.to_string().contains("s3cr3t") && !f.to_string().contains("s3cr3t"), "{name}: {f} {image}");
                } else {
                    assert_eq!(image["code_file"], *want, "{name}");
                }
            }
        }
    }

    /// Linked errors' frames are linked too, and an app's own `debug_meta` (whose indices
    /// oxeye does not know) leaves wasm frames without `addr_mode`.
    #[test]
    fn linked_errors_and_an_apps_own_images() {
        use crate::pipeline::{Client, Outcome, ScopeIds, CAPTURE_RANDOM_BYTES};
        let ids = ScopeIds { current: 2, isolation: 1, global: 0 };
        let mut c = Client::from_json(r#"{"dsn":"http://k@127.0.0.1:9/1","runtime":"browser"}"#);
        let mut send = |top: &str, extra: Value| -> Value {
            let mut input = json!({
                "eventId": "0123456789abcdef0123456789abcdef", "timestamp": 1.7e12,
                "exception": {"kind": "error", "name": "Error", "message": top, "stack": format!("Error: {top}\n    at f (https://app.example/a.js:1:2)"),
                    "cause": {"kind": "error", "name": "RuntimeError", "message": "unreachable", "stack": "RuntimeError: unreachable\n    at https://app.example/m.wasm:wasm-function[1]:0x37"}},
                "debugIds": {"https://app.example/a.js": "c0ffee00-1111-4222-8333-444455556666"},
                "wasm": {"https://app.example/m.wasm": {"buildId": "beef"}}
            });
            input.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            let Outcome::Send(env) = c.capture(&input.to_string(), &[], ids, 1.7e12, &[3; CAPTURE_RANDOM_BYTES], false) else { panic!("not sent") };
            let text = String::from_utf8(env.bytes).unwrap();
            serde_json::from_str(text.splitn(3, '\n').nth(2).unwrap().trim_end()).unwrap()
        };
        let ev = send("first", json!({}));
        let cause = &ev["exception"]["values"][0];
        assert_eq!(cause["type"], "RuntimeError");
        assert_eq!(cause["stacktrace"]["frames"][0]["addr_mode"], "rel:1");
        assert_eq!(ev["debug_meta"]["images"][1]["code_file"], "https://app.example/m.wasm");

        let own = json!({"images": [{"type": "wasm", "code_file": "https://x/other.wasm", "code_id": "aa", "debug_id": "aa0000000000000000000000000000000"}]});
        let ev = send("second", json!({"eventId": "0123456789abcdef0123456789abcdee", "event": {"debug_meta": own}}));
        assert_eq!(ev["debug_meta"], own);
        let frame = &ev["exception"]["values"][0]["stacktrace"]["frames"][0];
        assert_eq!(frame["instruction_addr"], "0x37");
        assert!(frame.get("addr_mode").is_none(), "{frame}");
    }
}
