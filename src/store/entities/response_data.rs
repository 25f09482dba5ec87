//! Responses and their answers.

pub mod responses {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "responses")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub questionnaire_id: i32,
        pub version_id: i32,
        pub distribution_id: Option<i32>,
        pub invitation_id: Option<i32>,
        pub brand_id: Option<i32>,
        pub status: crate::store::entities::ResponseStatus,
        pub source: String,
        pub language: String,
        pub resume_token_hash: Option<String>,
        pub comment: String,
        pub region: Option<String>,
        pub customer_class: Option<String>,
        pub channel: Option<String>,
        pub lifecycle_stage: Option<String>,
        pub started_at: DateTimeUtc,
        pub completed_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod answers {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "answers")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub response_id: i32,
        pub indicator_id: i32,
        pub value: Option<i32>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
