//! How strongly a strike report or a running total is supported, and the
//! rules behind it. `high`: date, region and toll from explicit wording in
//! the report's own sentences, with a strike word, resolved against the
//! publication date. `medium`: a field came from context (a later
//! paragraph, "in the same waters", a list's heading) or the date from an
//! anchor other than the publication date. `low`: the date rests on a weak
//! anchor (a caption, an embedded post, a date elsewhere in the text) or the
//! report on a list line with no strike word.

use strikewatch_model::{Confidence, ConfidenceLevel};

use crate::anchor::Anchor;
use crate::dates::{DateKind, DateMention};

/// Where a report's region came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionFrom {
    Own,
    SameArea,
    ListHeading,
    Missing,
}

/// What a strike report rests on.
pub struct ReportBasis {
    pub date: Option<DateMention>,
    /// The anchor the date resolved against, when it needed one.
    pub anchor: Option<Anchor>,
    /// The date resolved against an embedded post's own date.
    pub post_anchor: bool,
    pub region: RegionFrom,
    pub killed: bool,
    pub strike_word: bool,
    pub list_line: bool,
    /// Figures taken from a paragraph other than the dated one.
    pub carried: bool,
}

fn date_cue(d: &DateMention) -> &'static str {
    if d.speech {
        return "date:announcement_day";
    }
    if d.anchored {
        return "date:anchored_day";
    }
    if d.after_lead {
        return "date:after_lead";
    }
    if d.names_strike {
        return "date:possessive_day";
    }
    match d.kind {
        DateKind::MonthDay => "date:month_day",
        DateKind::Weekday => "date:weekday",
        DateKind::Relative => "date:relative",
        DateKind::Vague => "date:vague",
        DateKind::EndOfMonth => "date:end_of_month",
        DateKind::Holiday => "date:holiday",
        DateKind::Month => "date:month",
    }
}

/// A date whose day depends on the page's anchor.
fn needs_anchor(d: &DateMention) -> bool {
    !d.anchored && d.kind != DateKind::MonthDay
}

pub fn report_confidence(b: &ReportBasis) -> Confidence {
    let mut cues: Vec<String> = Vec::new();
    let mut level = ConfidenceLevel::High;
    let mut lower = |to: ConfidenceLevel| level = level.min(to);
    match &b.date {
        Some(d) => {
            cues.push(date_cue(d).into());
            if matches!(d.kind, DateKind::Vague | DateKind::Month)
                || d.anchored
                || d.after_lead
                || d.speech
            {
                lower(ConfidenceLevel::Medium);
            }
            if d.campaign_year {
                cues.push("date:campaign_year".into());
                lower(ConfidenceLevel::Medium);
            }
            if needs_anchor(d) {
                if b.post_anchor {
                    cues.push("anchor:embedded_post".into());
                    lower(ConfidenceLevel::Medium);
                } else if let Some(a) = b.anchor {
                    if a.is_weak() {
                        cues.push(a.cue().into());
                        lower(ConfidenceLevel::Low);
                    } else if a.source != strikewatch_model::DateSource::PublishedAt {
                        cues.push(a.cue().into());
                        lower(ConfidenceLevel::Medium);
                    }
                }
            }
        }
        None => {
            cues.push("date:none".into());
            lower(ConfidenceLevel::Medium);
        }
    }
    match b.region {
        RegionFrom::Own => {}
        RegionFrom::SameArea => {
            cues.push("region:same_area".into());
            lower(ConfidenceLevel::Medium);
        }
        RegionFrom::ListHeading => {
            cues.push("region:list_heading".into());
            lower(ConfidenceLevel::Medium);
        }
        RegionFrom::Missing => {
            cues.push("region:none".into());
            lower(ConfidenceLevel::Medium);
        }
    }
    if !b.killed {
        cues.push("toll:none".into());
        lower(ConfidenceLevel::Medium);
    }
    if b.carried {
        cues.push("fields:carried".into());
        lower(ConfidenceLevel::Medium);
    }
    if b.strike_word {
        cues.push("strike:trigger".into());
    } else if b.list_line {
        cues.push("strike:list_line".into());
        lower(ConfidenceLevel::Low);
    }
    Confidence::new(level, cues)
}

/// What a running total rests on.
pub struct TotalBasis {
    /// The rule that read the figure (`total:cue`, `total:ordinal`, …).
    pub rule: &'static str,
    /// Where the as-of date came from (`as_of:explicit`, `as_of:said`, …).
    pub as_of: &'static str,
    pub anchor: Option<Anchor>,
}

pub fn total_confidence(b: &TotalBasis) -> Confidence {
    let mut cues = vec![b.rule.to_string(), b.as_of.to_string()];
    let mut level = match b.rule {
        "total:toll_phrase" | "total:cue" => ConfidenceLevel::High,
        _ => ConfidenceLevel::Medium,
    };
    if b.as_of == "as_of:anchor"
        && let Some(a) = b.anchor
        && a.source != strikewatch_model::DateSource::PublishedAt
    {
        cues.push(a.cue().into());
        level = level.min(if a.is_weak() {
            ConfidenceLevel::Low
        } else {
            ConfidenceLevel::Medium
        });
    }
    Confidence::new(level, cues)
}
