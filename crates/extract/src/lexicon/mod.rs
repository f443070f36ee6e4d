//! Lexicons as data: per-language TOML files, embedded in the binary or read
//! from a directory, parsed once and compiled into one phrase automaton per
//! language ([`compiled::CompiledLanguage`]).
//!
//! Layout: `<dir>/<lang>/{numbers,calendar,gazetteer,events,totals,noise,sentences}.toml`.
//! The statement files (`actors.toml`, `speech.toml`, `claims.toml`) sit in the
//! same directories and are read by the statements module.

pub mod compiled;
pub mod files;
pub(crate) mod scan;

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::LexiconError;
use files::{
    CalendarFile, EventsFile, GazetteerFile, LanguageFiles, NoiseFile, NumbersFile, SentencesFile,
    TotalsFile,
};

/// The file names every language directory holds for strike extraction.
pub const STRIKE_FILE_NAMES: [&str; 7] = [
    "numbers.toml",
    "calendar.toml",
    "gazetteer.toml",
    "events.toml",
    "totals.toml",
    "noise.toml",
    "sentences.toml",
];

include!(concat!(env!("OUT_DIR"), "/embedded_lexicons.rs"));

/// The files the statements module reads from each language directory.
pub const STATEMENT_FILE_NAMES: [&str; 3] = ["actors.toml", "speech.toml", "claims.toml"];

/// Strike-side lexicon files embedded in the binary, as (relative path, contents).
pub fn embedded_files() -> Vec<(&'static str, &'static str)> {
    EMBEDDED_FILES
        .iter()
        .copied()
        .filter(|(path, _)| is_one_of(path, &STRIKE_FILE_NAMES))
        .collect()
}

/// Statement-side lexicon files embedded in the binary.
pub fn embedded_statement_files() -> Vec<(&'static str, &'static str)> {
    EMBEDDED_FILES
        .iter()
        .copied()
        .filter(|(path, _)| is_one_of(path, &STATEMENT_FILE_NAMES))
        .collect()
}

fn is_one_of(path: &str, names: &[&str]) -> bool {
    path.rsplit_once('/')
        .is_some_and(|(_, name)| names.contains(&name))
}

/// Parsed lexicon files for every language, plus the raw text they came from
/// (for the version hash).
#[derive(Debug, Clone)]
pub struct Lexicons {
    pub languages: Vec<LanguageFiles>,
    /// (relative path, contents) of every file read, sorted by path.
    pub sources: Vec<(String, String)>,
}

impl Lexicons {
    /// The lexicons embedded in the binary.
    pub fn embedded() -> Result<Lexicons, LexiconError> {
        let files: Vec<(String, String)> = EMBEDDED_FILES
            .iter()
            .map(|(p, c)| (p.to_string(), c.to_string()))
            .collect();
        Lexicons::from_sources(files)
    }

    /// Reads every `<dir>/<lang>/*.toml` file (strike and statement files); a
    /// researcher adapting the extractor edits a copy of
    /// `crates/extract/lexicons` and points here.
    pub fn from_dir(dir: &Path) -> Result<Lexicons, LexiconError> {
        let io_err = |file: &Path, e: std::io::Error| LexiconError::Invalid {
            file: file.display().to_string(),
            message: e.to_string(),
        };
        let mut files = Vec::new();
        let entries = std::fs::read_dir(dir).map_err(|e| io_err(dir, e))?;
        let mut langs: Vec<_> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        langs.sort();
        for lang in langs {
            let lang_dir = dir.join(&lang);
            let mut names: Vec<String> = std::fs::read_dir(&lang_dir)
                .map_err(|e| io_err(&lang_dir, e))?
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".toml"))
                .collect();
            names.sort();
            for name in names {
                let path = lang_dir.join(&name);
                let text = std::fs::read_to_string(&path).map_err(|e| io_err(&path, e))?;
                files.push((format!("{lang}/{name}"), text));
            }
        }
        Lexicons::from_sources(files)
    }

    /// Parses (relative path, contents) pairs grouped as `<lang>/<file>.toml`.
    pub fn from_sources(mut sources: Vec<(String, String)>) -> Result<Lexicons, LexiconError> {
        sources.sort();
        let mut langs: Vec<String> = sources
            .iter()
            .filter_map(|(p, _)| p.split_once('/').map(|(l, _)| l.to_string()))
            .collect();
        langs.dedup();
        let mut languages = Vec::new();
        for lang in langs {
            let get = |name: &str| -> Result<(&str, &str), LexiconError> {
                let path = format!("{lang}/{name}");
                sources
                    .iter()
                    .find(|(p, _)| *p == path)
                    .map(|(p, c)| (p.as_str(), c.as_str()))
                    .ok_or(LexiconError::Invalid {
                        file: path,
                        message: "file missing".into(),
                    })
            };
            let numbers: NumbersFile = parse(get("numbers.toml")?)?;
            let calendar: CalendarFile = parse(get("calendar.toml")?)?;
            let gazetteer: GazetteerFile = parse(get("gazetteer.toml")?)?;
            let events: EventsFile = parse(get("events.toml")?)?;
            let totals: TotalsFile = parse(get("totals.toml")?)?;
            let noise: NoiseFile = parse(get("noise.toml")?)?;
            let sentences: SentencesFile = parse(get("sentences.toml")?)?;
            languages.push(LanguageFiles {
                language: lang.clone(),
                numbers,
                calendar,
                gazetteer,
                events,
                totals,
                noise,
                sentences,
            });
        }
        if languages.is_empty() {
            return Err(LexiconError::Invalid {
                file: "<lexicons>".into(),
                message: "no language directory".into(),
            });
        }
        Ok(Lexicons { languages, sources })
    }

    /// The statement files among the sources, as (relative path, contents).
    pub fn statement_sources(&self) -> Vec<(&str, &str)> {
        self.sources
            .iter()
            .filter(|(p, _)| is_one_of(p, &STATEMENT_FILE_NAMES))
            .map(|(p, c)| (p.as_str(), c.as_str()))
            .collect()
    }

    /// Short SHA-256 hex over these files and `extra`.
    pub fn version(&self, extra: &[(&str, &str)]) -> String {
        let mut all: Vec<(&str, &str)> = self
            .sources
            .iter()
            .map(|(p, c)| (p.as_str(), c.as_str()))
            .collect();
        all.extend_from_slice(extra);
        all.sort();
        let mut hasher = Sha256::new();
        for (path, content) in all {
            hasher.update(path.as_bytes());
            hasher.update([0u8]);
            hasher.update(content.as_bytes());
            hasher.update([0u8]);
        }
        let digest = hasher.finalize();
        digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
    }
}

fn parse<T: serde::de::DeserializeOwned>((file, text): (&str, &str)) -> Result<T, LexiconError> {
    toml::from_str(text).map_err(|e| LexiconError::Invalid {
        file: file.to_string(),
        message: e.to_string(),
    })
}
