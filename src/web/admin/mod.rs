//! Pages for administrators: users, the audit log, the mail outbox, privacy requests and webhooks.

pub mod audit;
pub mod outbox;
pub mod privacy;
pub mod users;
pub mod webhooks;
