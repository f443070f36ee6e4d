//! Many URLs at once: captures run concurrently (requests to one host still
//! wait for each other), and a feed's new entries are captured after it.

use futures_util::StreamExt;
use futures_util::stream;

use crate::capture::{Capturer, Hints, Outcome, Report};
use crate::error::CaptureError;

/// One URL's result, in the order results arrive.
#[derive(Debug)]
pub struct BatchItem {
    pub url: String,
    /// The feed this URL is an entry of, if any.
    pub via: Option<String>,
    pub result: Result<Report, CaptureError>,
}

/// Captures `urls` with at most `concurrency` in flight, then the new
/// entries of every feed among them (one level deep). `on_item` sees each
/// result as it arrives.
pub async fn capture_all(
    capturer: &Capturer<'_>,
    urls: &[String],
    hints: &Hints,
    concurrency: usize,
    follow_feeds: bool,
    on_item: &mut dyn FnMut(&BatchItem),
) -> Vec<BatchItem> {
    let concurrency = concurrency.max(1);
    let mut items = run(
        capturer,
        urls.iter().map(|u| (u.clone(), None)).collect(),
        hints,
        concurrency,
        on_item,
    )
    .await;
    if follow_feeds {
        let mut entries: Vec<(String, Option<String>)> = Vec::new();
        for item in &items {
            if let Ok(Report {
                outcome: Outcome::Feed { new_entries, .. },
                ..
            }) = &item.result
            {
                for e in new_entries {
                    if !entries.iter().any(|(u, _)| u == e) && !urls.contains(e) {
                        entries.push((e.clone(), Some(item.url.clone())));
                    }
                }
            }
        }
        if !entries.is_empty() {
            items.extend(run(capturer, entries, hints, concurrency, on_item).await);
        }
    }
    items
}

async fn run(
    capturer: &Capturer<'_>,
    urls: Vec<(String, Option<String>)>,
    hints: &Hints,
    concurrency: usize,
    on_item: &mut dyn FnMut(&BatchItem),
) -> Vec<BatchItem> {
    let mut results = stream::iter(urls)
        .map(|(url, via)| async move {
            let result = capturer.capture(&url, hints).await;
            BatchItem { url, via, result }
        })
        .buffer_unordered(concurrency);
    let mut items = Vec::new();
    while let Some(item) = results.next().await {
        on_item(&item);
        items.push(item);
    }
    items
}
