//! The SMTP side: lettre's pooled async transport built from the settings, and outbox rows turned into messages.

use crate::config::{Settings, SmtpTls};
use crate::store::entities::outbox;
use crate::store::outbox::headers_of;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, Message, Tokio1Executor};
use std::time::Duration;

pub type Mailer = AsyncSmtpTransport<Tokio1Executor>;

/// The transport: TLS mode, credentials and pool size from the settings.
pub fn mailer(settings: &Settings) -> Result<Mailer, lettre::transport::smtp::Error> {
    let builder = match settings.smtp_tls {
        SmtpTls::None => {
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.smtp_host)
        }
        SmtpTls::Starttls => {
            AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.smtp_host)?
        }
        SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.smtp_host)?,
    };
    let mut builder = builder
        .port(settings.smtp_port)
        .timeout(Some(Duration::from_secs(30)))
        .pool_config(
            PoolConfig::new()
                .max_size(settings.mail_batch)
                .idle_timeout(Duration::from_secs(60)),
        );
    if !settings.smtp_username.is_empty() {
        builder = builder.credentials(Credentials::new(
            settings.smtp_username.clone(),
            settings.smtp_password.clone(),
        ));
    }
    Ok(builder.build())
}

/// The domain part of the sender, used in Message-IDs.
pub fn sender_domain(mail_from: &str) -> String {
    mail_from
        .parse::<Mailbox>()
        .map(|m| m.email.domain().to_owned())
        .unwrap_or_else(|_| "localhost".into())
}

/// Why a row cannot become a message (never retried: the row itself is wrong).
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("bad address: {0}")]
    Address(#[from] lettre::address::AddressError),
    #[error("bad message: {0}")]
    Message(#[from] lettre::error::Error),
    #[error("bad header name: {0}")]
    Header(String),
}

/// The message of an outbox row, with the row's own Message-ID so a resend is the same message.
pub fn message_of(row: &outbox::Model, from: &str) -> Result<Message, BuildError> {
    let mut builder = Message::builder()
        .from(from.parse()?)
        .to(row.recipient.parse()?)
        .subject(row.subject.clone())
        .message_id(Some(row.message_id.clone()));
    for (name, value) in headers_of(row) {
        let name =
            HeaderName::new_from_ascii(name.clone()).map_err(|_| BuildError::Header(name))?;
        builder = builder.raw_header(HeaderValue::new(name, value));
    }
    let message = match &row.body_html {
        Some(html) => builder.multipart(MultiPart::alternative_plain_html(
            row.body_text.clone(),
            html.clone(),
        ))?,
        None => builder.body(row.body_text.clone())?,
    };
    Ok(message)
}
