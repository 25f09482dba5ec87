//! How the respondent came (public link or invitation), read from the route by an extractor.

use crate::web::error::WebError;
use actix_web::{FromRequest, HttpRequest, dev::Payload};
use std::future::{Ready, ready};

/// How the respondent came: by the public link or by a personal invitation.
#[derive(Debug, Clone)]
pub(crate) enum Entry {
    Public(String),
    Invitation(String),
}

impl Entry {
    /// The path every page of this entry starts with.
    pub(super) fn base(&self) -> String {
        match self {
            Entry::Public(slug) => format!("/s/{slug}"),
            Entry::Invitation(token) => format!("/i/{token}"),
        }
    }
}

/// The `{slug}` of a `/s/{slug}…` route, else the `{token}` of an `/i/{token}…` route, so one
/// handler serves both (`/s/{slug}/r/{token}` has both and is a public link's).
impl FromRequest for Entry {
    type Error = WebError;
    type Future = Ready<Result<Entry, WebError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let info = req.match_info();
        ready(match (info.get("slug"), info.get("token")) {
            (Some(slug), _) => Ok(Entry::Public(slug.to_owned())),
            (None, Some(token)) => Ok(Entry::Invitation(token.to_owned())),
            (None, None) => Err(WebError::Internal(anyhow::anyhow!(
                "respondent route {:?} has neither {{slug}} nor {{token}}",
                req.match_pattern()
            ))),
        })
    }
}
