//! What resolution reads: each document's metadata and its extraction.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use strikewatch_model::{Document, Extraction, SourceKind};

/// The parts of a [`Document`] resolution needs (the text stays in the store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocMeta {
    pub id: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub published: Option<NaiveDate>,
    /// Outlet or account name when known.
    pub source: Option<String>,
    pub source_kind: SourceKind,
}

impl From<&Document> for DocMeta {
    fn from(d: &Document) -> Self {
        DocMeta {
            id: d.id.clone(),
            url: d.url.clone(),
            title: d.title.clone(),
            published: d.publication_date(),
            source: d.source.clone(),
            source_kind: d.source_kind,
        }
    }
}

/// One document as resolution sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceDocument {
    pub meta: DocMeta,
    pub extraction: Extraction,
}

impl SourceDocument {
    pub fn new(document: &Document, extraction: Extraction) -> Self {
        SourceDocument {
            meta: DocMeta::from(document),
            extraction,
        }
    }
}

/// A whole corpus to resolve at once.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResolveInput {
    pub documents: Vec<SourceDocument>,
}
