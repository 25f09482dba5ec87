//! The pages a respondent sees instead of the questions (not found, closed, …) and their statuses.

use crate::domain::survey_gate::Shut;
use actix_web::http::StatusCode;

/// A page a respondent sees instead of the questions, each with its own status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    NotFound,
    NotYetOpen,
    Closed,
    QuotaFull,
    Expired,
    AlreadyAnswered,
    RateLimited,
}

impl State {
    pub(super) fn status(self) -> StatusCode {
        match self {
            State::NotFound => StatusCode::NOT_FOUND,
            State::NotYetOpen => StatusCode::FORBIDDEN,
            State::Closed | State::QuotaFull | State::Expired => StatusCode::GONE,
            State::AlreadyAnswered => StatusCode::CONFLICT,
            State::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        }
    }

    /// Names the page in `data-state` (for tests and analytics) and its text key `survey.state.<name>`.
    pub(super) fn name(self) -> &'static str {
        match self {
            State::NotFound => "not-found",
            State::NotYetOpen => "not-yet-open",
            State::Closed => "closed",
            State::QuotaFull => "quota-full",
            State::Expired => "expired",
            State::AlreadyAnswered => "already-answered",
            State::RateLimited => "rate-limited",
        }
    }
}

impl From<Shut> for State {
    fn from(shut: Shut) -> State {
        match shut {
            Shut::AlreadyAnswered => State::AlreadyAnswered,
            Shut::Expired => State::Expired,
            Shut::NotYetOpen => State::NotYetOpen,
            Shut::Closed => State::Closed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::has;

    #[test]
    fn every_state_is_translated() {
        for state in [
            State::NotFound,
            State::NotYetOpen,
            State::Closed,
            State::QuotaFull,
            State::Expired,
            State::AlreadyAnswered,
            State::RateLimited,
        ] {
            assert!(has(&format!("survey.state.{}", state.name())));
            assert!(has(&format!("survey.state.{}.text", state.name())));
        }
    }
}
