//! The one clock of the server: every use case asks it the time, so that tests can fix it.

use std::sync::Arc;

/// The server's one clock: Unix seconds now. Every time the store writes or compares (a
/// version's time, the 48-hour assignment window, a session's expiry, today's date for
/// overdue action items) comes from it, so a test or a demonstration can set the time.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> i64 + Send + Sync>);

impl Clock {
    /// The system's clock.
    pub fn system() -> Clock {
        Clock(Arc::new(|| jiff::Timestamp::now().as_second()))
    }

    /// A clock that always says `at` (Unix seconds).
    pub fn fixed(at: i64) -> Clock {
        Clock(Arc::new(move || at))
    }

    /// A clock that runs from `now`, through a function the caller controls.
    pub fn from_fn(now: impl Fn() -> i64 + Send + Sync + 'static) -> Clock {
        Clock(Arc::new(now))
    }

    /// Unix seconds now.
    pub fn now(&self) -> i64 {
        (self.0)()
    }

    /// Today's date in UTC.
    pub fn today(&self) -> jiff::civil::Date {
        jiff::Timestamp::from_second(self.now())
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clock({})", self.now())
    }
}
