//! Yardstick's database migrations; the same set runs on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m0001_accounts;
mod m0002_models;
mod m0003_questionnaires;
mod m0004_contacts;
mod m0005_responses;
mod m0006_outbox;
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
        ]
    }
}
