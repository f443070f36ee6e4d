//! A document's text with evidence spans marked. Offsets are byte offsets
//! into the normalized text; spans that are out of range or not on char
//! boundaries are left out rather than trusted.

use maud::{Markup, html};

/// One span to mark, with a label shown on hover.
pub(crate) struct Mark<'a> {
    pub start: usize,
    pub end: usize,
    pub label: &'a str,
    /// Asked for with `?hl=`: drawn stronger.
    pub active: bool,
}

/// The text cut at every span boundary, each piece marked when a span
/// covers it; each span's start gets an `id="span-S-E"` anchor.
pub(crate) fn highlighted(text: &str, marks: &[Mark<'_>]) -> Markup {
    let valid: Vec<&Mark<'_>> = marks
        .iter()
        .filter(|m| m.start < m.end && text.get(m.start..m.end).is_some())
        .collect();
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for m in &valid {
        cuts.push(m.start);
        cuts.push(m.end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut anchors: Vec<(usize, usize)> = valid.iter().map(|m| (m.start, m.end)).collect();
    anchors.sort_unstable();
    anchors.dedup();
    html! {
        @for pair in cuts.windows(2) {
            @let (a, b) = (pair[0], pair[1]);
            @let piece = text.get(a..b).unwrap_or("");
            @for (s, e) in anchors.iter().filter(|(s, _)| *s == a) {
                span.anchor id={ "span-" (s) "-" (e) } {}
            }
            @let covering: Vec<&&Mark<'_>> = valid.iter().filter(|m| m.start <= a && b <= m.end).collect();
            @if covering.is_empty() {
                (piece)
            } @else {
                @let active = covering.iter().any(|m| m.active);
                @let labels: Vec<&str> = covering.iter().map(|m| m.label).collect();
                mark class=(if active { "ev active" } else { "ev" }) title=(labels.join(", ")) { (piece) }
            }
        }
    }
}

/// The paragraph around a span with the span marked, for evidence shown
/// inline on incident pages.
pub(crate) fn excerpt(text: &str, start: usize, end: usize, label: &str) -> Option<Markup> {
    text.get(start..end)?;
    let para_start = text[..start].rfind("\n\n").map(|i| i + 2).unwrap_or(0);
    let para_end = text[end..]
        .find("\n\n")
        .map(|i| end + i)
        .unwrap_or(text.len());
    let para = &text[para_start..para_end];
    let mark = Mark {
        start: start - para_start,
        end: end - para_start,
        label,
        active: true,
    };
    Some(highlighted(para, &[mark]))
}

/// Parses `?hl=start-end[,start-end…]`; bad pieces are skipped.
pub(crate) fn parse_hl(hl: Option<&str>) -> Vec<(usize, usize)> {
    hl.unwrap_or("")
        .split(',')
        .filter_map(|part| {
            let (a, b) = part.trim().split_once('-')?;
            Some((a.parse().ok()?, b.parse().ok()?))
        })
        .take(50)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_overlapping_spans_and_escapes() {
        let text = "ab <x> cd";
        let marks = [
            Mark {
                start: 0,
                end: 6,
                label: "a",
                active: false,
            },
            Mark {
                start: 3,
                end: 9,
                label: "b",
                active: true,
            },
        ];
        let out = highlighted(text, &marks).into_string();
        assert!(out.contains("id=\"span-0-6\""));
        assert!(out.contains("id=\"span-3-9\""));
        assert!(out.contains("&lt;x&gt;"));
        assert!(!out.contains("<x>"));
        assert!(out.contains("class=\"ev active\""));
    }

    #[test]
    fn bad_offsets_are_ignored() {
        let text = "señal";
        let marks = [
            Mark {
                start: 2,
                end: 3,
                label: "x",
                active: false,
            },
            Mark {
                start: 0,
                end: 99,
                label: "y",
                active: false,
            },
        ];
        assert_eq!(highlighted(text, &marks).into_string(), "señal");
    }

    #[test]
    fn parses_hl_list() {
        assert_eq!(parse_hl(Some("1-4,x,10-20")), vec![(1, 4), (10, 20)]);
    }
}
