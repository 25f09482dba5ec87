//! Contact lists from CSV or XLSX parsed into checked rows, with every bad row named before anything is stored.

use super::Lang;
use super::message::Message;
pub use super::table_file::Format;
use super::table_file::{TableIssue, TableLimits, read_table};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use validator::ValidateEmail;

/// Customer class of a contact (A best customers … C occasional).
pub const CUSTOMER_CLASSES: [&str; 3] = ["A", "B", "C"];
/// Lifecycle stages a contact can be in.
pub const LIFECYCLE_STAGES: [&str; 4] = ["potential", "new", "existing", "lost"];
/// Most rows one file may hold.
pub const MAX_ROWS: usize = 50_000;
/// How large a contact list may be.
pub const LIMITS: TableLimits = TableLimits::with_rows(MAX_ROWS);

/// One contact as the file gives it, every field checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactRow {
    /// Line in the file (the header is line 1).
    pub line: usize,
    /// Lower-cased, trimmed.
    pub email: String,
    pub name: String,
    pub language: Lang,
    pub brand_id: Option<i32>,
    pub region: Option<String>,
    pub customer_class: Option<String>,
    pub lifecycle_stage: Option<String>,
    /// Custom key–values from `attr:KEY` columns.
    pub attributes: BTreeMap<String, String>,
}

/// What is wrong with one row.
#[derive(Debug, Clone, PartialEq)]
pub enum RowIssue {
    MissingEmail,
    BadEmail(String),
    /// `column` holds `value`, which is not one of `allowed`.
    UnknownValue {
        column: &'static str,
        value: String,
        allowed: String,
    },
    /// The same email already appeared on `first_line`.
    Duplicate {
        email: String,
        first_line: usize,
    },
    TooLong {
        column: String,
    },
}

/// A bad row: where and what.
#[derive(Debug, Clone, PartialEq)]
pub struct RowProblem {
    pub line: usize,
    pub issue: RowIssue,
}

impl RowProblem {
    /// The problem as a catalogue message naming the line.
    pub fn message(&self) -> Message {
        let message = match &self.issue {
            RowIssue::MissingEmail => Message::new("contacts.row.missing_email"),
            RowIssue::BadEmail(e) => Message::new("contacts.row.bad_email").arg("email", e),
            RowIssue::UnknownValue {
                column,
                value,
                allowed,
            } => Message::new("contacts.row.unknown_value")
                .arg("column", column)
                .arg("value", value)
                .arg("allowed", allowed),
            RowIssue::Duplicate { email, first_line } => Message::new("contacts.row.duplicate")
                .arg("email", email)
                .arg("first_line", first_line),
            RowIssue::TooLong { column } => {
                Message::new("contacts.row.too_long").arg("column", column)
            }
        };
        message.arg("line", self.line)
    }
}

/// Why a whole file cannot be read.
#[derive(Debug, Clone, PartialEq)]
pub enum FileIssue {
    /// The file cannot be read as a table within [`LIMITS`].
    Table(TableIssue),
    Empty,
    NoEmailColumn,
    UnknownColumn(String),
    TooManyRows,
}

impl FileIssue {
    /// The problem as a catalogue message.
    pub fn message(&self) -> Message {
        match self {
            FileIssue::Table(issue) => issue.message(),
            FileIssue::Empty => Message::new("contacts.file.empty"),
            FileIssue::NoEmailColumn => Message::new("contacts.file.no_email_column"),
            FileIssue::UnknownColumn(c) => Message::new("contacts.file.unknown_column")
                .arg("column", c)
                .arg(
                    "allowed",
                    "email, name, language, brand, region, customer_class, lifecycle_stage, attr:KEY",
                ),
            FileIssue::TooManyRows => {
                Message::new("contacts.file.too_many_rows").arg("max", MAX_ROWS)
            }
        }
    }
}

impl fmt::Display for FileIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::i18n::format(Lang::En, &self.message()))
    }
}

/// The checked content of a file: good rows and every bad one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportPlan {
    pub contacts: Vec<ContactRow>,
    pub problems: Vec<RowProblem>,
}

#[derive(Debug, Clone, PartialEq)]
enum Column {
    Email,
    Name,
    Language,
    Brand,
    Region,
    CustomerClass,
    LifecycleStage,
    Attribute(String),
}

fn column_of(header: &str) -> Option<Column> {
    let h = header.trim();
    if let Some(key) = h.strip_prefix("attr:").or_else(|| h.strip_prefix("attr.")) {
        let key = key.trim();
        return (!key.is_empty()).then(|| Column::Attribute(key.to_owned()));
    }
    Some(match h.to_lowercase().replace([' ', '-'], "_").as_str() {
        "email" | "e_mail" | "邮箱" | "电子邮箱" => Column::Email, // i18n-exempt: column names accepted in uploaded files
        "name" | "姓名" | "名称" => Column::Name, // i18n-exempt: column names accepted in uploaded files
        "language" | "lang" | "语言" => Column::Language, // i18n-exempt: column names accepted in uploaded files
        "brand" | "品牌" => Column::Brand, // i18n-exempt: column names accepted in uploaded files
        "region" | "地区" | "区域" => Column::Region, // i18n-exempt: column names accepted in uploaded files
        "customer_class" | "class" | "客户类别" | "客户等级" => Column::CustomerClass, // i18n-exempt: column names accepted in uploaded files
        "lifecycle_stage" | "lifecycle" | "stage" | "生命周期" => Column::LifecycleStage, // i18n-exempt: column names accepted in uploaded files
        _ => return None,
    })
}

fn optional(value: &str) -> Option<String> {
    let v = value.trim();
    (!v.is_empty()).then(|| v.to_owned())
}

/// Checks a table (header + rows): `brands` maps a brand code or name (lower-cased) to its id.
pub fn check_table(
    table: &[Vec<String>],
    brands: &HashMap<String, i32>,
) -> Result<ImportPlan, FileIssue> {
    let Some((header, rows)) = table.split_first() else {
        return Err(FileIssue::Empty);
    };
    let mut columns = Vec::with_capacity(header.len());
    for title in header {
        if title.trim().is_empty() {
            columns.push(None);
            continue;
        }
        columns.push(Some(
            column_of(title).ok_or_else(|| FileIssue::UnknownColumn(title.trim().to_owned()))?,
        ));
    }
    if !columns.contains(&Some(Column::Email)) {
        return Err(FileIssue::NoEmailColumn);
    }
    if rows.len() > MAX_ROWS {
        return Err(FileIssue::TooManyRows);
    }
    let brand_names = {
        let mut names: Vec<&String> = brands.keys().collect();
        names.sort();
        names
            .into_iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut plan = ImportPlan::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (index, row) in rows.iter().enumerate() {
        let line = index + 2;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut contact = ContactRow {
            line,
            email: String::new(),
            name: String::new(),
            language: Lang::ZhCn,
            brand_id: None,
            region: None,
            customer_class: None,
            lifecycle_stage: None,
            attributes: BTreeMap::new(),
        };
        let mut issue = None;
        for (column, cell) in columns
            .iter()
            .zip(row.iter().chain(std::iter::repeat(&String::new())))
        {
            let Some(column) = column else { continue };
            let value = cell.trim();
            if value.chars().count() > 200 {
                issue.get_or_insert(RowIssue::TooLong {
                    column: format!("{column:?}").to_lowercase(),
                });
                continue;
            }
            match column {
                Column::Email => contact.email = value.to_lowercase(),
                Column::Name => contact.name = value.to_owned(),
                Column::Language if value.is_empty() => {}
                Column::Language => match Lang::parse(value) {
                    Some(lang) => contact.language = lang,
                    None => {
                        issue.get_or_insert(RowIssue::UnknownValue {
                            column: "language",
                            value: value.to_owned(),
                            allowed: "zh-CN, en".into(),
                        });
                    }
                },
                Column::Brand if value.is_empty() => {}
                Column::Brand => match brands.get(&value.to_lowercase()) {
                    Some(id) => contact.brand_id = Some(*id),
                    None => {
                        issue.get_or_insert(RowIssue::UnknownValue {
                            column: "brand",
                            value: value.to_owned(),
                            allowed: brand_names.clone(),
                        });
                    }
                },
                Column::Region => contact.region = optional(value),
                Column::CustomerClass if value.is_empty() => {}
                Column::CustomerClass => match CUSTOMER_CLASSES
                    .iter()
                    .find(|c| c.eq_ignore_ascii_case(value))
                {
                    Some(class) => contact.customer_class = Some((*class).to_owned()),
                    None => {
                        issue.get_or_insert(RowIssue::UnknownValue {
                            column: "customer_class",
                            value: value.to_owned(),
                            allowed: CUSTOMER_CLASSES.join(", "),
                        });
                    }
                },
                Column::LifecycleStage if value.is_empty() => {}
                Column::LifecycleStage => match LIFECYCLE_STAGES
                    .iter()
                    .find(|s| s.eq_ignore_ascii_case(value))
                {
                    Some(stage) => contact.lifecycle_stage = Some((*stage).to_owned()),
                    None => {
                        issue.get_or_insert(RowIssue::UnknownValue {
                            column: "lifecycle_stage",
                            value: value.to_owned(),
                            allowed: LIFECYCLE_STAGES.join(", "),
                        });
                    }
                },
                Column::Attribute(key) => {
                    if !value.is_empty() {
                        contact.attributes.insert(key.clone(), value.to_owned());
                    }
                }
            }
        }
        let email_issue = if contact.email.is_empty() {
            Some(RowIssue::MissingEmail)
        } else if !contact.email.validate_email() {
            Some(RowIssue::BadEmail(contact.email.clone()))
        } else if let Some(first_line) = seen.get(&contact.email) {
            Some(RowIssue::Duplicate {
                email: contact.email.clone(),
                first_line: *first_line,
            })
        } else {
            None
        };
        match email_issue.or(issue) {
            Some(issue) => plan.problems.push(RowProblem { line, issue }),
            None => {
                seen.insert(contact.email.clone(), line);
                plan.contacts.push(contact);
            }
        }
    }
    if plan.contacts.is_empty() && plan.problems.is_empty() {
        return Err(FileIssue::Empty);
    }
    Ok(plan)
}

/// Reads and checks a file in one step.
pub fn parse(
    bytes: &[u8],
    format: Format,
    brands: &HashMap<String, i32>,
) -> Result<ImportPlan, FileIssue> {
    let table = read_table(bytes, format, &LIMITS).map_err(FileIssue::Table)?;
    check_table(&table, brands)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brands() -> HashMap<String, i32> {
        HashMap::from([("our brand".to_owned(), 1), ("rival".to_owned(), 2)])
    }

    #[test]
    fn every_bad_row_is_named_and_good_rows_kept() {
        let csv = "email,name,language,brand,customer_class,lifecycle_stage,region,attr:segment\n\
                   a@example.com,Ann,en,Our Brand,A,new,North,gold\n\
                   not-an-email,Bob,zh-CN,,B,,,\n\
                   c@example.com,Cy,zh,rival,Z,,,\n\
                   A@Example.com,Ann again,en,,,,,\n\
                   d@example.com,,,,,lost,,\n";
        let plan = parse(csv.as_bytes(), Format::Csv, &brands()).unwrap();
        assert_eq!(plan.contacts.len(), 2);
        assert_eq!(plan.contacts[0].brand_id, Some(1));
        assert_eq!(plan.contacts[0].language, Lang::En);
        assert_eq!(
            plan.contacts[0]
                .attributes
                .get("segment")
                .map(String::as_str),
            Some("gold")
        );
        assert_eq!(plan.contacts[1].language, Lang::ZhCn);
        let lines: Vec<usize> = plan.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![3, 4, 5]);
        assert!(matches!(plan.problems[0].issue, RowIssue::BadEmail(_)));
        assert!(matches!(
            plan.problems[1].issue,
            RowIssue::UnknownValue {
                column: "customer_class",
                ..
            }
        ));
        assert_eq!(
            plan.problems[2].issue,
            RowIssue::Duplicate {
                email: "a@example.com".into(),
                first_line: 2
            }
        );
        assert!(
            plan.problems[2]
                .message()
                .in_lang(Lang::ZhCn)
                .contains("第 5 行")
        );
        assert!(
            plan.problems[1]
                .message()
                .in_lang(Lang::En)
                .contains("allowed: A, B, C")
        );
    }

    #[test]
    fn unknown_columns_and_missing_email_column_are_refused() {
        let err = parse(
            b"email,shoe size\nx@example.com,42\n",
            Format::Csv,
            &brands(),
        )
        .unwrap_err();
        assert_eq!(err, FileIssue::UnknownColumn("shoe size".into()));
        assert_eq!(
            parse(b"name\nAnn\n", Format::Csv, &brands()).unwrap_err(),
            FileIssue::NoEmailColumn
        );
        assert_eq!(
            parse(b"", Format::Csv, &brands()).unwrap_err(),
            FileIssue::Empty
        );
    }

    #[test]
    fn xlsx_is_read_like_csv() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (col, title) in ["email", "name", "language"].iter().enumerate() {
            sheet.write_string(0, col as u16, *title).unwrap();
        }
        sheet.write_string(1, 0, "x@example.com").unwrap();
        sheet.write_string(1, 1, "王芳").unwrap();
        sheet.write_string(1, 2, "zh-CN").unwrap();
        sheet.write_string(2, 0, "broken@").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let plan = parse(&bytes, Format::Xlsx, &brands()).unwrap();
        assert_eq!(plan.contacts.len(), 1);
        assert_eq!(plan.contacts[0].name, "王芳");
        assert_eq!(plan.problems.len(), 1);
        assert_eq!(plan.problems[0].line, 3);
    }
}
