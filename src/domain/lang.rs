//! Languages Yardstick speaks (zh-CN and English) and texts given in both.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A language of the user interface and of questionnaire texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Lang {
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::En];

    /// Parses a language tag such as `zh-CN`, `zh`, `zh-Hans`, `en`, `en-GB`.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Lang::ZhCn),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the best language from an `Accept-Language` header among `offered`.
    pub fn from_accept_language(header: &str, offered: &[Lang]) -> Option<Lang> {
        let mut ranked: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let lang = Lang::parse(pieces.next()?)?;
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse().ok()))
                    .unwrap_or(1.0);
                Some((quality, lang))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked
            .into_iter()
            .map(|(_, lang)| lang)
            .find(|lang| offered.contains(lang))
    }

    /// The BCP 47 tag used in `lang` attributes and URLs.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The short key used in model files (`zh`, `en`).
    pub fn key(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh",
            Lang::En => "en",
        }
    }

    /// The language's own name, for a language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::ZhCn => "中文", // i18n-exempt: a language's own name is the same in every language
            Lang::En => "English",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// A text in zh-CN and/or English.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl Text {
    pub fn new(zh: &str, en: &str) -> Text {
        Text {
            zh: Some(zh.to_owned()),
            en: Some(en.to_owned()),
        }
    }

    /// The text in `lang`, if present and not blank.
    pub fn get(&self, lang: Lang) -> Option<&str> {
        let text = match lang {
            Lang::ZhCn => self.zh.as_deref(),
            Lang::En => self.en.as_deref(),
        };
        text.filter(|t| !t.trim().is_empty())
    }

    /// The text in `lang`, falling back to the other language, then to "".
    pub fn best(&self, lang: Lang) -> &str {
        self.get(lang)
            .or_else(|| Lang::ALL.iter().find_map(|l| self.get(*l)))
            .unwrap_or("")
    }

    pub fn set(&mut self, lang: Lang, value: Option<String>) {
        let value = value.filter(|v| !v.trim().is_empty());
        match lang {
            Lang::ZhCn => self.zh = value,
            Lang::En => self.en = value,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_highest_quality_offered() {
        let offered = [Lang::ZhCn, Lang::En];
        assert_eq!(
            Lang::from_accept_language("fr;q=1.0, en-US;q=0.8, zh-CN;q=0.9", &offered),
            Some(Lang::ZhCn)
        );
        assert_eq!(
            Lang::from_accept_language("de, en;q=0.5", &offered),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_accept_language("zh", &[Lang::En]), None);
    }

    #[test]
    fn text_falls_back_to_other_language() {
        let text = Text {
            zh: None,
            en: Some("Hello".into()),
        };
        assert_eq!(text.best(Lang::ZhCn), "Hello");
        assert_eq!(text.get(Lang::ZhCn), None);
    }
}
