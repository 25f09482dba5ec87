//! Email itself: the templates of every email and the lettre SMTP transport (the outbox worker that sends them is in `jobs`).

pub mod templates;
pub mod transport;
