use std::net::IpAddr;

use strikewatch_store::StoreError;

use crate::guard::Refusal;

/// Why one URL was not captured. Every variant names the URL it is about.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error("{url}: not a valid URL ({reason})")]
    InvalidUrl { url: String, reason: String },
    #[error("{url}: only http and https URLs can be captured")]
    UnsupportedScheme { url: String },
    #[error("{url}: refused: {host} is {reason} ({ip}); use --allow-private to capture it anyway")]
    Refused {
        url: String,
        host: String,
        ip: IpAddr,
        reason: Refusal,
    },
    #[error("{url}: cannot resolve {host}: {detail}")]
    Resolve {
        url: String,
        host: String,
        detail: String,
    },
    #[error("{url}: disallowed by {robots} (use --ignore-robots to capture it anyway)")]
    RobotsDisallowed { url: String, robots: String },
    #[error("{url}: the body is over the size limit of {limit} bytes; nothing of it was kept")]
    TooLarge { url: String, limit: u64 },
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects { url: String, limit: usize },
    #[error("{url}: redirect loop back to {target}")]
    RedirectLoop { url: String, target: String },
    #[error("{url}: redirect without a usable Location header")]
    BadRedirect { url: String },
    #[error("{url}: timed out ({detail})")]
    Timeout { url: String, detail: String },
    #[error("{url}: cannot connect: {detail}")]
    Connect { url: String, detail: String },
    #[error("{url}: HTTP error: {detail}")]
    Http { url: String, detail: String },
    #[error("{url}: answered HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: not a feed or sitemap: {detail}")]
    NotAFeed { url: String, detail: String },
    #[error("{url}: no document in the response: {detail}")]
    NoDocument { url: String, detail: String },
    #[error("{url}: storing the capture failed: {source}")]
    Store {
        url: String,
        #[source]
        source: StoreError,
    },
    #[error("the database keeps no capture log (this backend does not support live capture)")]
    NoHttpLog,
}

impl CaptureError {
    /// A short word for the exchange log and status lines.
    pub fn kind(&self) -> &'static str {
        match self {
            CaptureError::InvalidUrl { .. } | CaptureError::UnsupportedScheme { .. } => "bad_url",
            CaptureError::Refused { .. } => "refused",
            CaptureError::Resolve { .. } => "dns",
            CaptureError::RobotsDisallowed { .. } => "robots",
            CaptureError::TooLarge { .. } => "too_large",
            CaptureError::TooManyRedirects { .. }
            | CaptureError::RedirectLoop { .. }
            | CaptureError::BadRedirect { .. } => "redirects",
            CaptureError::Timeout { .. } => "timeout",
            CaptureError::Connect { .. } => "connect",
            CaptureError::Http { .. } => "http",
            CaptureError::Status { .. } => "status",
            CaptureError::NotAFeed { .. } => "not_a_feed",
            CaptureError::NoDocument { .. } => "no_document",
            CaptureError::Store { .. } | CaptureError::NoHttpLog => "store",
        }
    }

    /// True when retrying later may help (network trouble, server errors).
    pub fn is_transient(&self) -> bool {
        match self {
            CaptureError::Timeout { .. }
            | CaptureError::Connect { .. }
            | CaptureError::Http { .. }
            | CaptureError::Resolve { .. } => true,
            CaptureError::Status { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }
}
