//! The minijinja environment with every page template embedded, and page rendering.

use crate::domain::Lang;
use crate::i18n;
use minijinja::{Environment, State, Value, context};
use serde::Serialize;

/// Every template, embedded so one binary deploys.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("home.html", include_str!("templates/home.html")),
    ("login.html", include_str!("templates/login.html")),
    ("error.html", include_str!("templates/error.html")),
    (
        "design_list.html",
        include_str!("templates/design_list.html"),
    ),
    (
        "design_questionnaire.html",
        include_str!("templates/design_questionnaire.html"),
    ),
    (
        "design_macros.html",
        include_str!("templates/design_macros.html"),
    ),
    ("design_nav.html", include_str!("templates/design_nav.html")),
    (
        "design_construct.html",
        include_str!("templates/design_construct.html"),
    ),
    (
        "design_indicator.html",
        include_str!("templates/design_indicator.html"),
    ),
    (
        "design_weights.html",
        include_str!("templates/design_weights.html"),
    ),
    (
        "design_settings.html",
        include_str!("templates/design_settings.html"),
    ),
    (
        "design_diff.html",
        include_str!("templates/design_diff.html"),
    ),
    (
        "design_import.html",
        include_str!("templates/design_import.html"),
    ),
    (
        "design_preview.html",
        include_str!("templates/design_preview.html"),
    ),
    (
        "design_preview_phone.html",
        include_str!("templates/design_preview_phone.html"),
    ),
    (
        "survey_base.html",
        include_str!("templates/survey_base.html"),
    ),
    (
        "survey_welcome.html",
        include_str!("templates/survey_welcome.html"),
    ),
    (
        "survey_page.html",
        include_str!("templates/survey_page.html"),
    ),
    (
        "survey_state.html",
        include_str!("templates/survey_state.html"),
    ),
    (
        "survey_thanks.html",
        include_str!("templates/survey_thanks.html"),
    ),
    ("report.html", include_str!("templates/report.html")),
    (
        "report_settings.html",
        include_str!("templates/report_settings.html"),
    ),
    (
        "field_import.html",
        include_str!("templates/field_import.html"),
    ),
    ("audit.html", include_str!("templates/audit.html")),
    ("contacts.html", include_str!("templates/contacts.html")),
    (
        "contacts_import.html",
        include_str!("templates/contacts_import.html"),
    ),
    ("campaigns.html", include_str!("templates/campaigns.html")),
    (
        "campaign_new.html",
        include_str!("templates/campaign_new.html"),
    ),
    ("campaign.html", include_str!("templates/campaign.html")),
    ("outbox.html", include_str!("templates/outbox.html")),
    (
        "unsubscribe.html",
        include_str!("templates/unsubscribe.html"),
    ),
    ("account.html", include_str!("templates/account.html")),
    ("users.html", include_str!("templates/users.html")),
    ("webhooks.html", include_str!("templates/webhooks.html")),
    ("privacy.html", include_str!("templates/privacy.html")),
];

/// The template engine; autoescaping is on for every `.html` template.
pub struct Templates {
    env: Environment<'static>,
}

fn translate(state: &State, key: &str) -> String {
    let lang = state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(Lang::parse))
        .unwrap_or(Lang::ZhCn);
    i18n::t(lang, key).to_owned()
}

/// Picks the text of a bilingual value (`{zh, en}`) in the page's language.
fn localise(state: &State, text: Value) -> String {
    let lang = state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(Lang::parse))
        .unwrap_or(Lang::ZhCn);
    let own = text
        .get_attr(lang.key())
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_none());
    let other = Lang::ALL
        .iter()
        .filter_map(|l| text.get_attr(l.key()).ok())
        .find(|v| !v.is_undefined() && !v.is_none());
    own.or(other).map(|v| v.to_string()).unwrap_or_default()
}

impl Templates {
    pub fn new() -> Templates {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("template {name} does not parse: {e}"));
        }
        env.add_function("t", translate);
        env.add_filter("local", localise);
        Templates { env }
    }

    /// Renders a page with the common context (language, signed-in user, CSRF token).
    pub fn page(
        &self,
        name: &str,
        common: &Common,
        view: impl Serialize,
    ) -> Result<String, minijinja::Error> {
        let template = self.env.get_template(name)?;
        template.render(context! {
            lang => common.lang.tag(),
            other_lang => if common.lang == Lang::ZhCn { "en" } else { "zh-CN" },
            other_lang_name => if common.lang == Lang::ZhCn { Lang::En } else { Lang::ZhCn }.native_name(),
            user => Value::from(minijinja::value::Serde(&common.user)),
            csrf => common.csrf.clone(),
            path => common.path.clone(),
            page => Value::from(minijinja::value::Serde(&view)),
        })
    }

    /// Names of all templates, for tests.
    pub fn names() -> impl Iterator<Item = &'static str> {
        TEMPLATES.iter().map(|(name, _)| *name)
    }

    /// Every `t("…")` key used by a template, for the test that all are translated.
    pub fn used_keys() -> Vec<String> {
        TEMPLATES
            .iter()
            .flat_map(|(_, source)| source.split("t(\"").skip(1))
            .filter_map(|rest| rest.split_once('"').map(|(key, _)| key.to_owned()))
            .collect()
    }
}

impl Default for Templates {
    fn default() -> Templates {
        Templates::new()
    }
}

/// What every page needs besides its own view.
#[derive(Debug, Clone)]
pub struct Common {
    pub lang: Lang,
    pub user: Option<crate::store::users::User>,
    pub csrf: String,
    pub path: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses_and_every_key_is_translated() {
        let _ = Templates::new();
        // A key built in the template (`t("role." ~ user.role)`) is checked for every value it takes.
        let dynamic = |prefix: &str| -> Vec<String> {
            match prefix {
                "role." => ["viewer", "designer", "admin"]
                    .iter()
                    .map(|r| format!("{prefix}{r}"))
                    .collect(),
                other => vec![format!(
                    "{other}<unknown dynamic key: list its values in this test>"
                )],
            }
        };
        let missing: Vec<String> = Templates::used_keys()
            .into_iter()
            .flat_map(|k| {
                if k.ends_with('.') {
                    dynamic(&k)
                } else {
                    vec![k]
                }
            })
            .filter(|k| !i18n::has(k))
            .collect();
        assert!(missing.is_empty(), "untranslated keys: {missing:?}");
        assert!(Templates::names().count() >= 10);
    }
}
