//! What the pipeline needs to know about a built event besides its bytes: the dedupe
//! signature, the filter subjects, what it does to a session, and its trace id.
//!
//! [`Summary::of_view`] reads them from the event's text once the event is written, the
//! core's own event and an event a host stage returned alike, in one pass over the
//! exception values and their frames.

use crate::dedupe;
use crate::filters::Subjects;
use crate::json::read;
use crate::protocol::event::View;
use crate::session::Effect;

/// See the module doc.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Dedupe signature ([`dedupe::Signature`]).
    pub signature: u64,
    /// What filters look at.
    pub subjects: Subjects,
    /// What the event does to a session.
    pub effect: Effect,
    /// `contexts.trace.trace_id`.
    pub trace_id: Option<String>,
}

/// A raw JSON value as hashed: a string unescaped, anything else as written.
fn hashed(raw: Option<&str>) -> Option<std::borrow::Cow<'_, str>> {
    raw.map(|r| read::string(r).unwrap_or(std::borrow::Cow::Borrowed(r)))
}

/// A raw JSON string's value; empty for anything else.
fn text(raw: Option<&str>) -> String {
    raw.and_then(read::string).map(|s| s.into_owned()).unwrap_or_default()
}

impl Summary {
    /// Reads the summary from an event's text, each exception value and frame once.
    pub fn of_view(view: &View) -> Summary {
        let trace = view.contexts.get("trace");
        // What makes two events the same for dedupe (see `dedupe.rs`).
        let mut h = dedupe::Signature::new();
        h.push(view.members.path(&["logentry", "formatted"]));
        h.push(view.members.get("fingerprint"));
        h.push(trace.and_then(|t| read::field(t, "trace_id")));
        let mut subjects = Subjects::default();
        if let Some(le) = view.members.get("logentry") {
            subjects.push_logentry(le);
        }
        let mut unhandled = false;
        let last = view.exceptions.len().wrapping_sub(1);
        for (i, &ex) in view.exceptions.iter().enumerate() {
            // Strings are hashed unescaped, numbers as written.
            let [ty, value, stack, mechanism] = read::pick(ex, ["type", "value", "stacktrace", "mechanism"]);
            h.push(hashed(ty).as_deref());
            h.push(hashed(value).as_deref());
            unhandled |= mechanism.and_then(|m| read::field(m, "handled")).and_then(read::boolean) == Some(false);
            // (filename, in_app) of the newest exception's frames with a filename.
            let mut named: Vec<(std::borrow::Cow<str>, bool)> = Vec::new();
            for f in stack.and_then(|s| read::field(s, "frames")).and_then(read::elements).unwrap_or_default() {
                let [file, function, line, col, in_app] = read::pick(f, ["filename", "function", "lineno", "colno", "in_app"]);
                h.push(hashed(file).as_deref());
                h.push(hashed(function).as_deref());
                h.push(line);
                h.push(col);
                if i == last {
                    if let Some(name) = file.and_then(read::string).filter(|s| !s.is_empty()) {
                        named.push((name, in_app.and_then(read::boolean).unwrap_or(true)));
                    }
                }
            }
            if i == last {
                subjects.push_exception(text(ty), text(value), named.iter().rev().map(|(n, a)| (&**n, *a)));
            }
        }
        subjects.set_status(view.contexts.get("response"));
        // Messages never count for sessions; an exception at level error or fatal (the
        // default) does, and an unhandled one is a crash.
        let effect = if view.exceptions.is_empty() { Effect::None } else { Effect::of_event(view.members.get("level").and_then(read::string).as_deref(), false, unhandled) };
        Summary { signature: h.finish(), subjects, effect, trace_id: trace.and_then(|t| read::field(t, "trace_id")).and_then(read::string).map(|s| s.into_owned()) }
    }
}
