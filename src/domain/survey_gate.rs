//! Whether a survey takes answers now: opening and closing times, status, expiry, completion.
//!
//! The quota is not decided here: it needs a count of completed responses (see `web::respond`).

use chrono::{DateTime, Utc};

/// Why a survey takes no answers now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shut {
    /// The visitor's response is already complete.
    AlreadyAnswered,
    /// The personal invitation ran out.
    Expired,
    /// The survey opens later.
    NotYetOpen,
    /// Closed by its status or its closing time.
    Closed,
}

/// What decides whether a distribution takes answers, the quota apart.
#[derive(Debug, Clone, Copy)]
pub struct Window<'a> {
    /// The distribution's status (`open`, `closed`, `paused`, `draft`, `cancelled`, campaign states…).
    pub status: &'a str,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    /// When the invitation expires (its own expiry, else the distribution's); `None` for a public link.
    pub expires_at: Option<DateTime<Utc>>,
    /// Reached by a personal invitation, which a campaign's own states (scheduled, sending…) leave open;
    /// a public link takes answers only while `open`.
    pub invited: bool,
}

impl Window<'_> {
    /// Why no answers are taken at `now` (`complete`: the visitor's response is complete), if so.
    pub fn shut(&self, complete: bool, now: DateTime<Utc>) -> Option<Shut> {
        if complete {
            return Some(Shut::AlreadyAnswered);
        }
        if self.expires_at.is_some_and(|t| now >= t) {
            return Some(Shut::Expired);
        }
        if self.opens_at.is_some_and(|t| now < t) {
            return Some(Shut::NotYetOpen);
        }
        let closed_status = if self.invited {
            matches!(self.status, "closed" | "paused" | "draft" | "cancelled")
        } else {
            self.status != "open"
        };
        (closed_status || self.closes_at.is_some_and(|t| now >= t)).then_some(Shut::Closed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn open(invited: bool) -> Window<'static> {
        Window {
            status: "open",
            opens_at: None,
            closes_at: None,
            expires_at: None,
            invited,
        }
    }

    #[test]
    fn an_open_window_takes_answers_until_complete() {
        let now = Utc::now();
        assert_eq!(open(false).shut(false, now), None);
        assert_eq!(open(true).shut(true, now), Some(Shut::AlreadyAnswered));
    }

    #[test]
    fn times_open_close_and_expire() {
        let now = Utc::now();
        let hour = Duration::hours(1);
        let later = Window {
            opens_at: Some(now + hour),
            ..open(false)
        };
        assert_eq!(later.shut(false, now), Some(Shut::NotYetOpen));
        let past = Window {
            closes_at: Some(now),
            ..open(false)
        };
        assert_eq!(past.shut(false, now), Some(Shut::Closed));
        let expired = Window {
            expires_at: Some(now - hour),
            opens_at: Some(now + hour),
            ..open(true)
        };
        assert_eq!(
            expired.shut(false, now),
            Some(Shut::Expired),
            "expiry comes before opening"
        );
    }

    #[test]
    fn a_campaign_state_closes_the_public_link_but_not_an_invitation() {
        let now = Utc::now();
        let sending = |invited| Window {
            status: "sending",
            ..open(invited)
        };
        assert_eq!(sending(false).shut(false, now), Some(Shut::Closed));
        assert_eq!(sending(true).shut(false, now), None);
        for status in ["closed", "paused", "draft", "cancelled"] {
            let window = Window {
                status,
                ..open(true)
            };
            assert_eq!(window.shut(false, now), Some(Shut::Closed), "{status}");
        }
    }
}
