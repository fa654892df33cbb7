//! What the pipeline needs to know about a built event besides its bytes: the dedupe
//! signature, the filter subjects, what it does to a session, and its trace id.
//!
//! [`Summary::of_view`] reads them from the event's text, once the event is written: the
//! core's own event (its members found at the spans its writer recorded) and an event a
//! host stage returned alike, so one reader serves both.

use crate::dedupe;
use crate::filters::Subjects;
use crate::json::read;
use crate::protocol::event::View;
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
}
