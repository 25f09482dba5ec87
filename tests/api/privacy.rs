//! Data protection: erasing a contact on request keeps their answers unlinked (or deletes them), and the retention purge.

use crate::helpers::{TestApp, spawn_app_with};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr,
};
use yardstick::domain::Role;
use yardstick::store::entities::{answers, contacts, distributions, invitations, responses};
use yardstick::store::{self, directory, responses::CompletedResponse};

/// A contact invited to the questionnaire who answered with a comment; returns (contact, response).
async fn invited_respondent(app: &TestApp, questionnaire: i32, email: &str) -> (i32, i32) {
    let contact = directory::create_contact(
        &app.db,
        directory::NewContact {
            email: email.into(),
            name: "Han Meimei".into(),
            language: "en".into(),
            region: None,
            customer_class: None,
            lifecycle_stage: None,
            attributes: Default::default(),
        },
    )
    .await
    .unwrap();
    let distribution = distributions::Entity::find()
        .filter(distributions::Column::QuestionnaireId.eq(questionnaire))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let invitation = invitations::ActiveModel {
        distribution_id: Set(distribution.id),
        contact_id: Set(Some(contact.id)),
        token_hash: Set(format!("hash-{email}")),
        created_at: Set(store::now()),
        expires_at: Set(None),
        sent_at: Set(None),
        reminders_sent: Set(0),
        last_reminded_at: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let version = store::questionnaires::current_version(&app.db, questionnaire)
        .await
        .unwrap()
        .unwrap();
    let ids = store::models::indicator_ids(&app.db, version.model_id)
        .await
        .unwrap();
    let stored = store::responses::store_completed(
        &app.db,
        &[CompletedResponse {
            questionnaire_id: questionnaire,
            version_id: version.id,
            distribution_id: Some(distribution.id),
            brand_id: None,
            language: "en".into(),
            source: store::responses::Source::Web,
            comment: "call me on 138 0000 0000".into(),
            segments: Default::default(),
            completed_at: store::now(),
            answers: ids.values().map(|id| (*id, Some(7))).collect(),
        }],
    )
    .await
    .unwrap();
    responses::Entity::update_many()
        .col_expr(responses::Column::InvitationId, Expr::value(invitation.id))
        .filter(responses::Column::Id.eq(stored[0]))
        .exec(&app.db)
        .await
        .unwrap();
    (contact.id, stored[0])
}

#[tokio::test]
async fn a_contact_is_anonymised_or_deleted_on_request_and_old_data_is_purged() {
    let app = spawn_app_with(&[("YARDSTICK_RETENTION_DAYS", "30")]).await;
    app.sign_in_as(Role::Admin).await;
    let questionnaire = app
        .publish_template("acsi.toml", "privacy", "", false)
        .await;
    let (kept, kept_response) = invited_respondent(&app, questionnaire, "keep@example.test").await;
    let (gone, gone_response) = invited_respondent(&app, questionnaire, "gone@example.test").await;
    let answers_of = |id: i32| {
        answers::Entity::find()
            .filter(answers::Column::ResponseId.eq(id))
            .all(&app.db)
    };
    let before = answers_of(kept_response).await.unwrap().len();
    assert!(before > 0);
    // Found by the search, then anonymised.
    assert!(
        app.get_html("/admin/privacy?q=keep@")
            .await
            .1
            .contains("keep@example.test")
    );
    let response = app
        .post_form(
            &format!("/admin/privacy/contacts/{kept}"),
            &[("action", "anonymise")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        contacts::Entity::find_by_id(kept)
            .one(&app.db)
            .await
            .unwrap()
            .is_none(),
        "the person is gone"
    );
    let row = responses::Entity::find_by_id(kept_response)
        .one(&app.db)
        .await
        .unwrap()
        .expect("the response stays");
    assert_eq!(
        (row.invitation_id, row.comment.as_str()),
        (None, ""),
        "unlinked, comment removed"
    );
    assert_eq!(
        answers_of(kept_response).await.unwrap().len(),
        before,
        "answers kept for statistics"
    );
    // Deleted with the response.
    let response = app
        .post_form(
            &format!("/admin/privacy/contacts/{gone}"),
            &[("action", "delete")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        contacts::Entity::find_by_id(gone)
            .one(&app.db)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        responses::Entity::find_by_id(gone_response)
            .one(&app.db)
            .await
            .unwrap()
            .is_none()
    );
    assert!(answers_of(gone_response).await.unwrap().is_empty());
    // An unknown action changes nothing.
    let (other, other_response) = invited_respondent(&app, questionnaire, "old@example.test").await;
    assert_eq!(
        app.post_form(
            &format!("/admin/privacy/contacts/{other}"),
            &[("action", "shred")]
        )
        .await
        .status()
        .as_u16(),
        400
    );
    assert!(
        contacts::Entity::find_by_id(other)
            .one(&app.db)
            .await
            .unwrap()
            .is_some()
    );
    // The retention purge: a contact and invitation older than 30 days go, the response is unlinked.
    let old = store::now() - chrono::Duration::days(40);
    contacts::Entity::update_many()
        .col_expr(contacts::Column::CreatedAt, Expr::value(old))
        .filter(contacts::Column::Id.eq(other))
        .exec(&app.db)
        .await
        .unwrap();
    invitations::Entity::update_many()
        .col_expr(invitations::Column::CreatedAt, Expr::value(old))
        .filter(invitations::Column::ContactId.eq(other))
        .exec(&app.db)
        .await
        .unwrap();
    responses::Entity::update_many()
        .col_expr(responses::Column::CompletedAt, Expr::value(old))
        .filter(responses::Column::Id.eq(other_response))
        .exec(&app.db)
        .await
        .unwrap();
    let response = app.post_form("/admin/privacy/purge", &[]).await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        contacts::Entity::find_by_id(other)
            .one(&app.db)
            .await
            .unwrap()
            .is_none()
    );
    let row = responses::Entity::find_by_id(other_response)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((row.invitation_id, row.comment.as_str()), (None, ""));
    let audit = app.get_html("/admin/audit").await.1;
    assert!(
        audit.contains("anonymise contact")
            && audit.contains("delete contact")
            && audit.contains("purge personal data")
    );
    assert!(
        !audit.contains("keep@example.test"),
        "the audit does not keep the erased address"
    );
}

/// Whether `needle` occurs anywhere in the SQLite database file or its write-ahead log.
fn database_files_contain(database_url: &str, needle: &str) -> bool {
    let path = database_url
        .trim_start_matches("sqlite://")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    [path.clone(), format!("{path}-wal")].iter().any(|file| {
        std::fs::read(file)
            .unwrap_or_default()
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
    })
}

#[tokio::test]
async fn an_erased_contact_is_gone_from_the_database_files_too() {
    let app = spawn_app_with(&[]).await;
    if crate::helpers::backend() != "sqlite" {
        // PostgreSQL: the erasure ends with VACUUM of the personal-data tables (README, security).
        return;
    }
    let url = app.state.settings.database_url.clone();
    app.sign_in_as(Role::Admin).await;
    let questionnaire = app.publish_template("acsi.toml", "scrub", "", false).await;
    let email = "erase-me-7f3a@example.test";
    let (contact, response) = invited_respondent(&app, questionnaire, email).await;
    let comment = "call me on 138 0000 0000";
    // Some data already checkpointed into the main file, some still in the log.
    use sea_orm::ConnectionTrait;
    app.db
        .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
        .await
        .unwrap();
    let (_, other_response) = invited_respondent(&app, questionnaire, "stays@example.test").await;
    assert!(database_files_contain(&url, email));
    assert!(database_files_contain(&url, comment));
    let erased = app
        .post_form(
            &format!("/admin/privacy/contacts/{contact}"),
            &[("action", "anonymise")],
        )
        .await;
    assert_eq!(erased.status().as_u16(), 200);
    assert!(
        !database_files_contain(&url, email),
        "the erased address is still readable in the database files"
    );
    // The other respondent's comment stays; the erased one's is gone from the files as well.
    let row = responses::Entity::find_by_id(response)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.comment, "");
    let other = responses::Entity::find_by_id(other_response)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(other.comment, comment);
    assert!(database_files_contain(&url, "stays@example.test"));
}
