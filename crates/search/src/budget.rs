//! A time budget and a cancel flag that stop a search between documents,
//! so a slow query or a client that hung up cannot hold a search thread.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED};

/// Checks happen once every this many documents visited.
const CHECK_EVERY: u32 = 1024;

/// When a search must stop.
#[derive(Debug, Default)]
pub(crate) struct Guard {
    deadline: Option<Instant>,
    cancel: Option<Arc<AtomicBool>>,
    tripped: AtomicBool,
}

impl Guard {
    pub fn new(deadline: Option<Instant>, cancel: Option<Arc<AtomicBool>>) -> Guard {
        Guard {
            deadline,
            cancel,
            tripped: AtomicBool::new(false),
        }
    }

    /// True once the deadline passed or the caller cancelled; stays true.
    pub fn spent(&self) -> bool {
        if self.tripped.load(Ordering::Relaxed) {
            return true;
        }
        let late = self.deadline.is_some_and(|d| Instant::now() >= d);
        let cancelled = self
            .cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed));
        if late || cancelled {
            self.tripped.store(true, Ordering::Relaxed);
        }
        late || cancelled
    }

    pub fn tripped(&self) -> bool {
        self.tripped.load(Ordering::Relaxed)
    }
}

/// `inner`, stopped by `guard`.
#[derive(Debug)]
pub(crate) struct Budgeted {
    pub inner: Box<dyn Query>,
    pub guard: Arc<Guard>,
    /// The inner query prunes by itself (block-max WAND): let it, and
    /// stop it by raising the bar once the guard is spent.
    pub prunable: bool,
}

impl Clone for Budgeted {
    fn clone(&self) -> Self {
        Budgeted {
            inner: self.inner.box_clone(),
            guard: self.guard.clone(),
            prunable: self.prunable,
        }
    }
}

impl Query for Budgeted {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(BudgetedWeight {
            inner: self.inner.weight(enable_scoring)?,
            guard: self.guard.clone(),
            prunable: self.prunable,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        self.inner.query_terms(visitor)
    }
}

struct BudgetedWeight {
    inner: Box<dyn Weight>,
    guard: Arc<Guard>,
    prunable: bool,
}

impl Weight for BudgetedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(BudgetedScorer {
            inner: self.inner.scorer(reader, boost)?,
            guard: self.guard.clone(),
            steps: 0,
            stopped: self.guard.spent(),
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        if self.guard.spent() {
            return Ok(());
        }
        if self.prunable {
            let guard = &self.guard;
            let mut calls = 0u32;
            return self
                .inner
                .for_each_pruning(threshold, reader, &mut |doc, score| {
                    calls = calls.wrapping_add(1);
                    if calls.is_multiple_of(64) && guard.spent() {
                        // Nothing beats an infinite bar: the pruning loop
                        // skips every block left.
                        return Score::INFINITY;
                    }
                    callback(doc, score)
                });
        }
        let mut scorer = self.scorer(reader, 1.0)?;
        let mut threshold = threshold;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            let score = scorer.score();
            if score > threshold {
                threshold = callback(doc, score);
            }
            doc = scorer.advance();
        }
        Ok(())
    }
}

struct BudgetedScorer {
    inner: Box<dyn Scorer>,
    guard: Arc<Guard>,
    steps: u32,
    stopped: bool,
}

impl DocSet for BudgetedScorer {
    fn advance(&mut self) -> DocId {
        if self.stopped {
            return TERMINATED;
        }
        self.steps = self.steps.wrapping_add(1);
        if self.steps.is_multiple_of(CHECK_EVERY) && self.guard.spent() {
            self.stopped = true;
            return TERMINATED;
        }
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.stopped || self.guard.spent() {
            self.stopped = true;
            return TERMINATED;
        }
        self.inner.seek(target)
    }

    fn doc(&self) -> DocId {
        if self.stopped {
            TERMINATED
        } else {
            self.inner.doc()
        }
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for BudgetedScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}
