//! Yardstick's database migrations; the same set runs on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m0001_accounts;
mod m0002_models;
mod m0003_questionnaires;
mod m0004_contacts;
mod m0005_responses;
mod m0006_outbox;
mod m0007_access_webhooks;
mod m0008_campaigns;
mod m0010_respondent_attributes;
mod m0011_report_runs;
mod m0012_sessions;
mod support;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_accounts::Migration),
            Box::new(m0002_models::Migration),
            Box::new(m0003_questionnaires::Migration),
            Box::new(m0004_contacts::Migration),
            Box::new(m0005_responses::Migration),
            Box::new(m0006_outbox::Migration),
            Box::new(m0007_access_webhooks::Migration),
            Box::new(m0008_campaigns::Migration),
            Box::new(m0010_respondent_attributes::Migration),
            Box::new(m0011_report_runs::Migration),
            Box::new(m0012_sessions::Migration),
        ]
    }
}
