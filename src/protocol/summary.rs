//! What the pipeline needs to know about a built event besides its bytes: the dedupe
//! signature, the filter subjects, what it does to a session, and its trace id.
//!
//! For an event the core built from a thrown value, [`Summary::typed`] computes these from
//! the typed parts before anything is read back; for any other event (one a host stage
//! returned changed, or an app's own event carrying an exception) [`Summary::of_view`]
//! reads them from the event's text. Both give the same answer for the same event (both
//! hash strings unescaped and numbers as written; native builds compare the two on every
//! capture).

use crate::dedupe;
use crate::filters::Subjects;
use crate::json::read;
use crate::json::write as w;
use crate::protocol::event::{Event, View};
use crate::protocol::exception::ExceptionValue;
use crate::session::Effect;

/// See the module doc.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Dedupe signature ([`dedupe::signature`]).
    pub signature: u64,
    /// What filters look at.
    pub subjects: Subjects,
    /// What the event does to a session.
    pub effect: Effect,
    /// `contexts.trace.trace_id`.
    pub trace_id: Option<String>,
}

impl Summary {
    /// Reads the summary from an event's text: each exception and frame is read once,
    /// for the signature, the filter subjects (newest exception) and the effect together.
    pub fn of_view(view: &View) -> Summary {
        let mut subjects = Subjects::default();
        let formatted = view.members.get("logentry").and_then(|l| subjects.push_logentry(l));
        let trace_id = view.contexts.path(&["trace", "trace_id"]);
        let mut h = dedupe::Signature::new();
        h.push(formatted);
        h.push(view.members.get("fingerprint"));
        h.push(trace_id);
        let mut unhandled = false;
        let last = view.exceptions.len().wrapping_sub(1);
        for (i, &ex) in view.exceptions.iter().enumerate() {
            let [ty, value, stack, mechanism] = read::pick(ex, &["type", "value", "stacktrace", "mechanism"]);
            if let Some(handled) = mechanism.and_then(|m| read::field(m, "handled")) {
                unhandled |= read::boolean(handled) == Some(false);
            }
            // Strings are hashed unescaped, anything else as written: what the typed parts hash.
            let (ty_s, value_s) = (h.push_text(ty), h.push_text(value));
            // The newest exception's URL, as Sentry's event filters take it: the filename of
            // its newest frame not passed over, none when that frame has none.
            let mut url = None;
            let frames = stack.and_then(|s| read::field(s, "frames")).and_then(read::elements).unwrap_or_default();
            for &f in &frames {
                let [file, function, line, col] = read::pick(f, &["filename", "function", "lineno", "colno"]);
                let file_s = h.push_text(file);
                h.push_text(function);
                h.push(line);
                h.push(col);
                // (The newest frame not passed over decides: see [`passed_over`].)
                if i == last && !file_s.as_deref().is_some_and(passed_over) {
                    url = Some(file_s.filter(|s| !s.is_empty()));
                }
            }
            if i == last {
                subjects.push_exception(ty_s.as_deref().unwrap_or(""), value_s.as_deref().unwrap_or(""), url.flatten().as_deref());
            }
        }
        let effect = if view.exceptions.is_empty() {
            Effect::None
        } else {
            Effect::of_event(view.members.get("level").and_then(read::string).as_deref(), false, unhandled)
        };
        // (An event the app gave whole: its own `response` context says its status.)
        subjects.set_status(view.contexts.get("response"));
        Summary::end(h, subjects, effect, trace_id)
    }

    /// [`Summary::of_view`], handing back the view's members.
    pub fn read(view: View) -> (read::Index, Summary) {
        let summary = Summary::of_view(&view);
        (view.members, summary)
    }

    /// The summary of `ev`, whose exception (if any) was written from `values`, thrown
    /// with the HTTP status `http_status` (the status filters read: the thrown value's, not
    /// a `response` context the app set).
    pub fn typed<'a>(ev: &'a Event, values: &[ExceptionValue], http_status: Option<u16>) -> Summary {
        let raw = |b: &'a [u8]| crate::text::str_of(b);
        let logentry = ev.logentry.as_deref().and_then(raw);
        let context = |key: &str| ev.contexts.iter().find(|e| e.key == key).and_then(|e| raw(&e.json));
        let trace = context("trace");
        let fingerprint = ev.fingerprint.and_then(|f| raw(&f.json));

        let mut h = dedupe::Signature::new();
        let mut subjects = Subjects::default();
        let trace_id = trace.and_then(|t| read::field(t, "trace_id"));
        h.push(logentry.and_then(|l| subjects.push_logentry(l)));
        h.push(fingerprint);
        h.push(trace_id);
        for v in values {
            h.push(Some(&v.ty));
            h.push(Some(&v.value));
            for f in &v.frames {
                h.push(f.filename.as_deref());
                h.push(f.function.as_deref());
                let mut num = [0u8; 20];
                for n in [f.lineno, f.colno] {
                    h.push_bytes(n.map(|n| w::digits(n.into(), &mut num)));
                }
            }
        }

        if let Some(last) = values.last() {
            let mut url = None;
            for f in &last.frames {
                let file = f.filename.as_deref();
                if !file.is_some_and(passed_over) {
                    url = Some(file.filter(|s| !s.is_empty()));
                }
            }
            subjects.push_exception(&last.ty, &last.value, url.flatten());
        }

        // (Every value of one capture has the capture's `handled`: `values_cached`.)
        let effect = match values.first() {
            Some(v) => Effect::of_event(Some(ev.level), false, !v.handled),
            None => Effect::None,
        };
        subjects.status = http_status;
        Summary::end(h, subjects, effect, trace_id)
    }

    /// The summary from the signature and the subjects so far (both readers end here).
    fn end(h: dedupe::Signature, subjects: Subjects, effect: Effect, trace_id: Option<&str>) -> Summary {
        Summary { signature: h.finish(), subjects, effect, trace_id: trace_id.and_then(read::owned_string) }
    }
}

/// Frames the URL filters judge an error by pass over, as Sentry's event filters do:
/// `<anonymous>` and `[native code]`.
fn passed_over(file: &str) -> bool {
    file == "<anonymous>" || file == "[native code]"
}
