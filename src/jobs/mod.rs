//! Background work, off the request path: the mail outbox and campaign scheduler, webhook deliveries, the retention purge and report runs.

pub mod campaign_scheduler;
pub mod mail_outbox;
pub mod report_runs;
pub mod retention;
pub mod webhook_target;
pub mod webhooks;
