//! Reporting periods: calendar quarters, fiscal quarters from a configurable start month, or named survey waves.

use super::Lang;
use super::message::Message;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A named survey wave: every response completed from `start` to `end` (inclusive, UTC dates) belongs to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wave {
    pub name: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// How responses are grouped into periods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    /// Month (1–12) the fiscal year starts in; 1 = calendar quarters.
    pub fiscal_start_month: u32,
    /// When not empty, periods are these waves (in date order) instead of quarters.
    pub waves: Vec<Wave>,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar {
            fiscal_start_month: 1,
            waves: Vec::new(),
        }
    }
}

/// One reporting period. `key` is URL-safe (`2026-Q3`, `FY2026-Q2`, `W3`) and `order` sorts periods in time.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Period {
    pub order: i64,
    pub key: String,
    pub en: String,
    pub zh: String,
}

impl Period {
    /// A quarter keyed `key`, labelled in both languages by the catalogue text `label`.
    fn quarter(year: i32, quarter: i32, key: String, label: &str) -> Period {
        let args = [("year", year.to_string()), ("quarter", quarter.to_string())];
        Period {
            order: i64::from(year * 4 + quarter - 1),
            key,
            en: crate::i18n::t_with(Lang::En, label, &args),
            zh: crate::i18n::t_with(Lang::ZhCn, label, &args),
        }
    }

    pub fn label(&self, lang: Lang) -> &str {
        if lang == Lang::ZhCn {
            &self.zh
        } else {
            &self.en
        }
    }
}

/// A problem in a wave definition, with the line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaveProblem {
    pub line: usize,
    pub text: String,
    pub kind: WaveProblemKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaveProblemKind {
    Shape,
    Date,
    Order,
    Overlap,
}

impl WaveProblem {
    /// The problem as a catalogue message naming the line.
    pub fn message(&self) -> Message {
        Message::new(match self.kind {
            WaveProblemKind::Shape => "period.wave.shape",
            WaveProblemKind::Date => "period.wave.date",
            WaveProblemKind::Order => "period.wave.order",
            WaveProblemKind::Overlap => "period.wave.overlap",
        })
        .arg("line", self.line)
        .arg("text", &self.text)
    }
}

/// Parses wave lines `name, 2026-01-01, 2026-03-31` (blank lines ignored); every bad line is listed.
pub fn parse_waves(source: &str) -> Result<Vec<Wave>, Vec<WaveProblem>> {
    let mut waves: Vec<Wave> = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in source.lines().enumerate() {
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        let problem = |kind| WaveProblem {
            line: i + 1,
            text: text.chars().take(60).collect(),
            kind,
        };
        let parts: Vec<&str> = text.split([',', '，']).map(str::trim).collect(); // i18n-exempt: the full-width comma people type in Chinese
        if parts.len() != 3 || parts[0].is_empty() {
            problems.push(problem(WaveProblemKind::Shape));
            continue;
        }
        let (Ok(start), Ok(end)) = (
            NaiveDate::parse_from_str(parts[1], "%Y-%m-%d"),
            NaiveDate::parse_from_str(parts[2], "%Y-%m-%d"),
        ) else {
            problems.push(problem(WaveProblemKind::Date));
            continue;
        };
        if end < start {
            problems.push(problem(WaveProblemKind::Order));
            continue;
        }
        if waves.iter().any(|w| start <= w.end && w.start <= end) {
            problems.push(problem(WaveProblemKind::Overlap));
            continue;
        }
        waves.push(Wave {
            name: parts[0].chars().take(60).collect(),
            start,
            end,
        });
    }
    if problems.is_empty() {
        waves.sort_by_key(|w| w.start);
        Ok(waves)
    } else {
        Err(problems)
    }
}

/// Wave lines as [`parse_waves`] reads them.
pub fn waves_to_text(waves: &[Wave]) -> String {
    waves
        .iter()
        .map(|w| format!("{}, {}, {}\n", w.name, w.start, w.end))
        .collect()
}

impl Calendar {
    /// The period a response completed at `time` belongs to; `None` when waves are defined and none contains it.
    pub fn period_of(&self, time: DateTime<Utc>) -> Option<Period> {
        if !self.waves.is_empty() {
            let date = time.date_naive();
            let (i, wave) = self
                .waves
                .iter()
                .enumerate()
                .find(|(_, w)| w.start <= date && date <= w.end)?;
            return Some(Period {
                order: i as i64,
                key: format!("W{}", i + 1),
                en: wave.name.clone(),
                zh: wave.name.clone(),
            });
        }
        let start = self.fiscal_start_month.clamp(1, 12) as i32;
        let months = time.year() * 12 + time.month0() as i32 - (start - 1);
        let (year, month_in_year) = (months.div_euclid(12), months.rem_euclid(12));
        let quarter = month_in_year / 3 + 1;
        Some(if start == 1 {
            Period::quarter(
                year,
                quarter,
                format!("{year}-Q{quarter}"),
                "period.quarter",
            )
        } else {
            Period::quarter(
                year,
                quarter,
                format!("FY{year}-Q{quarter}"),
                "period.fiscal_quarter",
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
    }

    #[test]
    fn calendar_and_fiscal_quarters() {
        let calendar = Calendar::default();
        assert_eq!(calendar.period_of(at(2026, 9, 30)).unwrap().key, "2026-Q3");
        assert_eq!(
            calendar.period_of(at(2026, 1, 1)).unwrap().zh,
            "2026年第1季度"
        );
        let fiscal = Calendar {
            fiscal_start_month: 4,
            waves: vec![],
        };
        assert_eq!(fiscal.period_of(at(2026, 4, 1)).unwrap().key, "FY2026-Q1");
        assert_eq!(fiscal.period_of(at(2027, 3, 31)).unwrap().key, "FY2026-Q4");
        assert_eq!(fiscal.period_of(at(2026, 3, 31)).unwrap().key, "FY2025-Q4");
        let a = fiscal.period_of(at(2026, 3, 31)).unwrap();
        let b = fiscal.period_of(at(2026, 4, 1)).unwrap();
        assert_eq!(b.order - a.order, 1);
    }

    #[test]
    fn waves_parse_and_group() {
        let waves =
            parse_waves("Spring, 2026-03-01, 2026-04-30\n\nAutumn，2026-09-01，2026-10-15\n")
                .unwrap();
        let calendar = Calendar {
            fiscal_start_month: 1,
            waves,
        };
        assert_eq!(calendar.period_of(at(2026, 4, 30)).unwrap().en, "Spring");
        assert_eq!(calendar.period_of(at(2026, 9, 2)).unwrap().key, "W2");
        assert!(calendar.period_of(at(2026, 6, 1)).is_none());
        let problems = parse_waves("A, 2026-01-01\nB, 2026-02-30, 2026-03-01\nC, 2026-05-01, 2026-04-01\nD, 2026-01-01, 2026-01-31\nE, 2026-01-15, 2026-02-15").unwrap_err();
        let kinds: Vec<_> = problems.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            vec![
                WaveProblemKind::Shape,
                WaveProblemKind::Date,
                WaveProblemKind::Order,
                WaveProblemKind::Overlap
            ]
        );
        assert!(
            problems[0]
                .message()
                .in_lang(Lang::ZhCn)
                .contains("第 1 行")
        );
    }
}
