//! Tests of the table reader: limits on rows, columns, cells and text, zip bombs, shared strings, CSV and XLSX layouts.

use super::*;
use std::io::Write;

fn limits(max_rows: usize) -> TableLimits {
    TableLimits::with_rows(max_rows)
}

fn xlsx(cells: &[(u32, u16, &str)]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for &(row, column, text) in cells {
        sheet.write_string(row, column, text).unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// An XLSX written by rust_xlsxwriter with its parts replaced or added (`None` content drops a part).
fn xlsx_with_parts(parts: &[(&str, Option<&[u8]>)]) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let base = xlsx(&[(0, 0, "email"), (1, 0, "a@example.com")]);
    let mut source = zip::ZipArchive::new(Cursor::new(base)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..source.len() {
        let entry = source.by_index_raw(i).unwrap();
        if parts.iter().any(|(name, _)| *name == entry.name().unwrap()) {
            continue;
        }
        out.raw_copy_file(entry).unwrap();
    }
    for (name, content) in parts {
        if let Some(content) = content {
            out.start_file(*name, options).unwrap();
            out.write_all(content).unwrap();
        }
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn csv_rows_past_the_limit_are_refused_blank_ones_too() {
    let ok = "email\na@example.com\n,\n";
    assert_eq!(
        read_table(ok.as_bytes(), Format::Csv, &limits(2)).unwrap(),
        vec![
            vec!["email".to_owned()],
            vec!["a@example.com".into()],
            vec![]
        ]
    );
    let blank_rows = format!("email\n{}", ",\n".repeat(3));
    assert_eq!(
        read_table(blank_rows.as_bytes(), Format::Csv, &limits(2)).unwrap_err(),
        TableIssue::TooLarge {
            max_rows: 2,
            max_columns: MAX_COLUMNS
        }
    );
}

#[test]
fn csv_columns_cells_and_cell_length_are_limited() {
    let wide = format!("{}\n", vec!["x"; MAX_COLUMNS + 1].join(","));
    assert!(matches!(
        read_table(wide.as_bytes(), Format::Csv, &limits(10)),
        Err(TableIssue::TooLarge { .. })
    ));
    // Trailing blank fields are no columns.
    let trailing = format!("email{}\n", ",".repeat(MAX_COLUMNS * 2));
    assert_eq!(
        read_table(trailing.as_bytes(), Format::Csv, &limits(10)).unwrap(),
        vec![vec!["email".to_owned()]]
    );
    // One far field in every row counts its blank padding.
    let far = format!("{}x\n", ",".repeat(99)).repeat(30);
    let small = TableLimits {
        max_cells: 2_000,
        ..limits(100)
    };
    assert_eq!(
        read_table(far.as_bytes(), Format::Csv, &small).unwrap_err(),
        TableIssue::TooManyCells { max_cells: 2_000 }
    );
    let long = format!("email\n{}\n", "x".repeat(MAX_CELL_CHARS + 1));
    assert_eq!(
        read_table(long.as_bytes(), Format::Csv, &limits(10)).unwrap_err(),
        TableIssue::CellTooLong { line: 2 }
    );
    let text = TableLimits {
        max_text_bytes: 10,
        ..limits(10)
    };
    assert_eq!(
        read_table(b"email\nabcdefghijk\n", Format::Csv, &text).unwrap_err(),
        TableIssue::TooMuchText { max_bytes: 10 }
    );
}

#[test]
fn xlsx_far_cells_are_refused_as_they_come() {
    let a1_xfd = xlsx(&[(0, 0, "email"), (1_048_575, 16_383, "x")]);
    assert!(matches!(
        read_table(&a1_xfd, Format::Xlsx, &limits(50_000)),
        Err(TableIssue::TooLarge { .. })
    ));
    let a1_z = xlsx(&[(0, 0, "email"), (1_048_575, 25, "x")]);
    assert_eq!(
        read_table(&a1_z, Format::Xlsx, &limits(50_000)).unwrap_err(),
        TableIssue::TooLarge {
            max_rows: 50_000,
            max_columns: MAX_COLUMNS
        }
    );
    let row_limit = xlsx(&[(0, 0, "email"), (3, 0, "x")]);
    assert!(read_table(&row_limit, Format::Xlsx, &limits(3)).is_ok());
    assert!(read_table(&row_limit, Format::Xlsx, &limits(2)).is_err());
    let column_limit = xlsx(&[(0, 0, "email"), (0, MAX_COLUMNS as u16, "x")]);
    assert!(matches!(
        read_table(&column_limit, Format::Xlsx, &limits(10)),
        Err(TableIssue::TooLarge { .. })
    ));
    // One far-right cell in every row: each row is padded up to it.
    let far: Vec<(u32, u16, &str)> = (0..30).map(|r| (r, 99, "x")).chain([(0, 0, "e")]).collect();
    let small = TableLimits {
        max_cells: 2_000,
        ..limits(100)
    };
    assert_eq!(
        read_table(&xlsx(&far), Format::Xlsx, &small).unwrap_err(),
        TableIssue::TooManyCells { max_cells: 2_000 }
    );
}

#[test]
fn xlsx_table_starts_at_its_first_filled_cell() {
    let offset = xlsx(&[(2, 1, "email"), (3, 1, "a@example.com"), (5, 3, "x")]);
    assert_eq!(
        read_table(&offset, Format::Xlsx, &limits(10)).unwrap(),
        vec![
            vec!["email".to_owned()],
            vec!["a@example.com".to_owned()],
            vec![],
            vec![String::new(), String::new(), "x".to_owned()],
        ]
    );
}

#[test]
fn xlsx_numbers_and_dates_read_as_before() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_number(0, 0, 7.0).unwrap();
    sheet.write_number(0, 1, 2.5).unwrap();
    sheet.write_boolean(0, 2, true).unwrap();
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 3, 31).unwrap();
    let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    sheet
        .write_datetime_with_format(0, 3, &date, &format)
        .unwrap();
    let table = read_table(&book.save_to_buffer().unwrap(), Format::Xlsx, &limits(10)).unwrap();
    assert_eq!(table, vec![vec!["7", "2.5", "true", "46112"]]);
}

#[test]
fn xlsx_unpacking_past_the_cap_is_refused() {
    let bomb = xlsx_with_parts(&[("xl/media/padding.bin", Some(&vec![b' '; 300_000]))]);
    assert!(bomb.len() < 20_000, "compresses well");
    let capped = TableLimits {
        max_unpacked_bytes: 256 << 10,
        ..limits(10)
    };
    assert_eq!(
        read_table(&bomb, Format::Xlsx, &capped).unwrap_err(),
        TableIssue::UnpacksTooLarge {
            max_bytes: 256 << 10
        }
    );
    assert!(read_table(&bomb, Format::Xlsx, &limits(10)).is_ok());
    assert!(
        TableIssue::UnpacksTooLarge {
            max_bytes: MAX_UNPACKED_BYTES
        }
        .message()
        .in_lang(Lang::En)
        .contains("unpacks to more than 64 MB")
    );
}

#[test]
fn xlsx_with_too_many_parts_or_shared_strings_is_refused() {
    let names: Vec<String> = (0..=MAX_PARTS).map(|i| format!("x/{i}.xml")).collect();
    let parts: Vec<(&str, Option<&[u8]>)> =
        names.iter().map(|n| (n.as_str(), Some(&b""[..]))).collect();
    assert_eq!(
        read_table(&xlsx_with_parts(&parts), Format::Xlsx, &limits(10)).unwrap_err(),
        TableIssue::TooManyParts {
            max_parts: MAX_PARTS
        }
    );
    let sst = |attributes: &str, strings: usize| {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" {attributes}>{}</sst>"#,
            "<si><t>x</t></si>".repeat(strings)
        )
    };
    let small = TableLimits {
        max_cells: 100,
        ..limits(10)
    };
    let read = |xml: String| {
        read_table(
            &xlsx_with_parts(&[("xl/sharedStrings.xml", Some(xml.as_bytes()))]),
            Format::Xlsx,
            &small,
        )
    };
    // calamine would reserve room for 4 billion strings.
    assert_eq!(
        read(sst(r#"count="1" uniqueCount = '4000000000'"#, 1)).unwrap_err(),
        TableIssue::TooManyTexts { max_texts: 100 }
    );
    assert_eq!(
        read(sst("", 101)).unwrap_err(),
        TableIssue::TooManyTexts { max_texts: 100 }
    );
    assert!(read(sst(r#"uniqueCount="100""#, 100)).is_ok());
}

#[test]
fn xlsx_styles_are_not_read() {
    // A font name copied into a million cell styles would take gigabytes.
    let styles = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><name val="{}"/></font></fonts><cellXfs>{}</cellXfs></styleSheet>"#,
        "F".repeat(1 << 20),
        r#"<xf fontId="0"></xf>"#.repeat(1 << 20)
    );
    let file = xlsx_with_parts(&[("xl/styles.xml", Some(styles.as_bytes()))]);
    assert_eq!(
        read_table(&file, Format::Xlsx, &limits(10)).unwrap(),
        vec![vec!["email".to_owned()], vec!["a@example.com".to_owned()]]
    );
}

#[test]
fn messages_name_the_limits_in_both_languages() {
    let issue = TableIssue::TooLarge {
        max_rows: 50_000,
        max_columns: 200,
    };
    assert_eq!(
        issue.message().in_lang(Lang::En),
        "The file is too large: at most 50 000 rows and 200 columns."
    );
    assert_eq!(
        issue.message().in_lang(Lang::ZhCn),
        "文件过大：最多 50 000 行、200 列。"
    );
    assert_eq!(
        TableIssue::UnpacksTooLarge {
            max_bytes: 64 << 20
        }
        .message()
        .in_lang(Lang::ZhCn),
        "文件解压后超过 64 MB。"
    );
    assert_eq!(grouped(2_000_000), "2 000 000");
    assert_eq!(grouped(999), "999");
}
