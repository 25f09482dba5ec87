//! A message for a person, as a catalogue key and its arguments; the web layer puts it into the reader's language.

use std::fmt;

/// A key of the translation catalogue (`src/locales/`) and the values of its `{name}` arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Message {
    /// A message without arguments.
    pub fn new(key: &'static str) -> Message {
        Message {
            key,
            args: Vec::new(),
        }
    }

    /// This message with one more argument.
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Message {
        self.args.push((name, value.to_string()));
        self
    }
}

/// The key and arguments, for logs and test failures (people see the translated text).
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key)?;
        for (name, value) in &self.args {
            write!(f, " {name}={value}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
impl Message {
    /// The text in `lang`, for domain tests that check the wording.
    pub fn in_lang(&self, lang: super::Lang) -> String {
        crate::i18n::format(lang, self)
    }
}
