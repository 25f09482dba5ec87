//! An email campaign's rules: who is invited (contact filter), when, reminders and expiry — parsed, never half-valid.

use super::Lang;
use super::message::Message;
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which contacts a campaign invites; an empty field matches everyone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactFilter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Lang>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand_id: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle_stage: Option<String>,
    /// A custom attribute `key=value`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute: Option<(String, String)>,
}

/// The fields of a contact a filter looks at.
#[derive(Debug, Clone, Copy)]
pub struct ContactFacts<'a> {
    pub language: &'a str,
    pub brand_id: Option<i32>,
    pub region: Option<&'a str>,
    pub customer_class: Option<&'a str>,
    pub lifecycle_stage: Option<&'a str>,
    pub attributes: &'a BTreeMap<String, String>,
}

impl ContactFilter {
    /// Reads the stored JSON form; unreadable text is the empty filter.
    pub fn from_json(text: &str) -> ContactFilter {
        serde_json::from_str(text).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    pub fn matches(&self, c: &ContactFacts<'_>) -> bool {
        let eq = |want: &Option<String>, have: Option<&str>| {
            want.as_deref()
                .is_none_or(|w| have.is_some_and(|h| h.eq_ignore_ascii_case(w)))
        };
        self.language
            .is_none_or(|l| Lang::parse(c.language) == Some(l))
            && self.brand_id.is_none_or(|b| c.brand_id == Some(b))
            && eq(&self.region, c.region)
            && eq(&self.customer_class, c.customer_class)
            && eq(&self.lifecycle_stage, c.lifecycle_stage)
            && self
                .attribute
                .as_ref()
                .is_none_or(|(k, v)| c.attributes.get(k).is_some_and(|have| have == v))
    }

    /// A one-line description, e.g. `class A · region North`.
    pub fn describe(&self, lang: Lang) -> String {
        let mut parts = Vec::new();
        let mut part = |key: &'static str, value: &str| {
            parts.push(crate::i18n::t_with(
                lang,
                key,
                &[("value", value.to_owned())],
            ));
        };
        if let Some(l) = self.language {
            part("campaign.filter.language", l.tag());
        }
        if let Some(r) = &self.region {
            part("campaign.filter.region", r);
        }
        if let Some(c) = &self.customer_class {
            part("campaign.filter.class", c);
        }
        if let Some(s) = &self.lifecycle_stage {
            part("campaign.filter.stage", s);
        }
        if let Some((k, v)) = &self.attribute {
            parts.push(format!("{k}={v}"));
        }
        if self.brand_id.is_some() {
            parts.push(crate::i18n::t(lang, "campaign.filter.brand").to_owned());
        }
        if parts.is_empty() {
            return crate::i18n::t(lang, "campaign.filter.all").to_owned();
        }
        parts.join(" · ")
    }
}

/// When reminders go out: days after the invitation, at most `max` of them, only to non-responders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderPolicy {
    days: Vec<u32>,
}

impl ReminderPolicy {
    /// Parses `3, 7` with at most `max` reminders; days must rise and lie within 1–60.
    pub fn parse(days: &str, max: u32) -> Result<ReminderPolicy, CampaignIssue> {
        let mut parsed = Vec::new();
        for part in days
            .split([',', ' ', '，', ';']) // i18n-exempt: the full-width comma people type in Chinese
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let day: u32 = part.parse().map_err(|_| CampaignIssue::ReminderDays)?;
            if !(1..=60).contains(&day) || parsed.last().is_some_and(|last| *last >= day) {
                return Err(CampaignIssue::ReminderDays);
            }
            parsed.push(day);
        }
        if max > 5 {
            return Err(CampaignIssue::MaxReminders);
        }
        parsed.truncate(max as usize);
        Ok(ReminderPolicy { days: parsed })
    }

    pub fn none() -> ReminderPolicy {
        ReminderPolicy { days: vec![] }
    }

    pub fn days(&self) -> &[u32] {
        &self.days
    }

    /// The stored text form, `3,7`.
    pub fn to_text(&self) -> String {
        self.days
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Reads the stored text form (already checked when saved).
    pub fn from_stored(text: &str, max: i32) -> ReminderPolicy {
        ReminderPolicy::parse(text, max.max(0) as u32).unwrap_or_else(|_| ReminderPolicy::none())
    }
}

/// A campaign's schedule, checked: send time, expiry after it, reminders before expiry.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub send_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub reminders: ReminderPolicy,
}

/// What is wrong with a campaign form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CampaignIssue {
    Name,
    Questionnaire,
    Brand,
    SendAt,
    ExpiryDays,
    ReminderDays,
    MaxReminders,
    ReminderAfterExpiry,
    NoContacts,
}

impl CampaignIssue {
    /// The problem as a catalogue message.
    pub fn message(&self) -> Message {
        Message::new(match self {
            CampaignIssue::Name => "campaign.issue.name",
            CampaignIssue::Questionnaire => "campaign.issue.questionnaire",
            CampaignIssue::Brand => "campaign.issue.brand",
            CampaignIssue::SendAt => "campaign.issue.send_at",
            CampaignIssue::ExpiryDays => "campaign.issue.expiry_days",
            CampaignIssue::ReminderDays => "campaign.issue.reminder_days",
            CampaignIssue::MaxReminders => "campaign.issue.max_reminders",
            CampaignIssue::ReminderAfterExpiry => "campaign.issue.reminder_after_expiry",
            CampaignIssue::NoContacts => "campaign.issue.no_contacts",
        })
    }
}

/// Parses the schedule fields of the campaign form; `now` is the current time.
pub fn parse_schedule(
    send_at: &str,
    expiry_days: &str,
    reminder_days: &str,
    max_reminders: &str,
    now: DateTime<Utc>,
) -> Result<Schedule, Vec<CampaignIssue>> {
    let mut issues = Vec::new();
    let send_at = match send_at.trim() {
        "" => Some(now),
        text => NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
            .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M"))
            .ok()
            .map(|t| t.and_utc().max(now)),
    };
    if send_at.is_none() {
        issues.push(CampaignIssue::SendAt);
    }
    let days: Option<i64> = expiry_days
        .trim()
        .parse()
        .ok()
        .filter(|d| (1..=365).contains(d));
    if days.is_none() {
        issues.push(CampaignIssue::ExpiryDays);
    }
    let max: Option<u32> = match max_reminders.trim() {
        "" => Some(0),
        text => text.parse().ok(),
    };
    let reminders = match max {
        None => {
            issues.push(CampaignIssue::MaxReminders);
            None
        }
        Some(max) => ReminderPolicy::parse(reminder_days, max)
            .map_err(|issue| issues.push(issue))
            .ok(),
    };
    if let (Some(days), Some(reminders)) = (days, &reminders)
        && reminders
            .days()
            .last()
            .is_some_and(|last| i64::from(*last) >= days)
    {
        issues.push(CampaignIssue::ReminderAfterExpiry);
    }
    match (send_at, days, reminders) {
        (Some(send_at), Some(days), Some(reminders)) if issues.is_empty() => Ok(Schedule {
            send_at,
            expires_at: send_at + Duration::days(days),
            reminders,
        }),
        _ => Err(issues),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminder_policy_parses_and_caps() {
        assert_eq!(ReminderPolicy::parse("3, 7", 2).unwrap().days(), &[3, 7]);
        assert_eq!(ReminderPolicy::parse("3，7,10", 1).unwrap().days(), &[3]);
        assert_eq!(ReminderPolicy::parse("", 2).unwrap().days(), &[] as &[u32]);
        assert_eq!(
            ReminderPolicy::parse("7,3", 2),
            Err(CampaignIssue::ReminderDays)
        );
        assert_eq!(
            ReminderPolicy::parse("x", 2),
            Err(CampaignIssue::ReminderDays)
        );
        assert_eq!(
            ReminderPolicy::parse("3", 9),
            Err(CampaignIssue::MaxReminders)
        );
    }

    #[test]
    fn schedule_checks_every_field() {
        let now = Utc::now();
        let s = parse_schedule("", "14", "3,7", "2", now).unwrap();
        assert_eq!(s.send_at, now);
        assert_eq!(s.expires_at - s.send_at, Duration::days(14));
        let issues = parse_schedule("tomorrow", "0", "3,20", "2", now).unwrap_err();
        assert_eq!(
            issues,
            vec![CampaignIssue::SendAt, CampaignIssue::ExpiryDays]
        );
        assert_eq!(
            parse_schedule("", "10", "3,20", "2", now).unwrap_err(),
            vec![CampaignIssue::ReminderAfterExpiry]
        );
    }

    #[test]
    fn filter_matches_segments() {
        let attributes = BTreeMap::from([("segment".to_owned(), "gold".to_owned())]);
        let facts = ContactFacts {
            language: "en",
            brand_id: Some(2),
            region: Some("North"),
            customer_class: Some("A"),
            lifecycle_stage: None,
            attributes: &attributes,
        };
        assert!(ContactFilter::default().matches(&facts));
        let f = ContactFilter {
            customer_class: Some("a".into()),
            attribute: Some(("segment".into(), "gold".into())),
            ..Default::default()
        };
        assert!(f.matches(&facts));
        let f = ContactFilter {
            lifecycle_stage: Some("lost".into()),
            ..Default::default()
        };
        assert!(!f.matches(&facts));
        let f = ContactFilter {
            language: Some(Lang::ZhCn),
            ..Default::default()
        };
        assert!(!f.matches(&facts));
        assert_eq!(ContactFilter::from_json(&f.to_json()), f);
    }
}
