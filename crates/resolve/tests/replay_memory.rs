//! How much the replay holds at once, counted by the allocator (bytes, not
//! time or resident memory, so the figures are the same on every run).
//!
//! The one test of this file is alone in its process: the allocator counts
//! every thread's allocations.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use common::*;
use strikewatch_resolve::history::{history, replay};
use strikewatch_resolve::{ResolveConfig, ResolveInput, SourceDocument, resolve};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is passed on to the system allocator unchanged; only
// the byte counts are kept beside it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Bytes allocated at the highest point while `f` ran, above what was
/// allocated when it started.
fn peak_above_start<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let start = LIVE.load(Ordering::Relaxed);
    PEAK.store(start, Ordering::Relaxed);
    let out = f();
    (out, PEAK.load(Ordering::Relaxed) - start)
}

/// The dev corpus told 40 times under other ids: every strike reported by
/// many documents, as in a large corpus.
fn corpus_told_many_times() -> Vec<SourceDocument> {
    let docs = corpus_with_rival_date();
    (0..40)
        .flat_map(|n| {
            docs.iter().map(move |d| {
                let mut d = d.clone();
                d.meta.id = format!("{}-{n}", d.meta.id);
                d.extraction.id = d.meta.id.clone();
                d
            })
        })
        .collect()
}

#[test]
fn the_replay_holds_one_copy_of_the_corpus_and_its_incidents() {
    let cfg = ResolveConfig::bundled().unwrap();
    let input = ResolveInput {
        documents: corpus_told_many_times(),
    };
    let (copy, one_copy) = peak_above_start(|| input.clone());
    drop(copy);

    // Resolving the corpus, then replaying a copy of it, beside the corpus
    // (how the ledger and its history were refreshed before).
    let (apart, apart_peak) = peak_above_start(|| {
        let ledger = resolve(&input).unwrap();
        let history = history(&input, &[], &cfg).unwrap();
        (ledger, history)
    });
    // One replay the corpus is moved into.
    let (replayed, replay_peak) = peak_above_start(|| replay(input, &[], &cfg).unwrap());
    assert_eq!(replayed.machine, apart.0);
    assert_eq!(replayed.history, apart.1);
    eprintln!(
        "one copy of the corpus {one_copy} bytes; resolved and replayed apart {apart_peak} \
         bytes above it; replayed once {replay_peak} bytes"
    );
    // Measured when this was written: one copy 4.6 MB, apart 23.2 MB (5.0
    // copies), replayed once 12.6 MB (2.7 copies: the reports flattened for
    // clustering, the incidents made of them, the ledger's statements). A
    // replay that copied the corpus again would add one copy (4.6 MB, to
    // 17.2 MB) and cross the first bound.
    assert!(
        replay_peak * 10 < apart_peak * 7,
        "the replay held {replay_peak} bytes at its peak, resolving and replaying apart \
         {apart_peak}"
    );
    assert!(
        replay_peak < one_copy * 4,
        "the replay held {replay_peak} bytes at its peak for a corpus of {one_copy} bytes"
    );
}
