//! A document's text with evidence spans marked. Offsets are byte offsets
//! into the normalized text; spans that are out of range or not on char
//! boundaries are left out rather than trusted.

use std::collections::BTreeSet;

use maud::{Markup, html};

/// One span to mark, with a label shown on hover.
pub(crate) struct Mark<'a> {
    pub start: usize,
    pub end: usize,
    pub label: &'a str,
    /// Asked for with `?hl=`: drawn stronger.
    pub active: bool,
}

/// At most this many labels are named in one mark's hover text; a piece
/// covered by more spans says how many more there are.
const MAX_LABELS: usize = 8;

/// The text cut at every span boundary, each piece marked when a span
/// covers it; each span's start gets an `id="span-S-E"` anchor.
///
/// One sweep over the boundaries in order: spans enter the covering set at
/// their start and leave it at their end, so the cost grows with the number
/// of spans times a logarithm, not with spans times pieces (a long document
/// with tens of thousands of spans renders in milliseconds).
pub(crate) fn highlighted(text: &str, marks: &[Mark<'_>]) -> Markup {
    let valid: Vec<&Mark<'_>> = marks
        .iter()
        .filter(|m| m.start < m.end && text.get(m.start..m.end).is_some())
        .collect();
    let mut cuts: Vec<usize> = Vec::with_capacity(valid.len() * 2 + 2);
    cuts.extend([0, text.len()]);
    for m in &valid {
        cuts.push(m.start);
        cuts.push(m.end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    // Indices into `valid`, in the order spans open and close.
    let mut opening: Vec<usize> = (0..valid.len()).collect();
    opening.sort_unstable_by_key(|&i| (valid[i].start, valid[i].end));
    let mut closing: Vec<usize> = (0..valid.len()).collect();
    closing.sort_unstable_by_key(|&i| valid[i].end);
    let (mut next_open, mut next_close) = (0, 0);
    // Covering spans by index, so labels keep the order they were given in.
    let mut covering: BTreeSet<usize> = BTreeSet::new();
    let mut covering_active = 0usize;
    let mut pieces: Vec<Piece<'_>> = Vec::with_capacity(cuts.len());
    for pair in cuts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        while let Some(&i) = closing.get(next_close).filter(|&&i| valid[i].end <= a) {
            if covering.remove(&i) && valid[i].active {
                covering_active -= 1;
            }
            next_close += 1;
        }
        let mut anchors: Vec<(usize, usize)> = Vec::new();
        while let Some(&i) = opening.get(next_open).filter(|&&i| valid[i].start <= a) {
            let m = valid[i];
            if anchors.last() != Some(&(m.start, m.end)) {
                anchors.push((m.start, m.end));
            }
            if m.end > a && covering.insert(i) && m.active {
                covering_active += 1;
            }
            next_open += 1;
        }
        let title = (!covering.is_empty()).then(|| hover_text(&valid, &covering));
        pieces.push(Piece {
            anchors,
            text: text.get(a..b).unwrap_or(""),
            title,
            active: covering_active > 0,
        });
    }
    html! {
        @for piece in &pieces {
            @for (s, e) in &piece.anchors {
                span.anchor id={ "span-" (s) "-" (e) } {}
            }
            @match &piece.title {
                None => (piece.text),
                Some(title) => {
                    mark class=(if piece.active { "ev active" } else { "ev" }) title=(title) { (piece.text) }
                }
            }
        }
    }
}

/// One stretch of text between two span boundaries.
struct Piece<'t> {
    /// Spans starting here, each once.
    anchors: Vec<(usize, usize)>,
    text: &'t str,
    /// Labels of the spans covering it; `None` when none does.
    title: Option<String>,
    active: bool,
}

/// The labels of the covering spans, each named once and at most
/// [`MAX_LABELS`] of them, with the number of spans when that is more than
/// the names shown. Looks at a bounded number of spans, so that a piece
/// under thousands of spans costs no more than one under a few.
fn hover_text(valid: &[&Mark<'_>], covering: &BTreeSet<usize>) -> String {
    let mut named: Vec<&str> = Vec::new();
    for &i in covering.iter().take(MAX_LABELS * 4) {
        if !named.contains(&valid[i].label) {
            named.push(valid[i].label);
            if named.len() == MAX_LABELS {
                break;
            }
        }
    }
    let mut title = named.join(", ");
    if covering.len() > named.len() {
        title.push_str(&format!(" ({} spans)", covering.len()));
    }
    title
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

    /// A long document with tens of thousands of spans: the old renderer
    /// compared every piece with every span (about 5 billion comparisons
    /// here, seconds even in a release build); the sweep takes milliseconds.
    #[test]
    fn many_spans_render_in_linear_time() {
        let sentence = "The strike on the vessel killed three people aboard it. ";
        let text = sentence.repeat(1_900_000 / sentence.len());
        let labels = ["dead", "date", "region"];
        let mut marks = Vec::new();
        for (n, at) in (0..text.len() - 40).step_by(37).enumerate().take(50_400) {
            marks.push(Mark {
                start: at,
                end: at + 20 + (n % 30),
                label: labels[n % 3],
                active: n % 1000 == 0,
            });
        }
        assert_eq!(marks.len(), 50_400);
        let started = std::time::Instant::now();
        let out = highlighted(&text, &marks).into_string();
        let took = started.elapsed();
        assert!(took < std::time::Duration::from_secs(2), "took {took:?}");
        assert_eq!(out.matches("<span class=\"anchor\"").count(), 50_400);
        assert!(out.contains("class=\"ev active\""));
    }

    #[test]
    fn nested_spans_name_a_bounded_number_of_labels() {
        let text = "x".repeat(1000);
        let marks: Vec<Mark<'_>> = (0..400)
            .map(|i| Mark {
                start: i,
                end: 1000 - i,
                label: if i % 2 == 0 { "dead" } else { "date" },
                active: false,
            })
            .collect();
        let out = highlighted(&text, &marks).into_string();
        assert!(
            out.contains("title=\"dead, date (400 spans)\""),
            "{}",
            &out[..2000]
        );
        // Every character is still there, in order.
        let stripped: String = out
            .split('<')
            .map(|part| part.split_once('>').map_or(part, |(_, t)| t))
            .collect();
        assert_eq!(stripped, text);
    }

    #[test]
    fn parses_hl_list() {
        assert_eq!(parse_hl(Some("1-4,x,10-20")), vec![(1, 4), (10, 20)]);
    }
}
