//! The in-process wake-up of open event streams (`GET /api/events`), and their bounds.
//!
//! The events themselves live in the database (`events` table, written in the transaction of
//! the change: see [`crate::db::record_event`]); a stream reads them from there. This module
//! only tells a seller's open streams that there is something new to read, and counts them.
//! With PostgreSQL ([`crate::store::pg`]) every event is also `NOTIFY`ed in its transaction,
//! and each instance's `LISTEN` task calls [`Hub::publish`] for it, so a change made through
//! one instance wakes the streams held by another.
//!
//! A wake-up carries nothing but "there is news" (a `watch` channel per seller with open
//! streams, whose value only counts publications): a stream that was busy is woken once, not
//! once per event, and reads what it missed from the table. So nothing is lost, nothing queues
//! up in memory, and a wake-up for a change that never committed costs one empty read.

use crate::db::Recorded;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

/// Why a stream was not opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The seller has [`Hub::per_seller`] streams open already (a tab per stream, usually).
    SellerFull,
    /// The server has its total of streams open.
    ServerFull,
    /// The server is shutting down.
    Closed,
}

struct SellerStreams {
    news: watch::Sender<u64>,
    open: usize,
}

#[derive(Default)]
struct Open {
    sellers: HashMap<i64, SellerStreams>,
    total: usize,
}

/// Open streams by seller, their wake-ups, and the shutdown signal that ends them.
pub struct Hub {
    open: Mutex<Open>,
    per_seller: usize,
    max_total: usize,
    shutdown: CancellationToken,
}

impl Hub {
    /// A hub that admits `per_seller` streams per seller and `max_total` in all (each at
    /// least 1).
    pub fn new(per_seller: usize, max_total: usize) -> Arc<Hub> {
        Arc::new(Hub {
            open: Mutex::new(Open::default()),
            per_seller: per_seller.max(1),
            max_total: max_total.max(1),
            shutdown: CancellationToken::new(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Open> {
        // Nothing in the critical sections can panic half-way; a poisoned lock holds good data.
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The streams one seller may keep open.
    pub fn per_seller(&self) -> usize {
        self.per_seller
    }

    /// Registers a stream of `seller`; it counts until the [`Subscription`] is dropped.
    pub fn subscribe(self: &Arc<Self>, seller: i64) -> Result<Subscription, Refused> {
        if self.shutdown.is_cancelled() {
            return Err(Refused::Closed);
        }
        let mut open = self.lock();
        if open.total >= self.max_total {
            return Err(Refused::ServerFull);
        }
        let entry = open.sellers.entry(seller).or_insert_with(|| SellerStreams {
            news: watch::channel(0).0,
            open: 0,
        });
        if entry.open >= self.per_seller {
            return Err(Refused::SellerFull);
        }
        entry.open += 1;
        let news = entry.news.subscribe();
        open.total += 1;
        Ok(Subscription {
            hub: self.clone(),
            seller,
            news,
        })
    }

    /// Wakes the open streams of the sellers of these events (call it after the commit). A
    /// seller without open streams costs a map lookup.
    pub fn publish(&self, events: &[Recorded]) {
        if events.is_empty() {
            return;
        }
        let open = self.lock();
        for e in events {
            if let Some(s) = open.sellers.get(&e.seller_id) {
                s.news.send_modify(|n| *n = n.wrapping_add(1));
            }
        }
    }

    /// Wakes every open stream. The PostgreSQL listener calls it whenever it (re)connects:
    /// notifications sent while it was away are lost, and a stream that was woken for nothing
    /// only reads an empty batch.
    pub fn wake_all(&self) {
        let open = self.lock();
        for s in open.sellers.values() {
            s.news.send_modify(|n| *n = n.wrapping_add(1));
        }
    }

    /// Ends every open stream and refuses new ones: the graceful shutdown would otherwise wait
    /// its whole grace period for streams that never end by themselves.
    pub fn close(&self) {
        self.shutdown.cancel();
    }

    /// Completes once [`Hub::close`] was called.
    pub fn closed(&self) -> CancellationToken {
        self.shutdown.clone()
    }

    /// Streams open now (all sellers).
    pub fn open_streams(&self) -> usize {
        self.lock().total
    }
}

/// One open stream: its place in the counts, and its seller's wake-ups.
pub struct Subscription {
    hub: Arc<Hub>,
    seller: i64,
    news: watch::Receiver<u64>,
}

impl Subscription {
    /// Takes note of the news so far: call it right before reading the table, so that what is
    /// published during or after the read wakes [`Subscription::news`] again.
    pub fn mark_seen(&mut self) {
        self.news.borrow_and_update();
    }

    /// Waits for news since [`Subscription::mark_seen`]; `false` once the hub is gone.
    pub async fn news(&mut self) -> bool {
        self.news.changed().await.is_ok()
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut open = self.hub.lock();
        open.total = open.total.saturating_sub(1);
        if let Some(s) = open.sellers.get_mut(&self.seller) {
            s.open = s.open.saturating_sub(1);
            if s.open == 0 {
                open.sellers.remove(&self.seller);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_count_per_seller_and_in_all_and_free_on_drop() {
        let hub = Hub::new(2, 3);
        let a1 = hub.subscribe(1).expect("first");
        let a2 = hub.subscribe(1).expect("second");
        assert_eq!(hub.subscribe(1).err(), Some(Refused::SellerFull));
        let b1 = hub.subscribe(2).expect("other seller");
        assert_eq!(hub.subscribe(3).err(), Some(Refused::ServerFull));
        drop(a1);
        assert_eq!(hub.open_streams(), 2);
        let a3 = hub.subscribe(1).expect("a slot freed");
        drop((a2, a3, b1));
        assert_eq!(hub.open_streams(), 0);
        assert!(hub.lock().sellers.is_empty());
        hub.close();
        assert_eq!(hub.subscribe(1).err(), Some(Refused::Closed));
    }

    #[tokio::test]
    async fn a_wake_up_reaches_only_its_seller() {
        let hub = Hub::new(8, 8);
        let mut a = hub.subscribe(1).expect("a");
        let mut b = hub.subscribe(2).expect("b");
        a.mark_seen();
        b.mark_seen();
        hub.publish(&[Recorded {
            seller_id: 1,
            id: 8,
        }]);
        assert!(a.news().await);
        let quiet = tokio::time::timeout(std::time::Duration::from_millis(50), b.news()).await;
        assert!(quiet.is_err(), "seller 2 was not woken");
    }
}
