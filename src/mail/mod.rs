//! Email: the outbox worker with its scheduler tick, the lettre SMTP transport, and the email templates.

pub mod scheduler;
pub mod templates;
pub mod transport;
pub mod webhook;
pub mod webhook_target;
pub mod worker;
