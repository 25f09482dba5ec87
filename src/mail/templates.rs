//! Email templates (zh-CN and English; subject, plain text and HTML per email), embedded and rendered with minijinja.

use crate::domain::Lang;
use minijinja::{AutoEscape, Environment};
use serde::Serialize;
use std::sync::LazyLock;

/// The emails Yardstick sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailKind {
    Invitation,
    Reminder,
}

impl EmailKind {
    fn folder(self) -> &'static str {
        match self {
            EmailKind::Invitation => "invitation",
            EmailKind::Reminder => "reminder",
        }
    }
}

macro_rules! email_templates {
    ($($lang:literal / $email:literal),*) => {
        &[
            ("base.html.j2", include_str!("templates/base.html.j2")),
            $(
                (concat!($lang, "/", $email, "/subject.txt.j2"), include_str!(concat!("templates/", $lang, "/", $email, "/subject.txt.j2"))),
                (concat!($lang, "/", $email, "/body.txt.j2"), include_str!(concat!("templates/", $lang, "/", $email, "/body.txt.j2"))),
                (concat!($lang, "/", $email, "/body.html.j2"), include_str!(concat!("templates/", $lang, "/", $email, "/body.html.j2"))),
            )*
        ]
    };
}

const TEMPLATES: &[(&str, &str)] = email_templates!(
    "zh-CN" / "invitation",
    "zh-CN" / "reminder",
    "en" / "invitation",
    "en" / "reminder"
);

static ENVIRONMENT: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html.j2") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .unwrap_or_else(|e| panic!("email template {name} does not parse: {e}"));
    }
    env
});

/// What every invitation and reminder says.
#[derive(Debug, Clone, Serialize)]
pub struct EmailContext {
    /// The contact's name; empty for a plain greeting.
    pub name: String,
    pub brand: String,
    pub survey: String,
    pub minutes: u32,
    /// The deadline as the reader writes dates.
    pub deadline: String,
    pub link: String,
    pub unsubscribe: String,
}

/// A rendered email: subject (one line), plain text and HTML.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedEmail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Renders one email in one language.
pub fn render(
    kind: EmailKind,
    lang: Lang,
    context: &EmailContext,
) -> Result<RenderedEmail, minijinja::Error> {
    let part = |file: &str| -> Result<String, minijinja::Error> {
        let name = format!("{}/{}/{file}", lang.tag(), kind.folder());
        let template = ENVIRONMENT.get_template(&name)?;
        template.render(minijinja::context! { lang => lang.tag(), ..minijinja::Value::from(minijinja::value::Serde(context)) })
    };
    let subject = part("subject.txt.j2")?
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
        .trim()
        .to_owned();
    Ok(RenderedEmail {
        subject,
        text: part("body.txt.j2")?,
        html: part("body.html.j2")?,
    })
}

/// A deadline as each language writes it, e.g. `2026年11月30日` or `30 November 2026`.
pub fn format_deadline(at: chrono::DateTime<chrono::Utc>, lang: Lang) -> String {
    at.format(crate::i18n::t(lang, "mail.deadline_format"))
        .to_string()
}

/// Minutes a questionnaire of `items` questions takes, about ten seconds each, at least two.
pub fn minutes_for(items: usize) -> u32 {
    (items as u32 * 10).div_ceil(60).max(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> EmailContext {
        EmailContext {
            name: "<b>Ann</b> & co".into(),
            brand: "Dairy".into(),
            survey: "Satisfaction".into(),
            minutes: 3,
            deadline: "30 November 2026".into(),
            link: "http://localhost/i/abc".into(),
            unsubscribe: "http://localhost/unsubscribe/abc".into(),
        }
    }

    #[test]
    fn every_email_renders_in_both_languages() {
        for kind in [EmailKind::Invitation, EmailKind::Reminder] {
            for lang in Lang::ALL {
                let email = render(kind, lang, &context()).unwrap();
                assert!(!email.subject.is_empty() && !email.subject.contains('\n'));
                // minijinja's HTML escaping writes `/` as `&#x2f;`, which browsers read back as `/`.
                let html = email.html.replace("&#x2f;", "/");
                assert!(
                    email.text.contains("http://localhost/i/abc")
                        && html.contains("href=\"http://localhost/i/abc\"")
                );
                assert!(
                    email.text.contains("/unsubscribe/abc") && html.contains("/unsubscribe/abc")
                );
                assert!(email.html.contains(&format!("lang=\"{}\"", lang.tag())));
            }
        }
        assert!(
            render(EmailKind::Invitation, Lang::ZhCn, &context())
                .unwrap()
                .text
                .contains("分钟")
        );
        assert!(
            render(EmailKind::Reminder, Lang::En, &context())
                .unwrap()
                .subject
                .starts_with("Reminder")
        );
    }

    #[test]
    fn user_text_is_escaped_in_html_only() {
        let email = render(EmailKind::Invitation, Lang::En, &context()).unwrap();
        assert!(
            email.html.contains("&lt;b&gt;Ann&lt;&#x2f;b&gt; &amp; co")
                || email.html.contains("&lt;b&gt;Ann&lt;/b&gt; &amp; co"),
            "{}",
            email.html
        );
        assert!(!email.html.contains("<b>Ann</b>"));
        assert!(email.text.contains("<b>Ann</b> & co"));
    }

    #[test]
    fn minutes_and_deadlines() {
        assert_eq!(minutes_for(15), 3);
        assert_eq!(minutes_for(3), 2);
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-30T08:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(
            format_deadline(at, Lang::ZhCn),
            "2026年11月30日 08:00 (UTC)"
        );
        assert_eq!(format_deadline(at, Lang::En), "30 November 2026, 08:00 UTC");
    }
}
