//! The index schema and its analyzers: one text field per stemmed language,
//! one plain field for every other language, and the raw fields filters use.

use tantivy::Index;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};

/// The text fields, each with its own analyzer. A document's title and text
/// go to the field of its language; a query is analysed for each field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextField {
    English,
    Spanish,
    Plain,
}

impl TextField {
    pub const ALL: [TextField; 3] = [TextField::English, TextField::Spanish, TextField::Plain];

    pub fn of_language(language: Option<&str>) -> TextField {
        match language {
            Some("en") => TextField::English,
            Some("es") => TextField::Spanish,
            _ => TextField::Plain,
        }
    }

    fn name(self) -> &'static str {
        match self {
            TextField::English => "text_en",
            TextField::Spanish => "text_es",
            TextField::Plain => "text",
        }
    }

    fn tokenizer(self) -> &'static str {
        match self {
            TextField::English => "sw_en",
            TextField::Spanish => "sw_es",
            TextField::Plain => "sw_plain",
        }
    }

    /// Words lowercased and stripped of accents, then stemmed for the
    /// field's language: "strikes" and "striking" meet "strike", "ataques"
    /// meets "ataque".
    pub fn analyzer(self) -> TextAnalyzer {
        let base = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(48))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter);
        match self {
            TextField::English => base.filter(Stemmer::new(Language::English)).build(),
            TextField::Spanish => base.filter(Stemmer::new(Language::Spanish)).build(),
            TextField::Plain => base.build(),
        }
    }
}

/// Every field of the index.
#[derive(Clone, Copy)]
pub(crate) struct Fields {
    /// `kind:id`, unique: what updates delete by.
    pub key: Field,
    pub kind: Field,
    pub id: Field,
    pub document_id: Field,
    pub title: Field,
    /// The first [`crate::MAX_EXCERPT`] bytes of the text: snippets are
    /// cut from here, never from the whole text.
    pub excerpt: Field,
    pub language: Field,
    pub region: Field,
    pub speaker: Field,
    /// Days since 0001-01-01 (chrono's `num_days_from_ce`).
    pub day: Field,
    pub text_en: Field,
    pub text_es: Field,
    pub text: Field,
}

impl Fields {
    pub fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let text_options = |field: TextField| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(field.tokenizer())
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        let fields = Fields {
            key: b.add_text_field("key", STRING),
            kind: b.add_text_field("kind", STRING | STORED),
            id: b.add_text_field("id", STORED),
            document_id: b.add_text_field("document_id", STORED),
            title: b.add_text_field("title", STORED),
            excerpt: b.add_text_field("excerpt", STORED),
            language: b.add_text_field("language", STRING | STORED),
            region: b.add_text_field("region", STRING | STORED),
            speaker: b.add_text_field("speaker", STRING | STORED),
            day: b.add_i64_field("day", INDEXED | FAST | STORED),
            text_en: b.add_text_field(TextField::English.name(), text_options(TextField::English)),
            text_es: b.add_text_field(TextField::Spanish.name(), text_options(TextField::Spanish)),
            text: b.add_text_field(TextField::Plain.name(), text_options(TextField::Plain)),
        };
        (b.build(), fields)
    }

    pub fn text(&self, field: TextField) -> Field {
        match field {
            TextField::English => self.text_en,
            TextField::Spanish => self.text_es,
            TextField::Plain => self.text,
        }
    }
}

/// Registers the analyzers the text fields name.
pub(crate) fn register_analyzers(index: &Index) {
    for field in TextField::ALL {
        index
            .tokenizers()
            .register(field.tokenizer(), field.analyzer());
    }
}
