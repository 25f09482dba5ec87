//! Getting questionnaires answered: distributions (links and campaigns), contacts, invitations, the outbox and webhooks.

pub mod distributions {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "distributions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub questionnaire_id: i32,
        pub kind: String,
        pub name: String,
        pub slug: Option<String>,
        pub brand_id: Option<i32>,
        pub version_id: Option<i32>,
        pub opens_at: Option<DateTimeUtc>,
        pub closes_at: Option<DateTimeUtc>,
        pub quota: Option<i32>,
        pub send_at: Option<DateTimeUtc>,
        pub expires_at: Option<DateTimeUtc>,
        pub reminder_days: String,
        pub contact_filter: String,
        pub status: crate::store::entities::DistributionStatus,
        pub created_at: DateTimeUtc,
        /// Added by m0008: how many reminders a contact gets at most.
        pub max_reminders: i32,
        /// Added by m0008: when the scheduler created the campaign's invitations.
        pub launched_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod contacts {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "contacts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub email: String,
        pub name: String,
        pub language: String,
        pub brand_id: Option<i32>,
        pub region: Option<String>,
        pub customer_class: Option<String>,
        pub lifecycle_stage: Option<String>,
        pub attributes: String,
        pub unsubscribed_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod invitations {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "invitations")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub distribution_id: i32,
        pub contact_id: Option<i32>,
        pub token_hash: String,
        pub created_at: DateTimeUtc,
        pub expires_at: Option<DateTimeUtc>,
        pub sent_at: Option<DateTimeUtc>,
        pub reminders_sent: i32,
        pub last_reminded_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod outbox {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "outbox")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub kind: String,
        pub recipient: String,
        pub subject: String,
        pub body_text: String,
        pub body_html: Option<String>,
        pub headers: String,
        pub message_id: String,
        pub invitation_id: Option<i32>,
        pub status: crate::store::entities::OutboxStatus,
        pub attempts: i32,
        pub next_attempt_at: DateTimeUtc,
        pub claimed_at: Option<DateTimeUtc>,
        pub sent_at: Option<DateTimeUtc>,
        pub last_error: Option<String>,
        pub created_at: DateTimeUtc,
        /// Added by m0008: the lease a worker holds while the row is `sending`.
        pub claim_token: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod webhooks {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "webhooks")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub questionnaire_id: i32,
        pub url: String,
        pub secret: String,
        pub active: bool,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
