//! The search index: documents, statements, claims and incidents in one
//! tantivy index kept beside the database, ranked with BM25.
//!
//! The index is derived data. Its commit carries a *stamp* the caller
//! chooses (what the database held when it was written), so the caller can
//! tell a stale index and bring it up to date, or rebuild it whole. Nothing
//! here knows SQL.

mod budget;
mod fields;
mod query;
mod snippet;

use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use strikewatch_model::read::{SearchHit, SearchRequest, SearchResults};
use tantivy::collector::TopDocs;
use tantivy::query::{Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::budget::{Budgeted, Guard};
use crate::fields::{Fields, TextField, register_analyzers};

pub use crate::query::MAX_PREFIX_TERMS;
pub use crate::snippet::SNIPPET_BYTES;

/// Bytes of a text kept for snippets.
pub const MAX_EXCERPT: usize = 16 * 1024;
/// Hits one search may skip and return together: deep pages cost more.
pub const MAX_WINDOW: usize = 10_000;
/// Memory the writer buffers before it writes a segment.
const WRITER_HEAP: usize = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index {path}: {source}")]
    Index {
        path: PathBuf,
        source: tantivy::TantivyError,
    },
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("search index: the writer is poisoned")]
    Poisoned,
}

/// One thing to find.
#[derive(Debug, Clone, Default)]
pub struct SearchEntry {
    /// `document`, `statement`, `claim` or `incident`.
    pub kind: &'static str,
    pub id: String,
    pub document_id: String,
    pub title: Option<String>,
    pub text: String,
    pub date: Option<NaiveDate>,
    pub region: Option<String>,
    pub speaker: Option<String>,
    pub language: Option<String>,
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// One writer at a time in this process.
    writing: Mutex<()>,
    path: Option<PathBuf>,
}

fn index_err(path: &Path) -> impl Fn(tantivy::TantivyError) -> SearchError + '_ {
    move |source| SearchError::Index {
        path: path.to_path_buf(),
        source,
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it when missing. An index of
    /// another schema (an older release) is removed and created empty: it
    /// is derived data, and its stamp then says it must be filled.
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        let (schema, fields) = Fields::schema();
        let io = |source| SearchError::Io {
            path: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let index = match Index::open_in_dir(dir) {
            Ok(index) if index.schema() == schema => index,
            Ok(_) | Err(_) if dir.join("meta.json").exists() => {
                std::fs::remove_dir_all(dir).map_err(io)?;
                std::fs::create_dir_all(dir).map_err(io)?;
                Index::create_in_dir(dir, schema).map_err(index_err(dir))?
            }
            _ => Index::create_in_dir(dir, schema).map_err(index_err(dir))?,
        };
        Self::with_index(index, fields, Some(dir.to_path_buf()))
    }

    /// An index in memory (tests, one-off tools).
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let (schema, fields) = Fields::schema();
        Self::with_index(Index::create_in_ram(schema), fields, None)
    }

    fn with_index(
        index: Index,
        fields: Fields,
        path: Option<PathBuf>,
    ) -> Result<SearchIndex, SearchError> {
        register_analyzers(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            writing: Mutex::new(()),
            path,
        })
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The stamp of the last commit on disk (written by any process), after
    /// making it the one searches see.
    pub fn stamp(&self) -> Result<Option<String>, SearchError> {
        self.reader.reload()?;
        Ok(self.index.load_metas()?.payload)
    }

    /// Number of entries searches see.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Starts a change; nothing is seen until [`Update::commit`].
    pub fn update(&self) -> Result<Update<'_>, SearchError> {
        let lock = self.writing.lock().map_err(|_| SearchError::Poisoned)?;
        let writer: IndexWriter<TantivyDocument> =
            self.index.writer_with_num_threads(1, WRITER_HEAP)?;
        Ok(Update {
            index: self,
            writer,
            _lock: lock,
        })
    }

    /// One page of hits for `request`, within its budget.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let started = Instant::now();
        let guard = Arc::new(Guard::new(
            request.budget.map(|b| started + b),
            request.cancel.clone(),
        ));
        let searcher = self.reader.searcher();
        let parsed = query::parse(&request.q);
        let built = query::build(&parsed, &self.fields, &searcher, self.filters(request));
        let Some(inner) = built.query else {
            return Ok(SearchResults::default());
        };
        let limit = request.limit.min(MAX_WINDOW);
        let offset = request.offset.min(MAX_WINDOW - limit);
        let query = Budgeted {
            inner,
            guard: guard.clone(),
            prunable: built.prunable,
        };
        // One more than the page tells whether another page follows.
        let collector = TopDocs::with_limit(limit + 1)
            .and_offset(offset)
            .order_by_score();
        let mut top = searcher.search(&query, &collector)?;
        let more = top.len() > limit;
        top.truncate(limit);
        let mut analyzers = TextField::ALL.map(TextField::analyzer);
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |f| {
                doc.get_first(f)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            let language = text(self.fields.language);
            let field = TextField::of_language(language.as_deref());
            let analyzer = match field {
                TextField::English => &mut analyzers[0],
                TextField::Spanish => &mut analyzers[1],
                TextField::Plain => &mut analyzers[2],
            };
            let excerpt = text(self.fields.excerpt).unwrap_or_default();
            let snip = snippet::snippet(
                &excerpt,
                analyzer,
                query::highlight_for(&built.highlight, field),
            );
            hits.push(SearchHit {
                kind: text(self.fields.kind).unwrap_or_default(),
                id: text(self.fields.id).unwrap_or_default(),
                document_id: text(self.fields.document_id).unwrap_or_default(),
                title: text(self.fields.title),
                snippet: snip.text,
                highlights: snip.highlights,
                date: doc
                    .get_first(self.fields.day)
                    .and_then(|v| v.as_i64())
                    .and_then(|d| i32::try_from(d).ok())
                    .and_then(NaiveDate::from_num_days_from_ce_opt),
                region: text(self.fields.region),
                speaker: text(self.fields.speaker),
                language,
                rank: f64::from(score),
            });
        }
        // Equal scores in a stable order, whatever the segments' layout.
        hits.sort_by(|a, b| {
            b.rank
                .total_cmp(&a.rank)
                .then_with(|| a.kind.cmp(&b.kind))
                .then_with(|| a.id.cmp(&b.id))
        });
        Ok(SearchResults {
            hits,
            more,
            partial: guard.tripped(),
        })
    }

    fn filters(&self, request: &SearchRequest) -> Vec<Box<dyn Query>> {
        let f = &self.fields;
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        let exact = [
            (f.kind, &request.kind),
            (f.region, &request.region),
            (f.speaker, &request.speaker),
            (f.language, &request.language),
        ];
        for (field, value) in exact {
            if let Some(v) = value {
                out.push(Box::new(TermQuery::new(
                    Term::from_field_text(field, v),
                    IndexRecordOption::Basic,
                )));
            }
        }
        if request.from.is_some() || request.to.is_some() {
            let bound = |d: Option<NaiveDate>| match d {
                Some(d) => {
                    Bound::Included(Term::from_field_i64(f.day, i64::from(d.num_days_from_ce())))
                }
                None => Bound::Unbounded,
            };
            out.push(Box::new(tantivy::query::RangeQuery::new(
                bound(request.from),
                bound(request.to),
            )));
        }
        out
    }
}

/// Changes to the index, seen together at [`Update::commit`].
pub struct Update<'a> {
    index: &'a SearchIndex,
    writer: IndexWriter<TantivyDocument>,
    _lock: std::sync::MutexGuard<'a, ()>,
}

impl Update<'_> {
    /// Removes every entry.
    pub fn clear(&mut self) -> Result<(), SearchError> {
        self.writer.delete_all_documents()?;
        Ok(())
    }

    /// Removes every entry of one kind.
    pub fn clear_kind(&mut self, kind: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.index.fields.kind, kind));
    }

    /// Removes the entry of one kind and id, if any.
    pub fn remove(&mut self, kind: &str, id: &str) {
        let key = format!("{kind}:{id}");
        self.writer
            .delete_term(Term::from_field_text(self.index.fields.key, &key));
    }

    /// Adds `entry`, replacing the entry of the same kind and id.
    pub fn put(&mut self, entry: &SearchEntry) -> Result<(), SearchError> {
        let key = format!("{}:{}", entry.kind, entry.id);
        self.writer
            .delete_term(Term::from_field_text(self.index.fields.key, &key));
        self.add(entry)
    }

    /// Adds `entry` when nothing of its kind and id is there (after
    /// [`Update::clear`] or [`Update::clear_kind`]).
    pub fn add(&mut self, entry: &SearchEntry) -> Result<(), SearchError> {
        let f = &self.index.fields;
        let key = format!("{}:{}", entry.kind, entry.id);
        let mut doc = TantivyDocument::default();
        doc.add_text(f.key, &key);
        doc.add_text(f.kind, entry.kind);
        doc.add_text(f.id, &entry.id);
        doc.add_text(f.document_id, &entry.document_id);
        if let Some(t) = &entry.title {
            doc.add_text(f.title, t);
        }
        let cut = {
            let mut at = entry.text.len().min(MAX_EXCERPT);
            while !entry.text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        doc.add_text(f.excerpt, &entry.text[..cut]);
        let field = f.text(TextField::of_language(entry.language.as_deref()));
        // A statement or claim is found by its own words, not by the title
        // of the document it comes from (shown, not searched).
        if let Some(t) = entry.title.as_ref().filter(|_| entry.kind == "document") {
            doc.add_text(field, t);
        }
        doc.add_text(field, &entry.text);
        for (field, value) in [
            (f.language, &entry.language),
            (f.region, &entry.region),
            (f.speaker, &entry.speaker),
        ] {
            if let Some(v) = value {
                doc.add_text(field, v);
            }
        }
        if let Some(d) = entry.date {
            doc.add_i64(f.day, i64::from(d.num_days_from_ce()));
        }
        self.writer.add_document(doc)?;
        Ok(())
    }

    /// Makes the changes visible, with `stamp` saying what they reflect.
    pub fn commit(mut self, stamp: &str) -> Result<(), SearchError> {
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(stamp);
        prepared.commit()?;
        self.index.reader.reload()?;
        // Let merges finish before the lock is released: the next writer
        // would otherwise wait on the files they hold.
        self.writer.wait_merging_threads()?;
        Ok(())
    }
}
