//! Uploaded CSV and XLSX files read as a stream into a table of text cells, refused the moment they pass a size limit.

use super::Lang;
use super::message::Message;
use calamine::{DataRef, Reader};
use std::io::{self, BufReader, Cursor, Read};

/// The file formats an upload may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// Guesses the format from a file name (`.xlsx` is XLSX, anything else CSV).
    pub fn from_file_name(name: &str) -> Format {
        if name.to_ascii_lowercase().ends_with(".xlsx") {
            Format::Xlsx
        } else {
            Format::Csv
        }
    }
}

/// Most columns a table may span.
pub const MAX_COLUMNS: usize = 200;
/// Most cells a table may hold, counting the blank cells before the last filled one of each row.
pub const MAX_CELLS: usize = 2_000_000;
/// Most bytes of text all cells together may hold.
pub const MAX_TEXT_BYTES: usize = 32 << 20;
/// Most bytes the parts of an XLSX file may unpack to, all together.
pub const MAX_UNPACKED_BYTES: u64 = 64 << 20;
/// Most parts (zip entries) an XLSX file may hold; ordinary workbooks have a few dozen.
pub const MAX_PARTS: usize = 1_000;
/// Most characters in one cell (Excel's own limit).
pub const MAX_CELL_CHARS: usize = 32_767;

/// How large a table one import accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableLimits {
    /// Most rows after the header row, blank rows included.
    pub max_rows: usize,
    pub max_columns: usize,
    /// Most cells, counting the blank cells before the last filled one of each row.
    pub max_cells: usize,
    pub max_text_bytes: usize,
    pub max_unpacked_bytes: u64,
}

impl TableLimits {
    /// The standard limits with `max_rows` data rows.
    pub const fn with_rows(max_rows: usize) -> TableLimits {
        TableLimits {
            max_rows,
            max_columns: MAX_COLUMNS,
            max_cells: MAX_CELLS,
            max_text_bytes: MAX_TEXT_BYTES,
            max_unpacked_bytes: MAX_UNPACKED_BYTES,
        }
    }
}

/// Why a file cannot be read as a table.
#[derive(Debug, Clone, PartialEq)]
pub enum TableIssue {
    Unreadable(String),
    /// An XLSX file without a worksheet.
    NoSheet,
    /// A row or column past the limits.
    TooLarge {
        max_rows: usize,
        max_columns: usize,
    },
    TooManyCells {
        max_cells: usize,
    },
    /// More distinct texts (XLSX shared strings) than cells allowed.
    TooManyTexts {
        max_texts: usize,
    },
    TooMuchText {
        max_bytes: usize,
    },
    /// A cell on `line` (the file's row number) is longer than [`MAX_CELL_CHARS`].
    CellTooLong {
        line: usize,
    },
    UnpacksTooLarge {
        max_bytes: u64,
    },
    TooManyParts {
        max_parts: usize,
    },
}

/// `50000` as `50 000`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(d);
    }
    out
}

fn megabytes(bytes: u64) -> u64 {
    bytes >> 20
}

impl TableIssue {
    /// The problem as a catalogue message.
    pub fn message(&self) -> Message {
        match self {
            TableIssue::Unreadable(e) => Message::new("table.unreadable").arg("error", e),
            TableIssue::NoSheet => Message::new("table.no_sheet"),
            TableIssue::TooLarge {
                max_rows,
                max_columns,
            } => Message::new("table.too_large")
                .arg("rows", grouped(*max_rows as u64))
                .arg("columns", grouped(*max_columns as u64)),
            TableIssue::TooManyCells { max_cells } => {
                Message::new("table.too_many_cells").arg("cells", grouped(*max_cells as u64))
            }
            TableIssue::TooManyTexts { max_texts } => {
                Message::new("table.too_many_texts").arg("texts", grouped(*max_texts as u64))
            }
            TableIssue::TooMuchText { max_bytes } => {
                Message::new("table.too_much_text").arg("mb", megabytes(*max_bytes as u64))
            }
            TableIssue::CellTooLong { line } => Message::new("table.cell_too_long")
                .arg("line", line)
                .arg("chars", grouped(MAX_CELL_CHARS as u64)),
            TableIssue::UnpacksTooLarge { max_bytes } => {
                Message::new("table.unpacks_too_large").arg("mb", megabytes(*max_bytes))
            }
            TableIssue::TooManyParts { max_parts } => {
                Message::new("table.too_many_parts").arg("parts", grouped(*max_parts as u64))
            }
        }
    }
}

impl std::fmt::Display for TableIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::i18n::format(Lang::En, &self.message()))
    }
}

fn unreadable(e: impl std::fmt::Display) -> TableIssue {
    TableIssue::Unreadable(e.to_string())
}

/// Reads the raw cells of a file, a header row and the data rows, within `limits`.
///
/// A small file can describe a huge table: an XLSX with cells only at A1 and XFD1048576
/// spans 17 billion cells, a zip entry can unpack a thousand times over, a CSV can hold a
/// million empty rows. So nothing here builds more than the limits allow: XLSX parts are
/// unpacked and counted (not kept) before calamine opens them, cells are read one by one
/// and refused as soon as they fall outside the row and column limits, and the table is
/// laid out only once its size, blank padding included, is known to fit.
///
/// Rows end at their last filled cell (a blank row is an empty `Vec`); an XLSX table
/// starts at its first filled row and column, as calamine's ranges do.
pub fn read_table(
    bytes: &[u8],
    format: Format,
    limits: &TableLimits,
) -> Result<Vec<Vec<String>>, TableIssue> {
    match format {
        Format::Csv => read_csv(bytes, limits),
        Format::Xlsx => read_xlsx(bytes, limits),
    }
}

/// Counts cells and text against the limits as they are read.
struct Budget<'a> {
    limits: &'a TableLimits,
    cells: usize,
    text_bytes: usize,
}

impl<'a> Budget<'a> {
    fn new(limits: &'a TableLimits) -> Self {
        Budget {
            limits,
            cells: 0,
            text_bytes: 0,
        }
    }

    fn too_large(&self) -> TableIssue {
        TableIssue::TooLarge {
            max_rows: self.limits.max_rows,
            max_columns: self.limits.max_columns,
        }
    }

    fn add_cells(&mut self, n: usize) -> Result<(), TableIssue> {
        self.cells += n;
        if self.cells > self.limits.max_cells {
            return Err(TableIssue::TooManyCells {
                max_cells: self.limits.max_cells,
            });
        }
        Ok(())
    }

    /// Checks one cell's text (before it is copied) on the file's row `line`.
    fn add_text(&mut self, text: &str, line: usize) -> Result<(), TableIssue> {
        if text.len() > MAX_CELL_CHARS && text.chars().count() > MAX_CELL_CHARS {
            return Err(TableIssue::CellTooLong { line });
        }
        self.text_bytes += text.len();
        if self.text_bytes > self.limits.max_text_bytes {
            return Err(TableIssue::TooMuchText {
                max_bytes: self.limits.max_text_bytes,
            });
        }
        Ok(())
    }
}

fn read_csv(bytes: &[u8], limits: &TableLimits) -> Result<Vec<Vec<String>>, TableIssue> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    let mut budget = Budget::new(limits);
    let mut record = csv::StringRecord::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    while reader.read_record(&mut record).map_err(unreadable)? {
        // The header and `max_rows` data rows are already there.
        if rows.len() > limits.max_rows {
            return Err(budget.too_large());
        }
        let line = rows.len() + 1;
        let width = (0..record.len())
            .rev()
            .find(|&i| !record[i].is_empty())
            .map_or(0, |last| last + 1);
        if width > limits.max_columns {
            return Err(budget.too_large());
        }
        budget.add_cells(width)?;
        let mut row = Vec::with_capacity(width);
        for field in record.iter().take(width) {
            budget.add_text(field, line)?;
            row.push(field.to_owned());
        }
        rows.push(row);
    }
    Ok(rows)
}

/// The text of a cell as calamine's `Data` displays it, checked before it is copied; `None` if blank.
fn cell_text(
    value: &DataRef<'_>,
    line: usize,
    budget: &mut Budget<'_>,
) -> Result<Option<String>, TableIssue> {
    let shown;
    let text: &str = match value {
        DataRef::Empty => return Ok(None),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s,
        DataRef::SharedString(s) => s,
        other => {
            shown = calamine::Data::from(other.clone()).to_string();
            &shown
        }
    };
    if text.is_empty() {
        return Ok(None);
    }
    budget.add_text(text, line)?;
    Ok(Some(text.to_owned()))
}

fn read_xlsx(bytes: &[u8], limits: &TableLimits) -> Result<Vec<Vec<String>>, TableIssue> {
    let parts = checked_parts(bytes, limits)?;
    let mut workbook = calamine::Xlsx::new(Cursor::new(parts)).map_err(unreadable)?;
    let first = workbook
        .sheet_names()
        .into_iter()
        .next()
        .ok_or(TableIssue::NoSheet)?;
    let mut reader = workbook
        .worksheet_cells_reader(&first)
        .map_err(unreadable)?;
    let mut budget = Budget::new(limits);
    // Filled cells by position, and the box around them.
    let mut cells: Vec<(u32, u32, String)> = Vec::new();
    let (mut top, mut bottom, mut left, mut right) = (u32::MAX, 0, u32::MAX, 0);
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let (row, column) = cell.get_position();
        let Some(text) = cell_text(cell.get_value(), row as usize + 1, &mut budget)? else {
            continue;
        };
        (top, bottom) = (top.min(row), bottom.max(row));
        (left, right) = (left.min(column), right.max(column));
        if (bottom - top) as usize > limits.max_rows
            || (right - left) as usize >= limits.max_columns
        {
            return Err(budget.too_large());
        }
        budget.add_cells(1)?;
        cells.push((row, column, text));
    }
    drop(reader);
    if cells.is_empty() {
        return Ok(Vec::new());
    }
    // Stable: of two cells at one position the later wins below, as in calamine's ranges.
    cells.sort_by_key(|&(row, column, _)| (row, column));
    let padded: usize = cells
        .chunk_by(|a, b| a.0 == b.0)
        .map(|row| (row[row.len() - 1].1 - left) as usize + 1)
        .sum();
    if padded > limits.max_cells {
        return Err(TableIssue::TooManyCells {
            max_cells: limits.max_cells,
        });
    }
    let mut table = vec![Vec::new(); (bottom - top) as usize + 1];
    for (row, column, text) in cells {
        let row = &mut table[(row - top) as usize];
        let column = (column - left) as usize;
        if row.len() <= column {
            row.resize(column + 1, String::new());
        }
        row[column] = text;
    }
    Ok(table)
}

/// Parts that change no cell text and that calamine would read whole, multiplied in memory
/// (it copies a font name and a number format into every cell style): styles and themes.
/// Dates come out as Excel serial day numbers with or without them.
fn unneeded_part(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let file = name.rsplit(['/', '\\']).next().unwrap_or(&name);
    file == "styles.xml" || name.contains("theme/")
}

fn is_shared_strings(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with("sharedstrings.xml")
}

/// Unpacks every part of an XLSX file without keeping it, counting the bytes as they come
/// (the sizes a zip declares can lie), and checks the shared strings calamine reads whole.
/// Returns the zip again without the parts calamine needs not read.
fn checked_parts(bytes: &[u8], limits: &TableLimits) -> Result<Vec<u8>, TableIssue> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    if archive.len() > MAX_PARTS {
        return Err(TableIssue::TooManyParts {
            max_parts: MAX_PARTS,
        });
    }
    let too_large = TableIssue::UnpacksTooLarge {
        max_bytes: limits.max_unpacked_bytes,
    };
    let mut left = limits.max_unpacked_bytes;
    let mut kept = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(bytes.len())));
    for index in 0..archive.len() {
        let entry = archive.by_index(index).map_err(unreadable)?;
        let name = entry.name().map_err(unreadable)?.into_owned();
        if unneeded_part(&name) {
            continue;
        }
        // One byte more than is left tells "too large" from "exactly fits".
        let mut part = entry.take(left + 1);
        if is_shared_strings(&name) {
            check_shared_strings(&mut part, limits)?;
        }
        io::copy(&mut part, &mut io::sink()).map_err(unreadable)?;
        let unpacked = left + 1 - part.limit();
        if unpacked > left {
            return Err(too_large);
        }
        left -= unpacked;
        drop(part);
        let raw = archive.by_index_raw(index).map_err(unreadable)?;
        kept.raw_copy_file(raw).map_err(unreadable)?;
    }
    Ok(kept.finish().map_err(unreadable)?.into_inner())
}

/// The shared strings: calamine reserves room for as many as `uniqueCount` says and keeps
/// every `<si>`, so both must stay within the cell limit. Reads with calamine's XML settings;
/// where that XML is broken, calamine stops there too (and reports it).
fn check_shared_strings(part: &mut impl Read, limits: &TableLimits) -> Result<(), TableIssue> {
    let too_many = TableIssue::TooManyTexts {
        max_texts: limits.max_cells,
    };
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(part));
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut buf = Vec::new();
    let mut strings = 0usize;
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Start(e)) => {
                let name = e.local_name();
                if name.as_ref() == "si" {
                    strings += 1;
                }
                let declared = match name.as_ref() {
                    "sst" => declared_count(e.attributes_raw().as_bytes()),
                    _ => 0,
                };
                if strings > limits.max_cells || declared > limits.max_cells as u64 {
                    return Err(too_many);
                }
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => {}
        }
    }
}

/// The largest `uniqueCount="N"` among raw attributes (read leniently: spaces, either quote or none).
fn declared_count(attributes: &[u8]) -> u64 {
    const KEY: &[u8] = b"uniqueCount";
    let mut largest = 0;
    let mut rest = attributes;
    while let Some(at) = rest.windows(KEY.len()).position(|w| w == KEY) {
        rest = &rest[at + KEY.len()..];
        let mut value = rest.trim_ascii_start();
        let Some(after_equals) = value.strip_prefix(b"=") else {
            continue;
        };
        value = after_equals.trim_ascii_start();
        value = value.strip_prefix(b"\"").unwrap_or(value);
        value = value.strip_prefix(b"'").unwrap_or(value);
        value = value.strip_prefix(b"+").unwrap_or(value);
        let n = value
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .fold(0u64, |n, d| {
                n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
            });
        largest = largest.max(n);
    }
    largest
}

#[cfg(test)]
mod tests;
