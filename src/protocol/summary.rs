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

fn trace_id_of(trace_ctx: Option<&str>) -> Option<String> {
    trace_ctx.and_then(|t| read::field(t, "trace_id")).and_then(read::string).map(|s| s.into_owned())
}

impl Summary {
    /// Reads the summary from an event's text.
    pub fn of_view(view: &View) -> Summary {
        Summary {
            signature: dedupe::signature(view),
            subjects: Subjects::of_view(view),
            effect: Effect::of_view(view),
            trace_id: trace_id_of(view.contexts.get("trace")),
        }
    }

    /// The summary of `ev`, whose exception (if any) was written from `values`.
    pub fn typed<'a>(ev: &'a Event, values: &[ExceptionValue]) -> Summary {
        let raw = |b: &'a [u8]| std::str::from_utf8(b).ok();
        let logentry = ev.logentry.as_deref().and_then(raw);
        let context = |key: &str| ev.contexts.iter().find(|e| e.key == key).and_then(|e| raw(&e.json));
        let (trace, response) = (context("trace"), context("response"));
        let fingerprint = ev.fingerprint.and_then(|f| raw(&f.json));

        let mut h = dedupe::Signature::new();
        h.push(logentry.and_then(|l| read::field(l, "formatted")));
        h.push(fingerprint);
        h.push(trace.and_then(|t| read::field(t, "trace_id")));
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

        let mut subjects = Subjects::default();
        if let Some(l) = &logentry {
            subjects.push_logentry(l);
        }
        if let Some(last) = values.last() {
            let frames = last.frames.iter().rev().filter_map(|f| Some((f.filename.as_deref().filter(|n| !n.is_empty())?, f.in_app.unwrap_or(true))));
            subjects.push_exception(last.ty.clone(), last.value.clone(), frames);
        }
        subjects.set_status(response);

        let effect = if values.is_empty() { Effect::None } else { Effect::of_event(Some(ev.level), false, values.iter().any(|v| !v.handled)) };
        Summary { signature: h.finish(), subjects, effect, trace_id: trace_id_of(trace) }
    }
}
