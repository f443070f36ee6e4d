//! Ingest progress on the terminal: an `indicatif` bar over input bytes
//! (hidden when stderr is not a terminal) and one line per skipped input.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use strikewatch_ingest::{FileOutcome, InputFile, Observer, Skip};

pub struct TerminalProgress {
    bar: ProgressBar,
}

impl TerminalProgress {
    pub fn new() -> Self {
        let target = if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(Some(0), target);
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}) {msg}",
        ) {
            bar.set_style(style);
        }
        TerminalProgress { bar }
    }

    /// Prints above the bar, or plainly when the bar is hidden.
    fn say(&self, line: String) {
        self.bar.suspend(|| eprintln!("{line}"));
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Observer for TerminalProgress {
    fn started(&mut self, _files: usize, total_bytes: u64) {
        self.bar.set_length(total_bytes);
    }

    fn file_started(&mut self, file: &InputFile) {
        self.bar.set_message(file.origin.clone());
    }

    fn advanced(&mut self, bytes: u64) {
        self.bar.inc(bytes);
    }

    fn skipped(&mut self, skip: &Skip) {
        self.say(format!("skipped {skip}"));
    }

    fn noted(&mut self, origin: &str, note: &str) {
        self.say(format!("note: {origin}: {note}"));
    }

    fn file_done(&mut self, file: &InputFile, outcome: &FileOutcome) {
        if let FileOutcome::AlreadyArchived { sha256 } = outcome {
            let short = sha256.get(..12).unwrap_or(sha256);
            self.say(format!(
                "already archived, nothing to do: {} (sha256 {short}…)",
                file.origin
            ));
        }
    }
}
