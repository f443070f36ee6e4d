//! A reviewed ledger kept up to date one document at a time: only the
//! incidents the resolver re-resolved are re-materialized and re-reviewed,
//! only the statements and claims of the documents involved are rebuilt,
//! and reconciliation rows are re-checked against cumulative counts. The
//! result is exactly the ledger a full resolve plus review gives; whatever
//! cannot be updated locally (merges, splits, colliding ids) falls back to
//! a full build.

use std::collections::{BTreeSet, HashMap};

use strikewatch_model::ClaimKind;
use strikewatch_model::ledger::{
    Ledger, LedgerDelta, Reconciliation, Review, ReviewAction, ReviewOutcome,
};

use crate::engine::{Resolver, incident_order};
use crate::input::{DocMeta, SourceDocument};
use crate::reconcile::{reconcile, row_key, settle};
use crate::reviews::{apply_one, apply_reviews_with};
use crate::statements::{
    claim_groups, claim_occurrences, normalize_claim_text, sort_statements, statements,
};

type ReportKey = (String, usize);

/// A resolver, the review log and the reviewed ledger they give.
pub struct LiveResolver {
    resolver: Resolver,
    /// In `seq` order.
    reviews: Vec<Review>,
    ledger: Ledger,
    /// Which incident each placed report sits on.
    report_incident: HashMap<ReportKey, String>,
}

/// Reviews that only touch one incident or one statement can be re-applied
/// to the incidents that changed; merges and splits tie incidents together.
fn is_local(r: &Review) -> bool {
    !matches!(
        r.action,
        ReviewAction::Merge { .. } | ReviewAction::Split { .. }
    )
}

fn reviewed_incident(r: &Review) -> Option<&str> {
    match &r.action {
        ReviewAction::Confirm { incident }
        | ReviewAction::Correct { incident, .. }
        | ReviewAction::Reject { incident }
        | ReviewAction::Annotate { incident, .. }
        | ReviewAction::Merge { incident, .. }
        | ReviewAction::Split { incident, .. } => Some(incident),
        ReviewAction::CorrectSpeaker { .. } => None,
    }
}

fn claim_keys(doc: &SourceDocument, keys: &mut BTreeSet<(ClaimKind, String)>) {
    for c in &doc.extraction.claims {
        keys.insert((c.kind, normalize_claim_text(&c.text)));
    }
}

impl LiveResolver {
    /// Builds the reviewed ledger in full.
    pub fn new(resolver: Resolver, mut reviews: Vec<Review>) -> LiveResolver {
        reviews.sort_by_key(|r| r.seq);
        let mut live = LiveResolver {
            resolver,
            reviews,
            ledger: Ledger::default(),
            report_incident: HashMap::new(),
        };
        live.rebuild();
        live
    }

    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    pub fn resolver(&self) -> &Resolver {
        &self.resolver
    }

    fn rebuild(&mut self) {
        let machine = self.resolver.ledger();
        self.ledger = if self.reviews.is_empty() {
            machine
        } else {
            apply_reviews_with(&machine, &self.reviews, self.resolver.config())
        };
        self.report_incident = self
            .ledger
            .incidents
            .iter()
            .flat_map(|i| {
                i.reports
                    .iter()
                    .map(|r| ((r.document_id.clone(), r.report_index), i.id.clone()))
            })
            .collect();
    }

    fn can_update_locally(&self) -> bool {
        self.reviews.iter().all(is_local) && !self.resolver.has_id_collisions()
    }

    /// Appends a review and rebuilds (reviews are rare next to documents).
    pub fn add_review(&mut self, review: Review) -> LedgerDelta {
        self.reviews.push(review);
        self.reviews.sort_by_key(|r| r.seq);
        self.rebuild();
        LedgerDelta::whole()
    }

    /// Adds a document (or replaces the one with its id) and updates the
    /// ledger; returns what changed.
    pub fn add(&mut self, doc: SourceDocument) -> LedgerDelta {
        let local_before = self.can_update_locally();
        let old_doc = self.resolver.document(&doc.meta.id).cloned();
        let doc_id = doc.meta.id.clone();
        let change = self.resolver.add(doc);
        if !(local_before && self.can_update_locally()) {
            self.rebuild();
            return LedgerDelta::whole();
        }
        self.update(&doc_id, old_doc.as_ref(), &change.changed, &change.removed)
    }

    fn update(
        &mut self,
        doc_id: &str,
        old_doc: Option<&SourceDocument>,
        changed: &[String],
        removed: &[String],
    ) -> LedgerDelta {
        let cfg = self.resolver.config();
        let touched: BTreeSet<String> = changed.iter().chain(removed).cloned().collect();
        let changed_ids: BTreeSet<String> = changed.iter().cloned().collect();
        let mut docs: BTreeSet<String> = BTreeSet::from([doc_id.to_string()]);

        // Incidents: drop the old versions, materialize the new ones.
        for old in self
            .ledger
            .incidents
            .iter()
            .filter(|i| touched.contains(&i.id))
        {
            for r in &old.reports {
                self.report_incident
                    .remove(&(r.document_id.clone(), r.report_index));
                docs.insert(r.document_id.clone());
            }
        }
        if let Some(old) = old_doc {
            for i in 0..old.extraction.incidents.len() {
                self.report_incident.remove(&(doc_id.to_string(), i));
            }
        }
        self.ledger.incidents.retain(|i| !touched.contains(&i.id));
        let fresh = self.resolver.incidents_named(&changed_ids);
        for i in &fresh {
            for r in &i.reports {
                self.report_incident
                    .insert((r.document_id.clone(), r.report_index), i.id.clone());
                docs.insert(r.document_id.clone());
            }
        }

        // Statements of every document whose reports moved.
        let doc_list: Vec<&SourceDocument> = docs
            .iter()
            .filter_map(|d| self.resolver.document(d))
            .collect();
        let incident_of: HashMap<(&str, usize), &str> = doc_list
            .iter()
            .flat_map(|d| {
                (0..d.extraction.incidents.len()).filter_map(|i| {
                    self.report_incident
                        .get(&(d.meta.id.clone(), i))
                        .map(|inc| ((d.meta.id.as_str(), i), inc.as_str()))
                })
            })
            .collect();
        let fresh_statements = statements(doc_list.iter().copied(), &incident_of);
        self.ledger
            .statements
            .retain(|s| !docs.contains(&s.document_id));

        // Claim groups the document's claims (before or after) belong to.
        let new_doc = self.resolver.document(doc_id);
        let mut keys: BTreeSet<(ClaimKind, String)> = BTreeSet::new();
        for d in old_doc.iter().copied().chain(new_doc) {
            claim_keys(d, &mut keys);
        }
        let mut occurrences = claim_occurrences(new_doc.into_iter());
        occurrences.retain(|(kind, o)| keys.contains(&(*kind, normalize_claim_text(&o.text))));
        for key in &keys {
            let found = self
                .ledger
                .claims
                .binary_search_by(|g| (g.kind, g.key.as_str()).cmp(&(key.0, key.1.as_str())));
            if let Ok(at) = found {
                let group = self.ledger.claims.remove(at);
                occurrences.extend(
                    group
                        .occurrences
                        .into_iter()
                        .filter(|o| o.document_id != doc_id)
                        .map(|o| (group.kind, o)),
                );
            }
        }
        let fresh_claims = claim_groups(occurrences);

        // Reviews on what was rebuilt, in log order.
        let mut part = Ledger {
            incidents: fresh,
            statements: fresh_statements,
            claims: fresh_claims,
            ..Ledger::default()
        };
        let mut review_log_changed = false;
        for review in &self.reviews {
            let relevant = match (&review.action, reviewed_incident(review)) {
                (_, Some(id)) => touched.contains(id),
                (ReviewAction::CorrectSpeaker { document_id, .. }, None) => {
                    docs.contains(document_id)
                }
                _ => false,
            };
            if !relevant {
                continue;
            }
            let (applied, detail) = match apply_one(&mut part, review, cfg) {
                Ok(d) => (true, d),
                Err(e) => (false, e),
            };
            let outcome = ReviewOutcome {
                review: review.clone(),
                applied,
                detail,
            };
            if let Ok(at) = self
                .ledger
                .review_log
                .binary_search_by_key(&review.seq, |o| o.review.seq)
                && self.ledger.review_log[at] != outcome
            {
                self.ledger.review_log[at] = outcome;
                review_log_changed = true;
            }
        }

        // Splice the rebuilt parts back in order.
        for incident in part.incidents {
            let at = self
                .ledger
                .incidents
                .partition_point(|i| incident_order(i) < incident_order(&incident));
            self.ledger.incidents.insert(at, incident);
        }
        self.ledger.statements.extend(part.statements);
        sort_statements(&mut self.ledger.statements);
        for group in part.claims {
            let at = self
                .ledger
                .claims
                .partition_point(|g| (g.kind, g.key.as_str()) < (group.kind, group.key.as_str()));
            self.ledger.claims.insert(at, group);
        }

        let unplaced = self.resolver.unplaced();
        let unplaced_changed = unplaced != self.ledger.unplaced;
        self.ledger.unplaced = unplaced;

        // Reconciliation: the document's own rows anew, the others re-checked.
        self.ledger
            .reconciliation
            .retain(|r| r.document_id != doc_id);
        if let Some(d) = new_doc {
            let rows = reconcile(
                d.extraction
                    .totals
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (&d.meta as &DocMeta, i, t)),
            );
            for row in rows {
                let at = self
                    .ledger
                    .reconciliation
                    .partition_point(|r| row_key(r) < row_key(&row));
                self.ledger.reconciliation.insert(at, row);
            }
        }
        let before: Vec<Reconciliation> = self.ledger.reconciliation.clone();
        let regraded = settle(
            &mut self.ledger.incidents,
            &mut self.ledger.reconciliation,
            cfg,
        );
        let reconciliation_rows: Vec<(String, usize)> = self
            .ledger
            .reconciliation
            .iter()
            .zip(before)
            .filter(|(r, b)| r.document_id != doc_id && **r != *b)
            .map(|(r, _)| (r.document_id.clone(), r.total_index))
            .collect();
        let mut incidents: Vec<String> = changed.to_vec();
        incidents.extend(regraded);
        incidents.sort();
        incidents.dedup();

        LedgerDelta {
            whole: false,
            incidents,
            removed_incidents: removed
                .iter()
                .filter(|r| !changed_ids.contains(*r))
                .cloned()
                .collect(),
            unplaced: unplaced_changed,
            statement_documents: docs.into_iter().collect(),
            claim_groups: keys.into_iter().collect(),
            claim_documents: vec![doc_id.to_string()],
            reconciliation_documents: vec![doc_id.to_string()],
            reconciliation_rows,
            review_log: review_log_changed,
        }
    }
}
