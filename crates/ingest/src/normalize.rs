//! The one text shape every document has: Unicode NFC; inside each line,
//! runs of whitespace collapsed to one space and the ends trimmed; line
//! breaks inside a paragraph kept as a single `\n` (timelines and lists are
//! written one item per line); paragraphs separated by exactly one blank
//! line; no leading or trailing whitespace. Readers of formats where a line
//! break is not meaningful (HTML, Markdown) join soft-wrapped lines before
//! calling this. Evidence
//! spans are byte offsets into this text, so it must be stable:
//! normalizing normalized text changes nothing.

use unicode_normalization::UnicodeNormalization;

pub fn normalize_text(raw: &str) -> String {
    let composed: String = raw.nfc().collect::<String>().replace("\r\n", "\n");
    let mut out = String::with_capacity(composed.len());
    let mut paragraph_open = false;
    let mut pending_break = false;
    let mut line_open = false;
    // `\n`, a lone `\r` and the Unicode line/paragraph separators end a line.
    for line in composed.split(['\n', '\r', '\u{2028}', '\u{2029}']) {
        let mut words = line.split_whitespace().peekable();
        if words.peek().is_none() {
            // A blank line ends the open paragraph; the break is written
            // only when more text follows, so the result ends trimmed.
            pending_break |= paragraph_open;
            continue;
        }
        for word in words {
            if pending_break {
                out.push_str("\n\n");
                pending_break = false;
            } else if line_open {
                out.push(' ');
            } else if paragraph_open {
                out.push('\n');
            }
            out.push_str(word);
            paragraph_open = true;
            line_open = true;
        }
        line_open = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn collapses_whitespace_and_paragraph_breaks() {
        let raw = "  Title line\n\n\nFirst  para\nwraps here.\n \n\tSecond\u{a0}para \n\n";
        assert_eq!(
            normalize_text(raw),
            "Title line\n\nFirst para\nwraps here.\n\nSecond para"
        );
        assert_eq!(normalize_text(""), "");
        assert_eq!(normalize_text(" \n\n "), "");
    }

    #[test]
    fn composes_to_nfc() {
        assert_eq!(normalize_text("Pacifi\u{0301}co"), "Pacif\u{ed}co");
        assert_eq!(normalize_text("a\r\n b \r\n\r\nc"), "a\nb\n\nc");
    }

    proptest! {
        #[test]
        fn is_idempotent(raw in "[a-zé \\t\\n\u{301}\u{a0}]{0,80}") {
            let once = normalize_text(&raw);
            prop_assert_eq!(normalize_text(&once), once.clone());
            prop_assert!(!once.contains("\n\n\n"));
            prop_assert_eq!(once.trim(), once.as_str());
        }
    }
}
