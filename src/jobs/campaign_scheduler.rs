//! The scheduler tick: launches campaigns whose send time has come and releases reminders that are due.

use crate::domain::Lang;
use crate::domain::token::token_hash;
use crate::mail::templates::{self, EmailContext, EmailKind};
use crate::store::campaigns::{self, Campaign, InvitationDraft};
use crate::store::outbox::{self, NewMessage, OutboxStatus, kind};
use crate::store::{audit, brands, contacts, models, questionnaires};
use chrono::Duration;
use rand::RngExt;
use sea_orm::DatabaseConnection;

/// Invitations written per transaction while launching.
const LAUNCH_CHUNK: usize = 100;

/// A fresh invitation token: 256 random bits, URL-safe base64 (43 characters).
pub fn new_token() -> String {
    use base64::Engine;
    let bytes: [u8; 32] = rand::rng().random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the scheduler needs to write emails.
#[derive(Debug, Clone)]
pub struct Mailing {
    /// The address respondents open, without a trailing slash.
    pub public_url: String,
    /// The domain of Message-IDs.
    pub domain: String,
}

/// What a campaign's emails say that is the same for every contact, per language.
struct CampaignTexts {
    survey: crate::domain::Text,
    brand: crate::domain::Text,
    minutes: u32,
}

async fn texts_of(db: &DatabaseConnection, campaign: &Campaign) -> anyhow::Result<CampaignTexts> {
    let questionnaire = questionnaires::by_id(db, campaign.questionnaire_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("questionnaire {} is gone", campaign.questionnaire_id))?;
    let versions = questionnaires::versions(db, campaign.questionnaire_id).await?;
    let version = versions
        .iter()
        .find(|v| Some(v.id) == campaign.version_id)
        .ok_or_else(|| {
            anyhow::anyhow!(
                "version {:?} of questionnaire {} is gone",
                campaign.version_id,
                questionnaire.id
            )
        })?;
    let items = models::load(db, version.model_id)
        .await?
        .indicators()
        .count();
    let brands = brands::of_questionnaire(db, campaign.questionnaire_id).await?;
    let brand = brands
        .iter()
        .find(|b| Some(b.id) == campaign.brand_id)
        .or_else(|| brands.iter().find(|b| b.is_own))
        .map(|b| b.name.clone())
        .unwrap_or_else(|| {
            crate::domain::Text::new(
                crate::i18n::t(Lang::ZhCn, "mail.brand_fallback"),
                crate::i18n::t(Lang::En, "mail.brand_fallback"),
            )
        });
    Ok(CampaignTexts {
        survey: questionnaire.title,
        brand,
        minutes: templates::minutes_for(items),
    })
}

/// The invitation and its held reminders for one contact, rendered in the contact's language.
fn draft_for(
    mailing: &Mailing,
    campaign: &Campaign,
    texts: &CampaignTexts,
    contact: &contacts::Contact,
) -> anyhow::Result<InvitationDraft> {
    let token = new_token();
    let lang = Lang::parse(&contact.language).unwrap_or(Lang::ZhCn);
    let expires_at = campaign
        .expires_at
        .unwrap_or(campaign.send_at + Duration::days(14));
    let unsubscribe = format!(
        "{}/unsubscribe/{token}?lang={}",
        mailing.public_url,
        lang.tag()
    );
    let context = EmailContext {
        name: contact.name.clone(),
        brand: texts.brand.best(lang).to_owned(),
        survey: texts.survey.best(lang).to_owned(),
        minutes: texts.minutes,
        deadline: templates::format_deadline(expires_at, lang),
        link: format!("{}/i/{token}", mailing.public_url),
        unsubscribe: unsubscribe.clone(),
    };
    let headers = vec![
        ("List-Unsubscribe".to_owned(), format!("<{unsubscribe}>")),
        (
            "List-Unsubscribe-Post".to_owned(),
            "List-Unsubscribe=One-Click".to_owned(),
        ),
    ];
    let message = |email_kind: EmailKind,
                   row_kind: &'static str,
                   row_status: OutboxStatus,
                   due_at|
     -> anyhow::Result<NewMessage> {
        let email = templates::render(email_kind, lang, &context)?;
        Ok(NewMessage {
            kind: row_kind,
            recipient: contact.email.clone(),
            subject: email.subject,
            body_text: email.text,
            body_html: Some(email.html),
            headers: headers.clone(),
            message_id: outbox::new_message_id(&mailing.domain),
            invitation_id: None,
            status: row_status,
            due_at,
        })
    };
    let now = crate::store::now();
    let mut messages = vec![message(
        EmailKind::Invitation,
        kind::INVITATION,
        OutboxStatus::Queued,
        now,
    )?];
    for day in &campaign.reminder_days {
        let due = campaign.send_at.max(now) + Duration::days(i64::from(*day));
        messages.push(message(
            EmailKind::Reminder,
            kind::REMINDER,
            OutboxStatus::Held,
            due,
        )?);
    }
    Ok(InvitationDraft {
        contact_id: contact.id,
        token_hash: token_hash(&token),
        expires_at,
        messages,
    })
}

/// Writes the invitations of one claimed campaign (skipping contacts already invited) and marks it running.
pub async fn launch(
    db: &DatabaseConnection,
    mailing: &Mailing,
    campaign: &Campaign,
) -> anyhow::Result<usize> {
    let texts = texts_of(db, campaign).await?;
    let invited = campaigns::invited_contacts(db, campaign.id).await?;
    let audience: Vec<_> = contacts::matching(db, &campaign.filter)
        .await?
        .into_iter()
        .filter(|c| !invited.contains(&c.id))
        .collect();
    let mut written = 0;
    for chunk in audience.chunks(LAUNCH_CHUNK) {
        let drafts = chunk
            .iter()
            .map(|contact| draft_for(mailing, campaign, &texts, contact))
            .collect::<anyhow::Result<Vec<_>>>()?;
        written += campaigns::insert_invitations(db, campaign.id, drafts).await?;
    }
    campaigns::mark_running(db, campaign.id).await?;
    audit::record(
        db,
        &audit::Actor::system("mail scheduler"),
        "campaign.send",
        &format!("campaign {}", campaign.id),
        &format!(
            "{written} invitations queued ({} already invited)",
            invited.len()
        ),
    )
    .await?;
    Ok(written)
}

/// One tick: launch every due campaign, then release due reminders. Returns invitations written.
pub async fn tick(
    db: &DatabaseConnection,
    mailing: &Mailing,
    launch_lease: Duration,
) -> anyhow::Result<usize> {
    let mut written = 0;
    while let Some(campaign) = campaigns::claim_due(db, launch_lease).await? {
        written += launch(db, mailing, &campaign).await?;
    }
    outbox::release_due_reminders(db).await?;
    Ok(written)
}
