//! Reporting periods: calendar quarters such as 2026-Q3.

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A calendar quarter; responses belong to the quarter of their completion time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Quarter {
    pub year: i32,
    pub quarter: u8,
}

impl Quarter {
    pub fn new(year: i32, quarter: u8) -> Option<Quarter> {
        (1..=4)
            .contains(&quarter)
            .then_some(Quarter { year, quarter })
    }

    pub fn of(time: DateTime<Utc>) -> Quarter {
        Quarter {
            year: time.year(),
            quarter: (time.month0() / 3 + 1) as u8,
        }
    }

    pub fn previous(self) -> Quarter {
        if self.quarter == 1 {
            Quarter {
                year: self.year - 1,
                quarter: 4,
            }
        } else {
            Quarter {
                year: self.year,
                quarter: self.quarter - 1,
            }
        }
    }

    pub fn next(self) -> Quarter {
        if self.quarter == 4 {
            Quarter {
                year: self.year + 1,
                quarter: 1,
            }
        } else {
            Quarter {
                year: self.year,
                quarter: self.quarter + 1,
            }
        }
    }

    /// The first instant of the quarter.
    pub fn start(self) -> DateTime<Utc> {
        let month = u32::from(self.quarter - 1) * 3 + 1;
        chrono::NaiveDate::from_ymd_opt(self.year, month, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc())
            .expect("a quarter always starts on a valid date")
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.quarter)
    }
}

impl FromStr for Quarter {
    type Err = String;

    fn from_str(s: &str) -> Result<Quarter, String> {
        let bad = || format!("“{s}” is not a quarter; write it like 2026-Q3");
        let (year, quarter) = s.trim().split_once(['-', ' ']).ok_or_else(bad)?;
        let quarter = quarter.trim_start_matches(['Q', 'q']);
        Quarter::new(
            year.parse().map_err(|_| bad())?,
            quarter.parse().map_err(|_| bad())?,
        )
        .ok_or_else(bad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn quarter_of_a_date_and_neighbours() {
        let q = Quarter::of(Utc.with_ymd_and_hms(2026, 9, 30, 23, 59, 59).unwrap());
        assert_eq!(q.to_string(), "2026-Q3");
        assert_eq!(q.next().to_string(), "2026-Q4");
        assert_eq!(
            Quarter::new(2026, 1).unwrap().previous().to_string(),
            "2025-Q4"
        );
        assert_eq!(
            "2025-q4".parse::<Quarter>().unwrap(),
            Quarter::new(2025, 4).unwrap()
        );
        assert!("2025-Q5".parse::<Quarter>().is_err());
        assert_eq!(Quarter::of(q.start()), q);
    }
}
