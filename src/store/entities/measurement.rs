//! The stored measurement models: models, their constructs, dimensions, indicators and paths.

pub mod models {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "models")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub code: String,
        pub name_zh: String,
        pub name_en: String,
        pub description_zh: String,
        pub description_en: String,
        pub languages: String,
        pub frozen: bool,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod constructs {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "constructs")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub model_id: i32,
        pub code: String,
        pub name_zh: String,
        pub name_en: String,
        pub mode: String,
        pub expert_weight: Option<f64>,
        pub position: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod dimensions {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "dimensions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub construct_id: i32,
        pub code: String,
        pub name_zh: String,
        pub name_en: String,
        pub position: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod indicators {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "indicators")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub model_id: i32,
        pub construct_id: i32,
        pub dimension: Option<String>,
        pub code: String,
        pub text_zh: String,
        pub text_en: String,
        pub scale_kind: String,
        pub scale_points: i16,
        pub scale_low_zh: String,
        pub scale_low_en: String,
        pub scale_high_zh: String,
        pub scale_high_en: String,
        pub scale_labels: String,
        pub dont_know: bool,
        pub reverse: bool,
        pub expert_weight: Option<f64>,
        pub position: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod paths {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "paths")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub model_id: i32,
        pub from_code: String,
        pub to_code: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
