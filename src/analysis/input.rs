//! From a domain `Model` and answers (a CSV file or stored responses) to the engine's `PlsModel` and `Data`.
//!
//! Columns follow the model's indicator order; "don't know" and blanks become
//! missing (NaN); reverse-coded items are recoded as `min + max − x`.

use crate::csi::{Block, Data, Mode, PlsModel};
use crate::domain::{Model, OuterMode};
use crate::store::responses::ResponseRecord;

/// The engine's structural model for a domain model; column `i` is the model's `i`-th indicator.
pub fn pls_model(model: &Model) -> PlsModel {
    let mut column = 0;
    let blocks = model
        .constructs
        .iter()
        .map(|construct| {
            let columns: Vec<usize> = (column..column + construct.indicators.len()).collect();
            column += construct.indicators.len();
            Block {
                name: construct.code.clone(),
                columns,
                mode: match construct.mode {
                    OuterMode::Reflective => Mode::A,
                    OuterMode::Formative => Mode::B,
                },
            }
        })
        .collect();
    let index = |code: &str| model.constructs.iter().position(|c| c.code == code);
    let paths = model
        .paths
        .iter()
        .filter_map(|p| Some((index(&p.from)?, index(&p.to)?)))
        .collect();
    PlsModel { blocks, paths }
}

fn names_and_scales(model: &Model) -> (Vec<String>, Vec<(f64, f64)>) {
    model
        .indicators()
        .map(|(_, i)| {
            (
                i.code.clone(),
                (f64::from(i.scale.min()), f64::from(i.scale.max())),
            )
        })
        .unzip()
}

/// Tokens in a data file that mean "no answer".
fn is_missing(cell: &str) -> bool {
    matches!(
        cell.trim().to_ascii_lowercase().as_str(),
        "" | "na" | "n/a" | "nan" | "dk" | "." | "-"
    )
}

/// Reads a CSV file with one column per indicator code (other columns are ignored).
/// Every problem is listed: missing columns, cells that are not numbers, values outside the scale.
pub fn data_from_csv(model: &Model, source: &str) -> Result<Data, Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(source.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| vec![format!("the header line cannot be read: {e}")])?
        .clone();
    let (names, scales) = names_and_scales(model);
    let mut problems = Vec::new();
    let positions: Vec<Option<usize>> = names
        .iter()
        .map(|code| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(code))
        })
        .collect();
    let missing: Vec<&str> = names
        .iter()
        .zip(&positions)
        .filter(|(_, p)| p.is_none())
        .map(|(n, _)| n.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(vec![format!(
            "the data has no column for indicator(s) {}",
            missing.join(", ")
        )]);
    }
    let indicators: Vec<&crate::domain::Indicator> = model.indicators().map(|(_, i)| i).collect();
    let mut rows: Vec<Vec<f64>> = Vec::new();
    for (line, record) in reader.records().enumerate() {
        let row_number = line + 2;
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                problems.push(format!("row {row_number}: {e}"));
                continue;
            }
        };
        let mut row = Vec::with_capacity(names.len());
        for ((position, indicator), code) in positions.iter().zip(&indicators).zip(&names) {
            let cell = record.get(position.expect("checked above")).unwrap_or("");
            if is_missing(cell) {
                row.push(f64::NAN);
                continue;
            }
            match cell.trim().parse::<f64>() {
                Ok(value)
                    if value.is_finite()
                        && value >= f64::from(indicator.scale.min())
                        && value <= f64::from(indicator.scale.max()) =>
                {
                    row.push(if indicator.reverse {
                        indicator.scale.reverse(value)
                    } else {
                        value
                    });
                }
                Ok(value) => problems.push(format!(
                    "row {row_number}, column {code}: {value} is outside the scale {}–{}",
                    indicator.scale.min(),
                    indicator.scale.max()
                )),
                Err(_) => problems.push(format!(
                    "row {row_number}, column {code}: “{}” is not a number",
                    cell.chars().take(30).collect::<String>()
                )),
            }
        }
        rows.push(row);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Data::from_rows(names, &rows, scales).map_err(|e| vec![e.to_string()])
}

/// The answers of stored responses as engine data (indicators matched by code across versions).
pub fn data_from_records<'a>(
    model: &Model,
    records: impl IntoIterator<Item = &'a ResponseRecord>,
) -> Result<Data, String> {
    let (names, scales) = names_and_scales(model);
    let indicators: Vec<&crate::domain::Indicator> = model.indicators().map(|(_, i)| i).collect();
    let rows: Vec<Vec<f64>> = records
        .into_iter()
        .map(|record| {
            indicators
                .iter()
                .map(
                    |indicator| match record.answers.get(&indicator.code).copied().flatten() {
                        Some(value) if indicator.scale.contains(value) => {
                            let value = f64::from(value);
                            if indicator.reverse {
                                indicator.scale.reverse(value)
                            } else {
                                value
                            }
                        }
                        _ => f64::NAN,
                    },
                )
                .collect()
        })
        .collect();
    Data::from_rows(names, &rows, scales).map_err(|e| e.to_string())
}
