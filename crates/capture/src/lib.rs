//! Live capture: URLs, feeds and sitemaps fetched over HTTP(S) and handed
//! to the archive and the ingest path.
//!
//! - [`guard`] refuses internal addresses (a pure function over resolved
//!   addresses; the client's resolver applies it before connecting);
//! - [`fetch`] talks HTTP: redirects by hand, timeouts, a streamed size
//!   limit, robots.txt, one request at a time per host with a delay;
//! - [`capture`] archives every exchange, turns pages into documents and
//!   keeps each URL's state (versions, gone);
//! - [`feeds`] reads RSS, Atom, JSON Feed and (news) sitemaps;
//! - [`batch`] captures many URLs concurrently and follows feeds to their
//!   new entries;
//! - [`watch`] re-captures configured sources on their intervals;
//! - [`posts`] reads official posts from X, Telegram and ActivityPub exports.
//!
//! This crate does not extract or resolve: it calls a hook after each
//! stored document, and the caller wires extraction and the ledger in.

pub mod batch;
pub mod capture;
pub mod error;
pub mod feeds;
pub mod fetch;
pub mod guard;
pub mod meta;
pub mod posts;
pub mod robots;
pub mod watch;

pub use batch::{BatchItem, capture_all};
pub use capture::{Capturer, Hints, Outcome, Report};
pub use error::CaptureError;
pub use fetch::{FetchOptions, Fetcher, USER_AGENT};
