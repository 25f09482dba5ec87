//! Signing in and out, sign-in throttling, and the signed-in user's own account page.

pub mod settings;
pub mod sign_in;
pub mod throttle;
