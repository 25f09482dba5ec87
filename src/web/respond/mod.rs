//! Respondent pages: the paged survey behind a public link or a personal invitation.
//!
//! A public link `/s/{slug}` or an invitation `/i/{token}` leads to the welcome page, one page
//! per construct group, the attributes and thanks, saving every page when it is submitted, so
//! a respondent can leave and come back.
//!
//! - [`entry`]: public link or invitation, read from the route, so one handler serves both;
//! - [`session`]: finding the survey, the gate, the respondent's response, the resume cookie;
//! - [`view`] and [`page`]: what the pages show; [`submit`]: reading and saving a page;
//! - [`handlers`]: the thin handlers; [`assets`]: stylesheet and script;
//! - [`limiter`]: the per-address submission limit.

mod assets;
mod entry;
mod handlers;
mod limiter;
mod page;
mod session;
mod state;
mod submit;
pub mod survey_cache;
mod view;

pub(crate) use assets::{script, stylesheet};
pub(crate) use handlers::public_resume;
pub(crate) use handlers::{page, start, submit, thanks, welcome};
pub use limiter::SubmissionLimiter;
pub(crate) use page::option_label;
