//! Respondent attributes a questionnaire may ask at the end; each becomes a report segment.

use super::message::Message;
use serde::Serialize;

/// An optional question about the respondent, asked after the indicators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RespondentAttribute {
    Region,
    /// Customer class A / B / C.
    CustomerClass,
    /// Where the respondent buys (purchase channel).
    Channel,
    LifecycleStage,
}

impl RespondentAttribute {
    pub const ALL: [RespondentAttribute; 4] = [
        RespondentAttribute::Region,
        RespondentAttribute::CustomerClass,
        RespondentAttribute::Channel,
        RespondentAttribute::LifecycleStage,
    ];

    /// The stored key, also the name of the response column it fills.
    pub fn key(self) -> &'static str {
        match self {
            RespondentAttribute::Region => "region",
            RespondentAttribute::CustomerClass => "customer_class",
            RespondentAttribute::Channel => "channel",
            RespondentAttribute::LifecycleStage => "lifecycle_stage",
        }
    }

    pub fn parse(key: &str) -> Option<RespondentAttribute> {
        RespondentAttribute::ALL
            .into_iter()
            .find(|a| a.key() == key.trim())
    }

    /// What the designer sees when choosing the attribute, as a catalogue message.
    pub fn label(self) -> Message {
        Message::new(match self {
            RespondentAttribute::Region => "attribute.region",
            RespondentAttribute::CustomerClass => "attribute.customer_class",
            RespondentAttribute::Channel => "attribute.channel",
            RespondentAttribute::LifecycleStage => "attribute.lifecycle_stage",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for attribute in RespondentAttribute::ALL {
            assert_eq!(RespondentAttribute::parse(attribute.key()), Some(attribute));
        }
        assert_eq!(RespondentAttribute::parse("age"), None);
    }
}
