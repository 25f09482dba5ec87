//! Answer scales: Likert 5 / 7 / 10 points, NPS 0–10 and yes/no.

use super::lang::Text;
use serde::{Deserialize, Serialize};

/// The kind of a scale; decides its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScaleKind {
    /// Points 1..=n with n in {5, 7, 10}.
    Likert,
    /// Net Promoter scale, 0..=10.
    Nps,
    /// 0 = no, 1 = yes (e.g. ACSI's "have you complained?").
    YesNo,
}

/// A validated answer scale. Construct with [`Scale::new`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scale {
    kind: ScaleKind,
    points: u8,
    low: Text,
    high: Text,
    labels: Vec<Text>,
}

impl Scale {
    /// Checks the combination of kind, number of points and labels.
    pub fn new(
        kind: ScaleKind,
        points: Option<u8>,
        low: Text,
        high: Text,
        labels: Vec<Text>,
    ) -> Result<Scale, String> {
        let points = match kind {
            ScaleKind::Likert => match points {
                Some(p @ (5 | 7 | 10)) => p,
                Some(p) => {
                    return Err(format!("a Likert scale has 5, 7 or 10 points, not {p}"));
                }
                None => return Err("a Likert scale needs `points` (5, 7 or 10)".into()),
            },
            ScaleKind::Nps | ScaleKind::YesNo => {
                let fixed = if kind == ScaleKind::Nps { 11 } else { 2 };
                match points {
                    Some(p) if p != fixed => {
                        return Err(format!(
                            "this scale kind always has {fixed} points; leave out `points` (found {p})"
                        ));
                    }
                    _ => fixed,
                }
            }
        };
        if !labels.is_empty() && labels.len() != usize::from(points) {
            return Err(format!(
                "`labels` must label every one of the {points} points or be left out (found {})",
                labels.len()
            ));
        }
        Ok(Scale {
            kind,
            points,
            low,
            high,
            labels,
        })
    }

    pub fn likert(points: u8, low: Text, high: Text) -> Scale {
        Scale::new(ScaleKind::Likert, Some(points), low, high, vec![]).expect("valid points")
    }

    pub fn kind(&self) -> ScaleKind {
        self.kind
    }
    pub fn points(&self) -> u8 {
        self.points
    }
    pub fn low(&self) -> &Text {
        &self.low
    }
    pub fn high(&self) -> &Text {
        &self.high
    }
    pub fn labels(&self) -> &[Text] {
        &self.labels
    }

    /// The smallest value an answer can take.
    pub fn min(&self) -> i32 {
        match self.kind {
            ScaleKind::Likert => 1,
            ScaleKind::Nps | ScaleKind::YesNo => 0,
        }
    }

    /// The largest value an answer can take.
    pub fn max(&self) -> i32 {
        self.min() + i32::from(self.points) - 1
    }

    /// Every value on the scale, lowest first.
    pub fn values(&self) -> impl Iterator<Item = i32> + use<> {
        self.min()..=self.max()
    }

    pub fn contains(&self, value: i32) -> bool {
        (self.min()..=self.max()).contains(&value)
    }

    /// The label of one point, if every point is labelled.
    pub fn label_of(&self, value: i32) -> Option<&Text> {
        let index = usize::try_from(value - self.min()).ok()?;
        self.labels.get(index)
    }

    /// Maps an answer to 0–100: `100·(x − min)/(max − min)`.
    pub fn to_percent(&self, value: f64) -> f64 {
        100.0 * (value - f64::from(self.min())) / f64::from(self.max() - self.min())
    }

    /// Reverse-codes a value (`min + max − x`).
    pub fn reverse(&self, value: f64) -> f64 {
        f64::from(self.min() + self.max()) - value
    }

    /// A short technical description such as `likert-10`, for diffs and exports.
    pub fn describe(&self) -> String {
        match self.kind {
            ScaleKind::Likert => format!("likert-{}", self.points),
            ScaleKind::Nps => "nps-0-10".into(),
            ScaleKind::YesNo => "yes-no".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        let ten = Scale::likert(10, Text::default(), Text::default());
        assert_eq!((ten.min(), ten.max()), (1, 10));
        assert!(!ten.contains(0) && !ten.contains(11) && ten.contains(10));
        let nps = Scale::new(
            ScaleKind::Nps,
            None,
            Text::default(),
            Text::default(),
            vec![],
        )
        .unwrap();
        assert_eq!((nps.min(), nps.max()), (0, 10));
        assert_eq!(ten.to_percent(10.0), 100.0);
        assert_eq!(ten.reverse(3.0), 8.0);
    }

    #[test]
    fn rejects_odd_points_and_partial_labels() {
        assert!(
            Scale::new(
                ScaleKind::Likert,
                Some(6),
                Text::default(),
                Text::default(),
                vec![]
            )
            .is_err()
        );
        let labels = vec![Text::new("差", "bad"); 3];
        assert!(
            Scale::new(
                ScaleKind::Likert,
                Some(5),
                Text::default(),
                Text::default(),
                labels
            )
            .is_err()
        );
    }
}
