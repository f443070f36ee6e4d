//! Spreadsheet-safe cell text for every CSV the project writes.
//!
//! Document text is hostile: a title such as `=HYPERLINK("http://…","click")`
//! runs as a formula when a CSV is opened in a spreadsheet program. Following
//! OWASP's rule for CSV injection, a cell that starts with `=`, `+`, `-`,
//! `@`, a tab or a carriage return is written with a leading apostrophe
//! (numbers such as `-3` stay as they are). A cell that already starts with
//! an apostrophe gets one more, so reading back ([`from_spreadsheet_cell`])
//! gives exactly the original text.

use std::borrow::Cow;

fn starts_like_a_formula(value: &str) -> bool {
    match value.as_bytes().first() {
        Some(b'=' | b'+' | b'@' | b'\t' | b'\r' | b'\'') => true,
        Some(b'-') => value.parse::<f64>().is_err(),
        _ => false,
    }
}

/// The text to write in a CSV cell for `value`.
pub fn spreadsheet_cell(value: &str) -> Cow<'_, str> {
    if starts_like_a_formula(value) {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

/// The original text of a cell written by [`spreadsheet_cell`].
pub fn from_spreadsheet_cell(cell: &str) -> Cow<'_, str> {
    match cell.strip_prefix('\'') {
        Some(rest) if starts_like_a_formula(rest) => rest.into(),
        _ => cell.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(
            spreadsheet_cell("=HYPERLINK(\"http://evil.example\",\"click\")"),
            "'=HYPERLINK(\"http://evil.example\",\"click\")"
        );
        for risky in ["+1+2", "@SUM(A1)", "-cmd", "\tx", "\rx"] {
            assert!(spreadsheet_cell(risky).starts_with('\''), "{risky:?}");
        }
        for plain in ["-3", "-3.5", "Caribbean", "", "3 killed"] {
            assert_eq!(spreadsheet_cell(plain), plain);
        }
    }

    #[test]
    fn every_text_reads_back_unchanged() {
        for text in [
            "=1+1", "'=1+1", "''=x", "'plain", "plain", "-3", "-x", "", "'", "@", "'@",
        ] {
            assert_eq!(
                from_spreadsheet_cell(&spreadsheet_cell(text)),
                text,
                "{text:?}"
            );
        }
    }
}
