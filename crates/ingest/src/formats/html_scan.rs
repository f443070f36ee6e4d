//! One linear pass over an HTML page with the html5ever tokenizer alone (no
//! tree): how deep its elements nest and how many there are, its head
//! metadata, and its text laid out flat, a paragraph per block.
//!
//! Building a tree and running Readability over it costs time that grows
//! with nesting depth times size, and walks the tree recursively; a hostile
//! page of a hundred thousand nested `<div>`s takes minutes or overflows the
//! stack. The scan sees such a page for what it is before any tree is built,
//! and its flat text is what such a page is read as instead.

use std::cell::RefCell;
use std::collections::HashMap;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// What one pass found.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// Deepest nesting of elements, as a browser would build it (closely
    /// estimated: elements whose end tags may be left out are not counted).
    pub depth: usize,
    /// Start tags.
    pub elements: usize,
    /// The text outside scripts, styles, navigation and forms, with a blank
    /// line between blocks.
    pub text: String,
    /// The `<title>` text.
    pub title: Option<String>,
    /// `<meta>` content by `property`, `name` or `itemprop`, first wins.
    pub meta: HashMap<String, String>,
    pub canonical: Option<String>,
    pub lang: Option<String>,
    /// The first `<time datetime>`.
    pub time: Option<String>,
}

/// Elements that hold no content, so never nest.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen",
];
/// Elements whose end tag may be left out: the next sibling closes them,
/// so they do not nest by themselves.
const IMPLIED_END: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "rb",
    "rt", "rtc", "rp", "colgroup", "caption",
];
/// Elements whose text is not the page's main text.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "select", "button", "svg", "math", "head", "iframe", "object",
];
/// Elements that begin and end a paragraph of the flat text.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "td",
    "th",
    "tr",
    "article",
    "section",
    "pre",
    "ul",
    "ol",
    "table",
    "dd",
    "dt",
    "figure",
    "figcaption",
    "main",
    "address",
];

#[derive(Default)]
struct State {
    scan: Scan,
    /// Open elements (names), estimated without a tree.
    open: Vec<String>,
    /// How many of each name are open, so an end tag finds its start in
    /// constant time.
    open_by_name: HashMap<String, usize>,
    /// Open elements from [`SKIPPED`].
    skipping: usize,
    /// Open `<svg>`/`<math>`, inside which `<x/>` does close itself.
    foreign: usize,
    in_title: bool,
}

impl State {
    fn push(&mut self, name: &str) {
        if SKIPPED.contains(&name) {
            self.skipping += 1;
        }
        if name == "svg" || name == "math" {
            self.foreign += 1;
        }
        self.open.push(name.to_string());
        *self.open_by_name.entry(name.to_string()).or_insert(0) += 1;
        self.scan.depth = self.scan.depth.max(self.open.len());
    }

    /// Closes up to and including the innermost open `name`, if any is open.
    fn pop_to(&mut self, name: &str) {
        if self.open_by_name.get(name).copied().unwrap_or(0) == 0 {
            return;
        }
        while let Some(top) = self.open.pop() {
            if SKIPPED.contains(&top.as_str()) {
                self.skipping -= 1;
            }
            if top == "svg" || top == "math" {
                self.foreign -= 1;
            }
            if let Some(n) = self.open_by_name.get_mut(&top) {
                *n -= 1;
            }
            if top == name {
                break;
            }
        }
    }

    fn paragraph_break(&mut self) {
        let text = &mut self.scan.text;
        if !text.is_empty() && !text.ends_with("\n\n") {
            text.push_str("\n\n");
        }
    }

    fn attribute<'t>(tag: &'t Tag, name: &str) -> Option<&'t StrTendril> {
        tag.attrs
            .iter()
            .find(|a| &*a.name.local == name)
            .map(|a| &a.value)
    }

    fn metadata(&mut self, tag: &Tag) {
        let value = |name: &str| {
            Self::attribute(tag, name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        match &*tag.name {
            "meta" => {
                if let Some(content) = value("content") {
                    for key in ["property", "name", "itemprop"] {
                        if let Some(k) = value(key) {
                            self.scan.meta.entry(k).or_insert_with(|| content.clone());
                        }
                    }
                }
            }
            "link" => {
                let canonical = value("rel").is_some_and(|rel| {
                    rel.split_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("canonical"))
                });
                if canonical && self.scan.canonical.is_none() {
                    self.scan.canonical = value("href");
                }
            }
            "html" if self.scan.lang.is_none() => self.scan.lang = value("lang"),
            "time" if self.scan.time.is_none() => self.scan.time = value("datetime"),
            _ => {}
        }
    }

    fn tag(&mut self, tag: Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        match tag.kind {
            TagKind::StartTag => {
                self.scan.elements += 1;
                self.metadata(&tag);
                if BLOCKS.contains(&name) {
                    self.paragraph_break();
                }
                let closes_itself = VOID.contains(&name) || (tag.self_closing && self.foreign > 0);
                if !closes_itself && !IMPLIED_END.contains(&name) {
                    self.push(name);
                }
                match name {
                    "title" => {
                        self.in_title = true;
                        TokenSinkResult::RawData(RawKind::Rcdata)
                    }
                    "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
                    "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                        TokenSinkResult::RawData(RawKind::Rawtext)
                    }
                    "plaintext" => TokenSinkResult::Plaintext,
                    _ => TokenSinkResult::Continue,
                }
            }
            TagKind::EndTag => {
                if name == "title" {
                    self.in_title = false;
                }
                if BLOCKS.contains(&name) {
                    self.paragraph_break();
                }
                self.pop_to(name);
                TokenSinkResult::Continue
            }
        }
    }

    fn characters(&mut self, text: &str) {
        if self.in_title {
            self.scan
                .title
                .get_or_insert_with(String::new)
                .push_str(text);
        } else if self.skipping == 0 {
            self.scan.text.push_str(text);
        }
    }
}

struct Sink(RefCell<State>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => state.tag(tag),
            Token::CharacterTokens(text) => {
                state.characters(&text);
                TokenSinkResult::Continue
            }
            _ => TokenSinkResult::Continue,
        }
    }
}

/// Scans `source` once; time and memory grow linearly with its length.
pub(crate) fn scan(source: &str) -> Scan {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(source));
    let tokenizer = Tokenizer::new(
        Sink(RefCell::new(State::default())),
        TokenizerOpts::default(),
    );
    // The sink never asks to stop for a script, so one feed reads it all.
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let mut scan = std::mem::take(&mut tokenizer.sink.0.borrow_mut().scan);
    scan.title = scan
        .title
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    scan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_nesting_as_a_browser_builds_it() {
        assert_eq!(scan("<html><body><div><div><p>x</div></div>").depth, 4);
        // Left-out end tags and void elements do not nest.
        assert_eq!(scan("<ul><li>a<li>b<li>c</ul><p>x<p>y<br><img>").depth, 1);
        assert_eq!(scan(&"<div>".repeat(5000)).depth, 5000);
        assert_eq!(scan(&"<div>x</div>".repeat(5000)).elements, 5000);
        // `<x/>` closes itself inside SVG only.
        assert_eq!(
            scan(&format!("<svg>{}</svg>", "<path/>".repeat(100))).depth,
            1
        );
        assert_eq!(scan(&"<div/>".repeat(100)).depth, 100);
    }

    #[test]
    fn reads_metadata_and_flat_text() {
        let s = scan(
            r#"<html lang="es"><head><title> Ataque </title>
            <meta property="og:site_name" content="Diario">
            <link rel="canonical" href="https://e.org/a"><style>p{}</style></head>
            <body><nav>Inicio</nav><p>Tres muertos.</p><div>Otro <b>párrafo</b>.</div>
            <script>var x = "<p>no</p>";</script><time datetime="2025-10-01">hoy</time></body>"#,
        );
        assert_eq!(s.lang.as_deref(), Some("es"));
        assert_eq!(s.title.as_deref(), Some("Ataque"));
        assert_eq!(
            s.meta.get("og:site_name").map(String::as_str),
            Some("Diario")
        );
        assert_eq!(s.canonical.as_deref(), Some("https://e.org/a"));
        assert_eq!(s.time.as_deref(), Some("2025-10-01"));
        assert!(s.text.contains("Tres muertos.\n\n"), "{:?}", s.text);
        assert!(s.text.contains("Otro párrafo."), "{:?}", s.text);
        for noise in ["Inicio", "var x", "p{}", "no</p>"] {
            assert!(!s.text.contains(noise), "{noise} in {:?}", s.text);
        }
    }
}
