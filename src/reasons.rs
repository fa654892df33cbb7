//! The two vocabularies shared by every part of the SDK: why something was not sent
//! ([`Reason`], the client-report discard reasons) and what kind of data it was
//! ([`Category`], the data categories of rate limits and client reports). Both cross the
//! boundary as numbers; their wire names are written only here, by `as_str`.

/// Why an event or item was not sent (Sentry's client-report discard reasons).
#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Reason {
    /// `queue_overflow`: the send queue was full.
    QueueOverflow = 0,
    /// `cache_overflow`: the offline store was full.
    CacheOverflow = 1,
    /// `ratelimit_backoff`: a rate limit announced by the server was active.
    RatelimitBackoff = 2,
    /// `network_error`: the request failed.
    NetworkError = 3,
    /// `sample_rate`: sampled out by `sampleRate`.
    SampleRate = 4,
    /// `before_send`: `beforeSend` returned null.
    BeforeSend = 5,
    /// `event_processor`: an event processor, inbound filter or dedupe dropped it.
    EventProcessor = 6,
    /// `send_error`: the server rejected it.
    SendError = 7,
    /// `buffer_overflow`: an internal buffer was full.
    BufferOverflow = 8,
    /// `internal_sdk_error`: the SDK failed.
    InternalSdkError = 9,
    /// Not a Sentry reason: the SDK is off. Never counted.
    Disabled = 10,
}

impl Reason {
    /// Every reason, in numeric order.
    pub const ALL: [Reason; 11] = [
        Reason::QueueOverflow,
        Reason::CacheOverflow,
        Reason::RatelimitBackoff,
        Reason::NetworkError,
        Reason::SampleRate,
        Reason::BeforeSend,
        Reason::EventProcessor,
        Reason::SendError,
        Reason::BufferOverflow,
        Reason::InternalSdkError,
        Reason::Disabled,
    ];

    /// The reason with this number, as it crosses the boundary; `None` for an unknown one.
    pub fn from_index(n: u32) -> Option<Reason> {
        Reason::ALL.get(n as usize).copied()
    }

    /// Sentry's name for the reason (`disabled` for [`Reason::Disabled`], never sent).
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::QueueOverflow => "queue_overflow",
            Reason::CacheOverflow => "cache_overflow",
            Reason::RatelimitBackoff => "ratelimit_backoff",
            Reason::NetworkError => "network_error",
            Reason::SampleRate => "sample_rate",
            Reason::BeforeSend => "before_send",
            Reason::EventProcessor => "event_processor",
            Reason::SendError => "send_error",
            Reason::BufferOverflow => "buffer_overflow",
            Reason::InternalSdkError => "internal_sdk_error",
            Reason::Disabled => "disabled",
        }
    }

    /// True when drops for this reason are counted in client reports.
    pub fn is_counted(self) -> bool {
        match self {
            Reason::Disabled => false,
            Reason::QueueOverflow
            | Reason::CacheOverflow
            | Reason::RatelimitBackoff
            | Reason::NetworkError
            | Reason::SampleRate
            | Reason::BeforeSend
            | Reason::EventProcessor
            | Reason::SendError
            | Reason::BufferOverflow
            | Reason::InternalSdkError => true,
        }
    }
}

/// A data category of rate limits and client reports.
#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Category {
    /// `error`: error and message events.
    Error = 0,
    /// `default`: events without a more specific category.
    Default = 1,
    /// `transaction`
    Transaction = 2,
    /// `attachment`
    Attachment = 3,
    /// `session`: sessions and session aggregates.
    Session = 4,
    /// `internal`: client reports.
    Internal = 5,
    /// `span`
    Span = 6,
    /// `replay`
    Replay = 7,
    /// `profile`
    Profile = 8,
    /// `monitor`: cron check-ins.
    Monitor = 9,
    /// `feedback`
    Feedback = 10,
    /// `log_item`
    LogItem = 11,
}

impl Category {
    /// Every category, in numeric order.
    pub const ALL: [Category; 12] = [
        Category::Error,
        Category::Default,
        Category::Transaction,
        Category::Attachment,
        Category::Session,
        Category::Internal,
        Category::Span,
        Category::Replay,
        Category::Profile,
        Category::Monitor,
        Category::Feedback,
        Category::LogItem,
    ];

    /// Sentry's name for the category.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Error => "error",
            Category::Default => "default",
            Category::Transaction => "transaction",
            Category::Attachment => "attachment",
            Category::Session => "session",
            Category::Internal => "internal",
            Category::Span => "span",
            Category::Replay => "replay",
            Category::Profile => "profile",
            Category::Monitor => "monitor",
            Category::Feedback => "feedback",
            Category::LogItem => "log_item",
        }
    }

    /// The category with this wire name, if the SDK knows it.
    pub fn from_name(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// Position in [`Category::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The category with this number, as it crosses the boundary; `None` for an unknown one.
    pub fn from_index(n: u32) -> Option<Category> {
        Category::ALL.get(n as usize).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_distinct() {
        for (i, c) in Category::ALL.into_iter().enumerate() {
            assert_eq!(c.index(), i);
            assert_eq!(Category::from_index(i as u32), Some(c));
            assert_eq!(Category::from_name(c.as_str()), Some(c));
        }
        assert_eq!(Category::from_name("unicorn"), None);
        let reasons = Reason::ALL;
        for (i, r) in reasons.into_iter().enumerate() {
            assert_eq!(r as usize, i);
            assert_eq!(Reason::from_index(i as u32), Some(r));
            assert_eq!(r.is_counted(), r != Reason::Disabled);
            assert_eq!(reasons.iter().filter(|o| o.as_str() == r.as_str()).count(), 1);
        }
        // Numbers from the host outside the enums are refused, not trusted.
        assert_eq!(Reason::from_index(11), None);
        assert_eq!(Category::from_index(12), None);
        assert_eq!(Category::from_index(u32::MAX), None);
    }
}
