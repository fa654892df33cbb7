//! Lines of source around a frame (`pre_context`, `context_line`, `post_context`), for
//! runtimes that can read the app's files (Node). The shim reads them (the core has no
//! file system) and hands them over in the capture input's `sources` member, keyed by the
//! frame's file as the core names it (`file://` URLs read as Node's frames have them, see
//! `stacktrace::frame_filename`) and its line:
//!
//! `{"/srv/my app/checkout.mjs:12": {"pre_context": […], "context_line": "…", "post_context": […]}}`
//!
//! A frame whose file and line have an entry gets that object's members, copied as they
//! are, before its file name is scrubbed (the shim wrote them with `JSON.stringify`; the
//! reader has checked that the object is well-formed JSON). Source lines are the app's own
//! code, not user data: they are not scrubbed, as Sentry's server does not scrub them
//! either.

use crate::json::{read, write::digits};
use crate::protocol::exception::ExceptionValue;

/// Gives each frame of `values` whose file and line `sources` (the input's raw member) has
/// its lines: `frame.source` becomes the members' JSON text, without braces. The member list
/// is read once per capture; each frame's `<file>:<line>` is compared with its keys.
pub fn attach(values: &mut [ExceptionValue], sources: &str) {
    let entries = read::members(sources).unwrap_or_default();
    for frame in values.iter_mut().flat_map(|v| v.frames.iter_mut()) {
        let (Some(file), Some(line)) = (frame.filename.as_deref(), frame.lineno) else { continue };
        let mut key = crate::text::cat(&[file, ":"]);
        key.extend(digits(line.into(), &mut [0u8; 20]).iter().map(|&d| char::from(d)));
        // (An object's text starts with `{` and ends with `}`: its members lie between.)
        if let Some((_, found)) = entries.iter().find(|(k, o)| k.text() == key.as_str() && o.len() > 2 && o.starts_with('{')) {
            frame.source = Some(found.as_bytes()[1..found.len() - 1].to_vec());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stacktrace::{parse_stack, Frame};

    /// `frames` as the one value `attach` is given, and back.
    fn attached(frames: Vec<Frame>, sources: &str) -> Vec<Frame> {
        let mut values = [ExceptionValue { ty: "Error".into(), value: String::new(), frames, handled: true, exception_id: None, parent_id: None, source: None, group: false }];
        attach(&mut values, sources);
        let [v] = values;
        v.frames
    }
    use serde_json::{json, Value};

    fn frames_of(stack: &str, sources: &Value) -> Vec<Value> {
        attached(parse_stack(stack), &sources.to_string())
            .iter()
            .map(|f| {
                let mut out = Vec::new();
                f.write_json(&mut out);
                serde_json::from_slice(&out).expect("a frame is valid JSON")
            })
            .collect()
    }

    #[test]
    fn a_frame_gets_the_lines_of_its_file_and_line() {
        let stack = "Error: boom\n    at inner (file:///srv/my%20app/a.mjs:3:9)\n    at outer (/srv/b.js:7:1)\n    at /srv/b.js:9:2";
        let sources = json!({
            "/srv/my app/a.mjs:3": {"pre_context": ["one", "two"], "context_line": "  throw new Error(\"boom\");", "post_context": ["}"]},
            "/srv/b.js:7": {"context_line": "outer();"},
        });
        let frames = frames_of(stack, &sources);
        // Oldest first: `/srv/b.js:9`, `/srv/b.js:7`, then `a.mjs:3`.
        assert_eq!(frames[2]["filename"], "/srv/my app/a.mjs");
        assert_eq!(frames[2]["pre_context"], json!(["one", "two"]));
        assert_eq!(frames[2]["context_line"], "  throw new Error(\"boom\");");
        assert_eq!(frames[2]["post_context"], json!(["}"]));
        assert_eq!(frames[1]["context_line"], "outer();");
        assert!(frames[1].get("pre_context").is_none());
        assert!(frames[0].get("context_line").is_none(), "line 9 of b.js was not given: {}", frames[0]);
    }

    #[test]
    fn an_empty_object_or_bad_json_gives_nothing() {
        let stack = "Error: x\n    at f (/srv/a.js:1:1)";
        for sources in ["{\"/srv/a.js:1\": {}}", "{\"/srv/a.js:1\": {\"context_line\": \"x\"", "{\"/srv/a.js:1\": \"x\"}", "{\"/srv/a.js\": {\"context_line\": \"x\"}}", "[1,2]"] {
            let frames = attached(parse_stack(stack), sources);
            assert!(frames[0].source.is_none(), "{sources}");
        }
    }
}
