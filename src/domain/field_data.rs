//! Field data (phone and paper interviews) as a table: one column per indicator code plus brand and date; every bad cell is listed.

use super::Model;
use super::message::Message;
use super::table_file::TableLimits;
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Most rows one file may hold.
pub const MAX_ROWS: usize = 50_000;
/// How large a field-data file may be (its blank rows count too).
pub const LIMITS: TableLimits = TableLimits::with_rows(MAX_ROWS);

/// A brand the file may name, by code or by either name.
#[derive(Debug, Clone, PartialEq)]
pub struct BrandName {
    pub id: i32,
    pub code: String,
    pub zh: String,
    pub en: String,
}

/// One good interview.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldRow {
    /// Line in the file (the header is line 1).
    pub line: usize,
    pub brand_id: i32,
    pub completed_at: DateTime<Utc>,
    /// By indicator code; `None` = no answer / don't know.
    pub answers: Vec<(String, Option<i32>)>,
    pub customer_class: Option<String>,
    pub region: Option<String>,
    pub channel: Option<String>,
    pub lifecycle_stage: Option<String>,
}

/// What is wrong with one cell (or the header, line 1).
#[derive(Debug, Clone, PartialEq)]
pub struct CellProblem {
    pub line: usize,
    pub column: String,
    pub value: String,
    pub kind: ProblemKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ProblemKind {
    Empty,
    TooManyRows,
    MissingColumn,
    UnknownBrand,
    BadDate,
    FutureDate,
    NotANumber,
    OutsideScale { min: i32, max: i32 },
    NoAnswers,
}

impl CellProblem {
    /// The problem as a catalogue message naming the line and column.
    pub fn message(&self) -> Message {
        let key = match &self.kind {
            ProblemKind::Empty => return Message::new("field_data.empty"),
            ProblemKind::TooManyRows => {
                return Message::new("field_data.too_many_rows").arg("max", MAX_ROWS);
            }
            ProblemKind::MissingColumn => {
                return Message::new("field_data.missing_column").arg("column", &self.column);
            }
            ProblemKind::UnknownBrand => "field_data.unknown_brand",
            ProblemKind::BadDate => "field_data.bad_date",
            ProblemKind::FutureDate => "field_data.future_date",
            ProblemKind::NotANumber => "field_data.not_a_number",
            ProblemKind::OutsideScale { .. } => "field_data.outside_scale",
            ProblemKind::NoAnswers => "field_data.no_answers",
        };
        let message = Message::new(key)
            .arg("line", self.line)
            .arg("column", &self.column)
            .arg("value", &self.value);
        match &self.kind {
            ProblemKind::OutsideScale { min, max } => message.arg("min", min).arg("max", max),
            _ => message,
        }
    }
}

fn normalise(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .replace([' ', '-'], "_")
}

fn is_blank(cell: &str) -> bool {
    matches!(
        cell.trim().to_ascii_lowercase().as_str(),
        "" | "na" | "n/a" | "dk" | "." | "-" | "不知道" // i18n-exempt: values accepted in uploaded files
    )
}

/// Reads a date or date-time cell: ISO dates, `YYYY-MM-DD HH:MM[:SS]`, RFC 3339, `YYYY/MM/DD`, or an Excel serial day number.
pub fn parse_when(cell: &str) -> Option<DateTime<Utc>> {
    let text = cell.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Some(Utc.from_utc_datetime(&t));
        }
    }
    for format in ["%Y-%m-%d", "%Y/%m/%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(text, format) {
            return d.and_hms_opt(12, 0, 0).map(|t| Utc.from_utc_datetime(&t));
        }
    }
    let serial: f64 = text.parse().ok()?;
    if (20_000.0..80_000.0).contains(&serial) {
        let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
        let t = epoch + chrono::TimeDelta::seconds((serial * 86_400.0).round() as i64);
        return Some(Utc.from_utc_datetime(&t));
    }
    None
}

/// Checks a table (header row first) against the model and brands; `now` bounds the dates.
/// Returns the good rows, or every problem found.
pub fn check(
    model: &Model,
    brands: &[BrandName],
    table: &[Vec<String>],
    now: DateTime<Utc>,
) -> Result<Vec<FieldRow>, Vec<CellProblem>> {
    let header_problem = |column: &str, kind| CellProblem {
        line: 1,
        column: column.to_owned(),
        value: String::new(),
        kind,
    };
    let Some((header, rows)) = table.split_first() else {
        return Err(vec![header_problem("", ProblemKind::Empty)]);
    };
    let rows: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .collect();
    if rows.is_empty() {
        return Err(vec![header_problem("", ProblemKind::Empty)]);
    }
    if rows.len() > MAX_ROWS {
        return Err(vec![header_problem("", ProblemKind::TooManyRows)]);
    }
    let names: Vec<String> = header.iter().map(|h| normalise(h)).collect();
    let find = |alternatives: &[&str]| {
        names
            .iter()
            .position(|n| alternatives.contains(&n.as_str()))
    };
    let brand_col = find(&["brand", "品牌"]); // i18n-exempt: column names accepted in uploaded files
    let date_col = find(&["date", "completed_at", "日期", "时间"]); // i18n-exempt: column names accepted in uploaded files
    let indicators: Vec<_> = model.indicators().map(|(_, i)| i).collect();
    let indicator_cols: Vec<Option<usize>> = indicators
        .iter()
        .map(|i| names.iter().position(|n| *n == i.code.to_lowercase()))
        .collect();
    let mut problems = Vec::new();
    if brand_col.is_none() {
        problems.push(header_problem("brand", ProblemKind::MissingColumn));
    }
    if date_col.is_none() {
        problems.push(header_problem("date", ProblemKind::MissingColumn));
    }
    for (i, col) in indicators.iter().zip(&indicator_cols) {
        if col.is_none() {
            problems.push(header_problem(&i.code, ProblemKind::MissingColumn));
        }
    }
    let (Some(brand_col), Some(date_col), true) = (brand_col, date_col, problems.is_empty()) else {
        return Err(problems);
    };
    let segment_col = |alternatives: &[&str]| find(alternatives);
    let segment_cols = [
        segment_col(&["customer_class", "class", "客户等级", "客户类别"]), // i18n-exempt: column names accepted in uploaded files
        segment_col(&["region", "地区", "区域"]), // i18n-exempt: column names accepted in uploaded files
        segment_col(&["channel", "渠道"]), // i18n-exempt: column names accepted in uploaded files
        segment_col(&["lifecycle_stage", "lifecycle", "stage", "生命周期"]), // i18n-exempt: column names accepted in uploaded files
    ];
    let mut good = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let line = r + 2;
        let cell = |c: usize| row.get(c).map(|s| s.trim()).unwrap_or("");
        let problem = |column: &str, value: &str, kind| CellProblem {
            line,
            column: column.to_owned(),
            value: value.chars().take(40).collect(),
            kind,
        };
        let before = problems.len();
        let brand_text = cell(brand_col);
        let brand = brands.iter().find(|b| {
            [&b.code, &b.zh, &b.en]
                .iter()
                .any(|n| !n.is_empty() && n.eq_ignore_ascii_case(brand_text))
        });
        if brand.is_none() {
            problems.push(problem(
                &header[brand_col],
                brand_text,
                ProblemKind::UnknownBrand,
            ));
        }
        let when = parse_when(cell(date_col));
        match when {
            None => problems.push(problem(
                &header[date_col],
                cell(date_col),
                ProblemKind::BadDate,
            )),
            Some(t) if t > now => problems.push(problem(
                &header[date_col],
                cell(date_col),
                ProblemKind::FutureDate,
            )),
            Some(_) => {}
        }
        let mut answers = Vec::with_capacity(indicators.len());
        for (indicator, col) in indicators.iter().zip(&indicator_cols) {
            let text = cell(col.expect("checked above"));
            if is_blank(text) {
                answers.push((indicator.code.clone(), None));
                continue;
            }
            match text.parse::<f64>() {
                Ok(v) if v.fract() == 0.0 && v.abs() < 1e6 => {
                    let v = v as i32;
                    if indicator.scale.contains(v) {
                        answers.push((indicator.code.clone(), Some(v)));
                    } else {
                        problems.push(problem(
                            &indicator.code,
                            text,
                            ProblemKind::OutsideScale {
                                min: indicator.scale.min(),
                                max: indicator.scale.max(),
                            },
                        ));
                    }
                }
                _ => problems.push(problem(&indicator.code, text, ProblemKind::NotANumber)),
            }
        }
        if problems.len() == before && answers.iter().all(|(_, v)| v.is_none()) {
            problems.push(problem("", "", ProblemKind::NoAnswers));
        }
        if problems.len() == before {
            let segment = |k: usize| {
                segment_cols[k]
                    .map(cell)
                    .filter(|v| !v.is_empty())
                    .map(|v| v.chars().take(64).collect())
            };
            good.push(FieldRow {
                line,
                brand_id: brand.map(|b| b.id).unwrap_or_default(),
                completed_at: when.unwrap_or(now),
                answers,
                customer_class: segment(0),
                region: segment(1),
                channel: segment(2),
                lifecycle_stage: segment(3),
            });
        }
    }
    if problems.is_empty() {
        Ok(good)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;

    fn table(rows: &[&str]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.split(',').map(String::from).collect())
            .collect()
    }

    #[test]
    fn good_rows_parse_and_every_bad_cell_is_listed() {
        let model = crate::catalog::load("acsi.toml").unwrap().unwrap();
        let codes: Vec<String> = model.indicators().map(|(_, i)| i.code.clone()).collect();
        let brands = vec![BrandName {
            id: 7,
            code: "ours".into(),
            zh: "本品".into(),
            en: "Ours".into(),
        }];
        let now = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
        let header = format!("brand,date,region,{}", codes.join(","));
        let answers = |v: &str| {
            codes
                .iter()
                .map(|c| {
                    if c == "COM1" {
                        "0".to_owned()
                    } else {
                        v.to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join(",")
        };
        let good = format!("Ours,2026-03-31,North,{}", answers("7"));
        let rows = check(&model, &brands, &table(&[&header, &good]), now).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].brand_id, rows[0].region.as_deref()),
            (7, Some("North"))
        );
        assert_eq!(
            rows[0].answers.iter().find(|(c, _)| c == "SAT1").unwrap().1,
            Some(7)
        );
        let bad_value = format!("Rival,2026-13-01,,{}", answers("11").replacen("11", "x", 1));
        let problems =
            check(&model, &brands, &table(&[&header, &good, &bad_value]), now).unwrap_err();
        let kinds: Vec<_> = problems.iter().map(|p| (p.line, p.kind.clone())).collect();
        assert!(kinds.contains(&(3, ProblemKind::UnknownBrand)));
        assert!(kinds.contains(&(3, ProblemKind::BadDate)));
        assert!(kinds.contains(&(3, ProblemKind::NotANumber)));
        assert!(
            kinds
                .iter()
                .filter(|(_, k)| matches!(k, ProblemKind::OutsideScale { .. }))
                .count()
                >= 10
        );
        assert!(
            problems[0]
                .message()
                .in_lang(Lang::ZhCn)
                .contains("第 3 行")
        );
        let missing = check(&model, &brands, &table(&["brand,SAT1", "Ours,5"]), now).unwrap_err();
        assert!(
            missing
                .iter()
                .any(|p| p.kind == ProblemKind::MissingColumn && p.column == "date")
        );
        assert_eq!(
            parse_when("46112").unwrap().date_naive(),
            NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()
        );
    }
}
