//! Exports: the report's numbers and the raw responses as CSV and XLSX (codes and labels), in the reader's language.

use super::figures::{BrandHead, Cell, ReportFigures, SurveyRecord};
use crate::domain::{Lang, Model};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

fn round(x: f64, digits: i32) -> String {
    if x.is_finite() {
        let f = 10f64.powi(digits);
        format!("{}", (x * f).round() / f)
    } else {
        String::new()
    }
}

fn opt(x: Option<f64>, digits: i32) -> String {
    x.map(|v| round(v, digits)).unwrap_or_default()
}

/// The header of the figures table.
fn figures_header(lang: Lang) -> Vec<&'static str> {
    if lang == Lang::ZhCn {
        vec![
            "期间",
            "品牌",
            "本品牌",
            "样本量",
            "状态",
            "隐变量代码",
            "隐变量",
            "指数",
            "95%下限",
            "95%上限",
            "较上期变化",
            "变化p值",
            "变化显著",
            "与本品牌差距",
            "差距p值",
            "差距显著",
            "检验",
        ]
    } else {
        vec![
            "period",
            "brand",
            "own",
            "n",
            "status",
            "construct_code",
            "construct",
            "index",
            "ci_low",
            "ci_high",
            "change",
            "change_p",
            "change_significant",
            "gap_vs_own",
            "gap_p",
            "gap_significant",
            "test",
        ]
    }
}

fn status_text(cell: &Cell, lang: Lang) -> String {
    match (&cell.status, lang) {
        (super::figures::CellStatus::Ok, _) => "ok".into(),
        (super::figures::CellStatus::TooFew, Lang::ZhCn) => "样本不足".into(),
        (super::figures::CellStatus::TooFew, _) => "too few responses".into(),
        (super::figures::CellStatus::Failed(e), _) => e.clone(),
    }
}

/// Every period × brand × construct row of the report (a too-small cell gives one row saying so).
pub fn figures_rows(figures: &ReportFigures, lang: Lang) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let yes_no = |b: bool| {
        if lang == Lang::ZhCn {
            if b { "是" } else { "否" }
        } else if b {
            "yes"
        } else {
            "no"
        }
    };
    for period in &figures.periods {
        for cell in &period.cells {
            let brand = figures.brand(cell.brand_id);
            let base = vec![
                period.period.label(lang).to_owned(),
                brand.map(|b| b.name(lang).to_owned()).unwrap_or_default(),
                yes_no(brand.is_some_and(|b| b.own)).to_owned(),
                cell.n.to_string(),
                status_text(cell, lang),
            ];
            if !cell.is_ok() {
                let mut row = base.clone();
                row.resize(figures_header(lang).len(), String::new());
                rows.push(row);
                continue;
            }
            for c in &cell.constructs {
                let change = cell.change.as_ref().and_then(|x| x.of(&c.code));
                let gap = cell.gap.as_ref().and_then(|x| x.of(&c.code));
                let test = cell
                    .change
                    .as_ref()
                    .or(cell.gap.as_ref())
                    .map(|x| format!("{:?}", x.test).to_lowercase())
                    .unwrap_or_default();
                let mut row = base.clone();
                row.extend([
                    c.code.clone(),
                    figures.construct_name(&c.code, lang),
                    round(c.index, 2),
                    opt(c.ci_low, 2),
                    opt(c.ci_high, 2),
                    change.map(|d| round(d.difference, 2)).unwrap_or_default(),
                    change
                        .and_then(|d| d.p_value)
                        .map(|p| round(p, 4))
                        .unwrap_or_default(),
                    change
                        .map(|d| yes_no(d.significant).to_owned())
                        .unwrap_or_default(),
                    gap.map(|d| round(d.difference, 2)).unwrap_or_default(),
                    gap.and_then(|d| d.p_value)
                        .map(|p| round(p, 4))
                        .unwrap_or_default(),
                    gap.map(|d| yes_no(d.significant).to_owned())
                        .unwrap_or_default(),
                    test,
                ]);
                rows.push(row);
            }
        }
    }
    rows
}

/// The everyday metrics (satisfaction rate, NPS, CSAT) per period and brand.
fn metrics_rows(figures: &ReportFigures, lang: Lang) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let header = if lang == Lang::ZhCn {
        vec![
            "期间",
            "品牌",
            "样本量",
            "指标",
            "数值",
            "95%下限",
            "95%上限",
        ]
    } else {
        vec![
            "period", "brand", "n", "metric", "value", "ci_low", "ci_high",
        ]
    };
    let mut rows = Vec::new();
    for period in &figures.periods {
        for cell in period.cells.iter().filter(|c| c.is_ok()) {
            let brand = figures
                .brand(cell.brand_id)
                .map(|b| b.name(lang).to_owned())
                .unwrap_or_default();
            for (name, rate) in [
                ("satisfaction_rate", &cell.satisfaction_rate),
                ("nps", &cell.nps),
                ("csat", &cell.csat),
            ] {
                if let Some(r) = rate {
                    rows.push(vec![
                        period.period.label(lang).to_owned(),
                        brand.clone(),
                        r.n.to_string(),
                        name.to_owned(),
                        round(r.value, 2),
                        round(r.ci_low, 2),
                        round(r.ci_high, 2),
                    ]);
                }
            }
        }
    }
    (header, rows)
}

/// Segment rows: suppressed cells keep their n and leave the numbers empty.
fn segment_rows(figures: &ReportFigures, lang: Lang) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header: Vec<String> = if lang == Lang::ZhCn {
        vec!["期间", "品牌", "细分属性", "取值", "样本量"]
    } else {
        vec!["period", "brand", "attribute", "value", "n"]
    }
    .into_iter()
    .map(String::from)
    .collect();
    header.extend(figures.constructs.iter().map(|c| c.code.clone()));
    let mut rows = Vec::new();
    for period in &figures.periods {
        for s in &period.segments {
            let mut row = vec![
                period.period.label(lang).to_owned(),
                figures
                    .brand(s.brand_id)
                    .map(|b| b.name(lang).to_owned())
                    .unwrap_or_default(),
                s.attribute.clone(),
                s.value.clone(),
                s.n.to_string(),
            ];
            if s.indices.is_empty() {
                row.extend(figures.constructs.iter().map(|_| String::new()));
            } else {
                row.extend(s.indices.iter().map(|x| round(*x, 2)));
            }
            rows.push(row);
        }
    }
    (header, rows)
}

/// The report's numbers as CSV (one row per period × brand × construct).
pub fn figures_csv(figures: &ReportFigures, lang: Lang) -> Result<String, csv::Error> {
    csv_document(&figures_header(lang), &figures_rows(figures, lang))
}

/// A cell as a spreadsheet may open it without running it: text that a spreadsheet would read
/// as a formula (leading `=`, `+`, `-`, `@`, tab or carriage return) gets a leading `'`, as
/// OWASP recommends; plain numbers such as `-7.07` stay numbers.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let formula_like = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let plain_number = !cell.is_empty()
        && cell.parse::<f64>().is_ok_and(f64::is_finite)
        && cell
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
    if formula_like && !plain_number {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A CSV file that spreadsheets open safely: a UTF-8 byte-order mark (so Excel reads Chinese
/// text as UTF-8), a header and the rows, every cell passed through [`spreadsheet_safe`].
fn csv_document<H: AsRef<str>>(header: &[H], rows: &[Vec<String>]) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(
        header
            .iter()
            .map(|h| spreadsheet_safe(h.as_ref()).into_owned()),
    )?;
    for row in rows {
        writer.write_record(row.iter().map(|cell| spreadsheet_safe(cell).into_owned()))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(format!("\u{feff}{}", String::from_utf8_lossy(&bytes)))
}

fn write_sheet(
    workbook: &mut Workbook,
    name: &str,
    header: &[String],
    rows: &[Vec<String>],
) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    for (c, h) in header.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, h, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match value.parse::<f64>() {
                Ok(number) if !value.is_empty() => sheet.write_number(r, c, number)?,
                _ => sheet.write_string(r, c, value)?,
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The report's numbers as an XLSX workbook: indices and tests, everyday metrics, segments.
pub fn figures_xlsx(figures: &ReportFigures, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let zh = lang == Lang::ZhCn;
    let header: Vec<String> = figures_header(lang).into_iter().map(String::from).collect();
    write_sheet(
        &mut workbook,
        if zh { "指数与检验" } else { "Indices" },
        &header,
        &figures_rows(figures, lang),
    )?;
    let (header, rows) = metrics_rows(figures, lang);
    let header: Vec<String> = header.into_iter().map(String::from).collect();
    write_sheet(
        &mut workbook,
        if zh { "满意率等" } else { "Metrics" },
        &header,
        &rows,
    )?;
    let (header, rows) = segment_rows(figures, lang);
    write_sheet(
        &mut workbook,
        if zh { "细分" } else { "Segments" },
        &header,
        &rows,
    )?;
    workbook.save_to_buffer()
}

/// The raw responses as a table: response facts, segments, then per indicator its value and the value's label.
pub fn responses_table(
    model: &Model,
    brands: &[BrandHead],
    versions: &[(i32, i32)],
    records: &[SurveyRecord],
    lang: Lang,
) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header: Vec<String> = [
        "response_id",
        "completed_at",
        "brand",
        "brand_name",
        "version",
        "source",
        "customer_class",
        "region",
        "channel",
        "lifecycle_stage",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    let indicators: Vec<_> = model.indicators().map(|(_, i)| i).collect();
    for i in &indicators {
        header.push(i.code.clone());
        header.push(format!("{}_label", i.code));
    }
    let dont_know = if lang == Lang::ZhCn {
        "不知道"
    } else {
        "don't know"
    };
    let rows = records
        .iter()
        .map(|r| {
            let brand = r
                .record
                .brand_id
                .and_then(|id| brands.iter().find(|b| b.id == id));
            let mut row = vec![
                r.record.id.to_string(),
                r.record.completed_at.to_rfc3339(),
                r.record
                    .brand_id
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
                brand.map(|b| b.name(lang).to_owned()).unwrap_or_default(),
                versions
                    .iter()
                    .find(|(id, _)| *id == r.record.version_id)
                    .map(|(_, n)| n.to_string())
                    .unwrap_or_default(),
                r.source.clone(),
                r.segments.customer_class.clone().unwrap_or_default(),
                r.segments.region.clone().unwrap_or_default(),
                r.segments.channel.clone().unwrap_or_default(),
                r.segments.lifecycle_stage.clone().unwrap_or_default(),
            ];
            for i in &indicators {
                match r.record.answers.get(&i.code) {
                    Some(Some(v)) => {
                        row.push(v.to_string());
                        let label = i
                            .scale
                            .label_of(*v)
                            .map(|t| t.best(lang).to_owned())
                            .or_else(|| {
                                (*v == i.scale.min()).then(|| i.scale.low().best(lang).to_owned())
                            })
                            .or_else(|| {
                                (*v == i.scale.max()).then(|| i.scale.high().best(lang).to_owned())
                            })
                            .unwrap_or_default();
                        row.push(label);
                    }
                    Some(None) => {
                        row.push(String::new());
                        row.push(dont_know.to_owned());
                    }
                    None => {
                        row.push(String::new());
                        row.push(String::new());
                    }
                }
            }
            row
        })
        .collect();
    (header, rows)
}

/// Raw responses as CSV.
pub fn responses_csv(header: &[String], rows: &[Vec<String>]) -> Result<String, csv::Error> {
    csv_document(header, rows)
}

/// Raw responses as XLSX, with a codebook sheet (code, construct, question, scale).
pub fn responses_xlsx(
    model: &Model,
    header: &[String],
    rows: &[Vec<String>],
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let zh = lang == Lang::ZhCn;
    write_sheet(
        &mut workbook,
        if zh { "答卷" } else { "Responses" },
        header,
        rows,
    )?;
    let book_header: Vec<String> = if zh {
        vec!["代码", "隐变量", "题目", "量表", "反向计分"]
    } else {
        vec!["code", "construct", "question", "scale", "reverse"]
    }
    .into_iter()
    .map(String::from)
    .collect();
    let book: Vec<Vec<String>> = model
        .indicators()
        .map(|(c, i)| {
            vec![
                i.code.clone(),
                c.name.best(lang).to_owned(),
                i.text.best(lang).to_owned(),
                i.scale.describe(),
                i.reverse.to_string(),
            ]
        })
        .collect();
    write_sheet(
        &mut workbook,
        if zh { "编码表" } else { "Codebook" },
        &book_header,
        &book,
    )?;
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::{responses_csv, spreadsheet_safe};

    #[test]
    fn formula_like_text_is_neutralised_and_numbers_stay_numbers() {
        for (raw, safe) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tinvisible", "'\tinvisible"),
            ("\rreturn", "'\rreturn"),
            ("-", "'-"),
            ("-inf", "'-inf"),
            ("-7.07", "-7.07"),
            ("+3", "+3"),
            ("-1e-3", "-1e-3"),
            ("满意", "满意"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(spreadsheet_safe(raw), safe, "{raw:?}");
        }
    }

    #[test]
    fn csv_starts_with_a_byte_order_mark_and_quotes_cells() {
        let csv = responses_csv(
            &["id".into(), "comment".into()],
            &[vec!["1".into(), "=1+1, \"quoted\"".into()]],
        )
        .unwrap();
        assert!(csv.starts_with("\u{feff}id,comment\n"), "{csv:?}");
        assert!(csv.contains("1,\"'=1+1, \"\"quoted\"\"\"\n"), "{csv:?}");
    }
}
