//! The ECSI satisfaction data (R plspm) and its reference outputs, embedded at compile time.

use crate::{Block, Data, PlsModel};

pub const SATISFACTION: &str =
    include_str!("../../../tests/fixtures/ecsi-satisfaction/satisfaction.csv");
pub const OUTER_CENTROID: &str =
    include_str!("../../../tests/fixtures/ecsi-satisfaction/satisfaction.outer-model.csv");
pub const OUTER_PATH: &str =
    include_str!("../../../tests/fixtures/ecsi-satisfaction/satisfaction.outer-model-path.csv");
pub const OUTER_FACTORIAL: &str = include_str!(
    "../../../tests/fixtures/ecsi-satisfaction/satisfaction.outer-model-factorial.csv"
);
pub const SCORES: &str =
    include_str!("../../../tests/fixtures/ecsi-satisfaction/satisfaction.scores.csv");
pub const CROSSLOADINGS: &str =
    include_str!("../../../tests/fixtures/ecsi-satisfaction/satisfaction.crossloadings.csv");
pub const INNER_MODEL: &str =
    include_str!("../../../tests/fixtures/ecsi-satisfaction/satisfaction.inner-model.csv");
pub const INNER_SUMMARY: &str =
    include_str!("../../../tests/fixtures/ecsi-satisfaction/satisfaction.inner-summary.csv");
pub const EFFECTS: &str =
    include_str!("../../../tests/fixtures/ecsi-satisfaction/satisfaction.effects.csv");
pub const UNIDIM: &str =
    include_str!("../../../tests/fixtures/ecsi-satisfaction/satisfaction_unidim.csv");
pub const MODEB_SUMMARY: &str =
    include_str!("../../../tests/fixtures/ecsi-satisfaction/satisfaction.modeb.inner-summary.csv");

/// A parsed CSV table: header and rows of unquoted fields.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn parse(text: &str) -> Self {
        let mut lines = text.lines().filter(|l| !l.trim().is_empty());
        let split = |l: &str| -> Vec<String> {
            l.split(',')
                .map(|f| f.trim().trim_matches('"').to_string())
                .collect()
        };
        let header = split(lines.next().expect("header"));
        let rows = lines.map(split).collect();
        Self { header, rows }
    }

    pub fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    }

    /// The numeric value in the row whose first field is `key`, column `name`.
    pub fn get(&self, key: &str, name: &str) -> f64 {
        let c = self.col(name);
        let row = self
            .rows
            .iter()
            .find(|r| r[0] == key)
            .unwrap_or_else(|| panic!("no row {key}"));
        row[c].parse().unwrap_or(f64::NAN)
    }
}

/// The 27 items of the satisfaction data, 0–10 scale.
pub fn satisfaction() -> Data {
    let t = Table::parse(SATISFACTION);
    let names: Vec<String> = t.header[1..28].to_vec();
    let rows: Vec<Vec<f64>> = t
        .rows
        .iter()
        .map(|r| r[1..28].iter().map(|v| v.parse().unwrap()).collect())
        .collect();
    Data::from_rows(names, &rows, vec![(0.0, 10.0); 27]).unwrap()
}

pub const CONSTRUCTS: [&str; 6] = ["IMAG", "EXPE", "QUAL", "VAL", "SAT", "LOY"];

/// The ECSI model of the README (all mode A).
pub fn ecsi() -> PlsModel {
    let sizes = [5, 5, 5, 4, 4, 4];
    let mut start = 0;
    let blocks = CONSTRUCTS
        .iter()
        .zip(sizes)
        .map(|(name, s)| {
            let b = Block::reflective(*name, (start..start + s).collect());
            start += s;
            b
        })
        .collect();
    // IMAG 0, EXPE 1, QUAL 2, VAL 3, SAT 4, LOY 5
    let paths = vec![
        (0, 1),
        (0, 4),
        (0, 5),
        (1, 2),
        (1, 3),
        (1, 4),
        (2, 3),
        (2, 4),
        (3, 4),
        (4, 5),
    ];
    PlsModel { blocks, paths }
}
