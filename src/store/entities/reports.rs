//! Report settings per questionnaire and cached report runs.

pub mod report_settings {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "report_settings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub questionnaire_id: i32,
        pub fiscal_start_month: i32,
        pub pooled: bool,
        pub resamples: i32,
        pub waves: String,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod report_runs {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "report_runs")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub questionnaire_id: i32,
        pub settings_hash: String,
        pub fingerprint: String,
        pub status: crate::store::entities::ReportRunStatus,
        pub progress: i64,
        pub total: i64,
        pub result: Option<String>,
        pub error: String,
        pub started_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub finished_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
