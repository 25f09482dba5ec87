//! The translation catalogue: every interface string, one TOML file per area and language under `src/locales/`, loaded once.
//!
//! A language is a directory (`src/locales/zh-CN/`, `src/locales/en/`) holding the same files
//! with the same keys (a test holds them equal); a text may name arguments as `{name}`, which
//! [`format`] fills in. Code and templates carry keys, never the words themselves: domain
//! errors are [`Message`]s (a key and its arguments) that the web layer renders in the
//! reader's language.

use crate::domain::Lang;
use crate::domain::message::Message;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The catalogue files of each language, embedded in the binary. Adding a language is a
/// directory of these files plus its line here (and its tag in `Lang`).
const FILES: &[(Lang, &str, &str)] = &[
    (Lang::ZhCn, "app", include_str!("locales/zh-CN/app.toml")),
    (
        Lang::ZhCn,
        "accounts",
        include_str!("locales/zh-CN/accounts.toml"),
    ),
    (
        Lang::ZhCn,
        "design",
        include_str!("locales/zh-CN/design.toml"),
    ),
    (Lang::ZhCn, "mail", include_str!("locales/zh-CN/mail.toml")),
    (
        Lang::ZhCn,
        "report",
        include_str!("locales/zh-CN/report.toml"),
    ),
    (
        Lang::ZhCn,
        "domain",
        include_str!("locales/zh-CN/domain.toml"),
    ),
    (Lang::En, "app", include_str!("locales/en/app.toml")),
    (
        Lang::En,
        "accounts",
        include_str!("locales/en/accounts.toml"),
    ),
    (Lang::En, "design", include_str!("locales/en/design.toml")),
    (Lang::En, "mail", include_str!("locales/en/mail.toml")),
    (Lang::En, "report", include_str!("locales/en/report.toml")),
    (Lang::En, "domain", include_str!("locales/en/domain.toml")),
];

/// Every key of every language, read from `FILES` on first use.
static CATALOGUE: LazyLock<HashMap<Lang, HashMap<String, String>>> = LazyLock::new(|| {
    let mut catalogue: HashMap<Lang, HashMap<String, String>> = HashMap::new();
    for (lang, area, text) in FILES {
        let table: HashMap<String, String> = toml::from_str(text).unwrap_or_else(|e| {
            panic!(
                "src/locales/{}/{area}.toml is not a table of strings: {e}",
                lang.tag()
            )
        });
        let strings = catalogue.entry(*lang).or_default();
        for (key, value) in table {
            if strings.insert(key.clone(), value).is_some() {
                panic!("key {key} is defined twice in src/locales/{}/", lang.tag());
            }
        }
    }
    catalogue
});

/// The text of `key` in `lang`; an unknown key is returned as is (and caught by tests).
pub fn t(lang: Lang, key: &str) -> &str {
    CATALOGUE
        .get(&lang)
        .and_then(|strings| strings.get(key))
        .map_or(key, String::as_str)
}

/// The text of `key` in `lang` with each `{name}` replaced by its argument.
pub fn t_with(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    fill(t(lang, key), args)
}

/// A domain message in `lang`.
pub fn format(lang: Lang, message: &Message) -> String {
    t_with(lang, message.key, &message.args)
}

/// `text` with each `{name}` replaced by its argument; unknown names stay as they are.
fn fill(text: &str, args: &[(&str, String)]) -> String {
    if args.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| {
            let name = &after[..close];
            args.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, value)| (close, value))
        }) {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether `key` exists (in every language; the parity test checks the rest).
pub fn has(key: &str) -> bool {
    CATALOGUE
        .get(&Lang::ZhCn)
        .is_some_and(|strings| strings.contains_key(key))
}

/// Every key of `lang`, for tests.
pub fn keys(lang: Lang) -> Vec<&'static str> {
    let mut keys: Vec<&str> = CATALOGUE
        .get(&lang)
        .map(|strings| strings.keys().map(String::as_str).collect())
        .unwrap_or_default();
    keys.sort_unstable();
    keys
}

#[cfg(test)]
mod inline_text;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn placeholders(text: &str) -> BTreeSet<&str> {
        text.split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(name, _)| name))
            .filter(|name| {
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
            .collect()
    }

    #[test]
    fn every_language_has_the_same_keys_and_arguments() {
        let reference = keys(Lang::ZhCn);
        assert!(reference.len() > 500, "the catalogue is loaded");
        for lang in Lang::ALL {
            assert_eq!(
                keys(lang),
                reference,
                "keys of {} differ from zh-CN",
                lang.tag()
            );
            for key in &reference {
                assert!(
                    !t(lang, key).trim().is_empty(),
                    "{key} is empty in {}",
                    lang.tag()
                );
                assert_eq!(
                    placeholders(t(lang, key)),
                    placeholders(t(Lang::ZhCn, key)),
                    "{key}: the arguments of {} differ from zh-CN",
                    lang.tag()
                );
            }
        }
    }

    #[test]
    fn arguments_are_filled_in_and_unknown_ones_kept() {
        let args = [("n", "3".to_owned()), ("total", "7".to_owned())];
        assert_eq!(fill("page {n} of {total}", &args), "page 3 of 7");
        assert_eq!(fill("{n}{n} {other} {", &args), "33 {other} {");
        assert_eq!(fill("第 {n} 页", &[]), "第 {n} 页");
    }

    #[test]
    fn an_unknown_key_is_shown_as_itself() {
        assert_eq!(t(Lang::En, "no.such.key"), "no.such.key");
        assert!(!has("no.such.key"));
    }
}
