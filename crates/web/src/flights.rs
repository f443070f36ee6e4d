//! Searches in flight: when many requests ask the same search at once and
//! its answer is not kept yet, one of them (the leader) runs it and the
//! others wait for its answer instead of each running it again.
//!
//! The search runs on a thread of its own, not in the leader's request, so
//! the answer is handed over from that thread: a leader whose client hangs
//! up does not take the answer away from the requests waiting for it. The
//! search is cancelled only when every request that wants it has gone.
//! When a flight lands without an answer (the search failed, was refused a
//! turn, or was cancelled), the waiting requests are told at once and each
//! runs the search itself.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;

use crate::page_cache::CachedResponse;

/// Which search, under which ledger generation.
type FlightKey = (i64, String);

/// The searches running now, by key.
#[derive(Default)]
pub(crate) struct Flights {
    running: Mutex<HashMap<FlightKey, Arc<Flight>>>,
}

/// One search in flight, as the requests waiting for it see it.
struct Flight {
    answer: watch::Receiver<Option<CachedResponse>>,
    /// Requests that still want the answer, the leader's included.
    wanted_by: AtomicUsize,
    /// Set when the last of them has gone: the search stops at its next
    /// check.
    cancel: Arc<AtomicBool>,
}

/// What a request does about a search not kept.
pub(crate) enum Role {
    /// Run it, and hand the answer over with [`Lead::land`].
    Lead(Lead, Interest),
    /// Wait for the leader's answer with [`Follow::answer`].
    Follow(Follow, Interest),
}

/// The leader's part: the channel the answer goes out on. Dropped without
/// landing (a failed search, a refused turn, a cancelled one), it tells the
/// followers at once that no answer comes.
pub(crate) struct Lead {
    flights: Arc<Flights>,
    key: FlightKey,
    flight: Arc<Flight>,
    sender: watch::Sender<Option<CachedResponse>>,
}

/// A follower's part: the channel the answer comes on.
pub(crate) struct Follow {
    answer: watch::Receiver<Option<CachedResponse>>,
}

/// A request's interest in a flight, held for as long as the request waits
/// (it is dropped with the request's future when the client hangs up).
/// When the last interest goes, the search is cancelled.
pub(crate) struct Interest(Arc<Flight>);

impl Drop for Interest {
    fn drop(&mut self) {
        if self.0.wanted_by.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.cancel.store(true, Ordering::Relaxed);
        }
    }
}

impl Flights {
    /// Joins the flight of `key` under `generation`, or starts one (the
    /// caller leads it) when none is running.
    pub(crate) fn join(self: &Arc<Self>, generation: i64, key: &str) -> Role {
        let id = (generation, key.to_string());
        // A poisoned map only means a panic elsewhere: the map is still a
        // map of channels, so it is used as it is.
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(flight) = running.get(&id)
            && !flight.cancel.load(Ordering::Relaxed)
        {
            let flight = flight.clone();
            flight.wanted_by.fetch_add(1, Ordering::SeqCst);
            let follow = Follow {
                answer: flight.answer.clone(),
            };
            return Role::Follow(follow, Interest(flight));
        }
        let (sender, answer) = watch::channel(None);
        let flight = Arc::new(Flight {
            answer,
            wanted_by: AtomicUsize::new(1),
            cancel: Arc::new(AtomicBool::new(false)),
        });
        running.insert(id.clone(), flight.clone());
        let lead = Lead {
            flights: self.clone(),
            key: id,
            flight: flight.clone(),
            sender,
        };
        Role::Lead(lead, Interest(flight))
    }

    /// How many searches are in flight.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.running.lock().map(|r| r.len()).unwrap_or(0)
    }
}

impl Lead {
    /// The flag the search checks: set once no request wants its answer.
    pub(crate) fn cancel(&self) -> Arc<AtomicBool> {
        self.flight.cancel.clone()
    }

    /// Hands `answer` to every follower, those still to come included
    /// until the flight is taken off the list (when this returns).
    pub(crate) fn land(self, answer: CachedResponse) {
        self.sender.send_replace(Some(answer));
    }
}

impl Drop for Lead {
    fn drop(&mut self) {
        let mut running = self
            .flights
            .running
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        // Only this flight: a later one under the same key is not ours.
        if running
            .get(&self.key)
            .is_some_and(|f| Arc::ptr_eq(f, &self.flight))
        {
            running.remove(&self.key);
        }
    }
}

impl Follow {
    /// The leader's answer, or `None` when the flight landed without one
    /// or `wait` passed first: then the follower runs the search itself.
    pub(crate) async fn answer(mut self, wait: Duration) -> Option<CachedResponse> {
        let landed = tokio::time::timeout(wait, self.answer.wait_for(Option::is_some)).await;
        match landed {
            Ok(Ok(answer)) => answer.clone(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lead(role: Role) -> (Lead, Interest) {
        match role {
            Role::Lead(lead, interest) => (lead, interest),
            Role::Follow(..) => panic!("expected to lead"),
        }
    }

    fn follow(role: Role) -> (Follow, Interest) {
        match role {
            Role::Follow(follow, interest) => (follow, interest),
            Role::Lead(..) => panic!("expected to follow"),
        }
    }

    #[tokio::test]
    async fn followers_get_the_leaders_answer() {
        let flights = Arc::new(Flights::default());
        let (leader, _own) = lead(flights.join(1, "/search.json?q=the"));
        let waiting: Vec<_> = (0..8)
            .map(|_| {
                let (f, interest) = follow(flights.join(1, "/search.json?q=the"));
                tokio::spawn(async move {
                    let _interest = interest;
                    f.answer(Duration::from_secs(5)).await
                })
            })
            .collect();
        // Another generation or another search is another flight.
        let (_other, _i) = lead(flights.join(2, "/search.json?q=the"));
        let (_other2, _i2) = lead(flights.join(1, "/search.json?q=a"));
        leader.land(CachedResponse::ok("hits"));
        for w in waiting {
            assert_eq!(w.await.unwrap().unwrap().body, "hits");
        }
        // Landed and gone: the next request leads a new flight.
        let (_next, _i3) = lead(flights.join(1, "/search.json?q=the"));
    }

    #[tokio::test]
    async fn a_flight_that_lands_without_an_answer_frees_its_followers_at_once() {
        let flights = Arc::new(Flights::default());
        let (leader, own) = lead(flights.join(1, "k"));
        let (f, _interest) = follow(flights.join(1, "k"));
        let started = std::time::Instant::now();
        let waiting = tokio::spawn(f.answer(Duration::from_secs(30)));
        tokio::time::sleep(Duration::from_millis(20)).await;
        drop(leader);
        drop(own);
        assert!(waiting.await.unwrap().is_none());
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(flights.len(), 0);
    }

    #[tokio::test]
    async fn the_search_is_cancelled_only_when_no_request_wants_it() {
        let flights = Arc::new(Flights::default());
        let (leader, own) = lead(flights.join(1, "k"));
        let cancel = leader.cancel();
        let (f, interest) = follow(flights.join(1, "k"));
        // The leader's client hangs up: a follower still waits.
        drop(own);
        assert!(!cancel.load(Ordering::Relaxed));
        // The answer still reaches it.
        let waiting = tokio::spawn(async move {
            let _interest = interest;
            f.answer(Duration::from_secs(5)).await
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        leader.land(CachedResponse::ok("hits"));
        assert_eq!(waiting.await.unwrap().unwrap().body, "hits");
        assert!(cancel.load(Ordering::Relaxed), "every request gone");
    }

    #[tokio::test]
    async fn no_request_joins_a_cancelled_flight() {
        let flights = Arc::new(Flights::default());
        let (old, own) = lead(flights.join(1, "k"));
        drop(own);
        assert!(old.cancel().load(Ordering::Relaxed));
        // Still running (not yet stopped), but no longer wanted: a new
        // request leads a flight of its own, which the old one's landing
        // leaves in place.
        let (fresh, _i) = lead(flights.join(1, "k"));
        drop(old);
        let (f, _i2) = follow(flights.join(1, "k"));
        fresh.land(CachedResponse::ok("new"));
        assert_eq!(f.answer(Duration::from_secs(5)).await.unwrap().body, "new");
    }

    #[tokio::test]
    async fn a_follower_waits_a_bounded_time() {
        let flights = Arc::new(Flights::default());
        let (_leader, _own) = lead(flights.join(1, "k"));
        let (f, _interest) = follow(flights.join(1, "k"));
        let started = std::time::Instant::now();
        assert!(f.answer(Duration::from_millis(50)).await.is_none());
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}
