//! What the pages computed from the store, kept under the store's generation.
//!
//! A page asks the store one question, its generation ([`Store::generation`], or
//! [`Store::generation_seeing`], which also answers whether the viewer may see the
//! postmortem), and reuses what was computed at that generation: the store cannot have
//! changed since, on any instance, since every change moves the generation in the same
//! transaction. Work that takes a dozen queries and a lint is then done once per change
//! rather than once per view. What depends on the viewer is in the key (a list as a person
//! sees it, an admin's as every admin does); what depends on the time is either in the key
//! (the day, which decides what is overdue) or computed on every view (the 48-hour
//! countdown).
//!
//! The generation is read before the data, so what is kept under a generation is never older
//! than it: a change committed in between is in the data already, and moves the generation
//! that the next view reads. Keys carry their generation; when a newer one is seen, the older
//! entries are dropped at once rather than left for the size bound to evict. Views that miss
//! the same key at once wait for one computation rather than each doing it: after a change,
//! a popular page is computed once, not once per reader.
//!
//! [`Store::generation`]: crate::store::Store::generation
//! [`Store::generation_seeing`]: crate::store::Store::generation_seeing

use crate::store::StoreError;
use jiff::civil::Date;
use std::any::{Any, TypeId};
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// The default bound on what is kept, in bytes (`[server] page_cache_mb`): a postmortem's
/// page keeps about 25 KB, so this holds every page of some 20,000 postmortems.
pub const DEFAULT_BYTES: u64 = 512 * 1024 * 1024;

/// What a page keeps, besides the generation it was computed at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Key {
    /// A postmortem's page as everybody who may see it sees it, on a day (what is overdue
    /// in its action items).
    Postmortem { id: i64, today: Date },
    /// Whom a writer is offered as facilitator and scribe, and the rotation's suggestion: the
    /// suggestion's reasons count only the facilitations the viewer may see.
    Offer { id: i64, viewer: i64 },
    /// A list or a search, at its canonical address (filters, query, page), as `viewer` sees
    /// it; `None` for an admin, who sees everything.
    List {
        viewer: Option<i64>,
        address: String,
    },
    /// My work, on a day (what is overdue).
    Home { viewer: i64, today: Date },
}

/// An approximate size in bytes of what a page keeps, for the bound.
pub(super) trait Weigh {
    fn bytes(&self) -> usize;
}

impl Weigh for String {
    fn bytes(&self) -> usize {
        self.len()
    }
}

impl<T: Weigh> Weigh for Option<T> {
    fn bytes(&self) -> usize {
        self.as_ref().map_or(0, Weigh::bytes)
    }
}

impl<T: Weigh> Weigh for Vec<T> {
    fn bytes(&self) -> usize {
        self.iter().map(Weigh::bytes).sum::<usize>() + self.len() * std::mem::size_of::<T>()
    }
}

/// What is kept: any page's data, and its weight.
#[derive(Clone)]
struct Entry {
    value: Arc<dyn Any + Send + Sync>,
    /// About the bytes it holds.
    weight: u32,
}

/// The pages' data, bounded in size, least recently and least frequently used first out.
pub struct PageCache {
    entries: moka::future::Cache<(i64, TypeId, Key), Entry>,
    /// The newest generation seen.
    generation: AtomicI64,
    /// Nothing is kept (a bound of 0).
    off: bool,
}

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageCache")
            .field("entries", &self.entries.entry_count())
            .field("bytes", &self.entries.weighted_size())
            .field("generation", &self.generation.load(Ordering::Relaxed))
            .finish()
    }
}

impl PageCache {
    /// A cache that keeps at most about `max_bytes` of pages' data; 0 keeps nothing.
    pub fn new(max_bytes: u64) -> PageCache {
        let entries = moka::future::Cache::builder()
            .max_capacity(max_bytes)
            .weigher(|_key, entry: &Entry| entry.weight)
            .build();
        PageCache {
            entries,
            generation: AtomicI64::new(i64::MIN),
            off: max_bytes == 0,
        }
    }

    /// What was kept under `key` at `generation`, or what `build` computes, kept then (a
    /// failure is not kept). A view that finds the key being computed waits for it.
    pub(super) async fn get_or_build<V>(
        &self,
        generation: i64,
        key: Key,
        build: impl Future<Output = Result<V, StoreError>>,
    ) -> Result<Arc<V>, StoreError>
    where
        V: Weigh + Send + Sync + 'static,
    {
        if self.off {
            return build.await.map(Arc::new);
        }
        let newest = self.generation.fetch_max(generation, Ordering::AcqRel);
        if generation > newest {
            // Nothing kept at an older generation is of use any more.
            self.entries.invalidate_all();
        } else if generation < newest {
            // The store changed since this view read its generation: what it computes is
            // shown to it alone.
            return build.await.map(Arc::new);
        }
        let entry = self
            .entries
            .try_get_with((generation, TypeId::of::<V>(), key), async {
                let value = Arc::new(build.await?);
                let weight = u32::try_from(value.bytes() + 256).unwrap_or(u32::MAX);
                Ok::<_, StoreError>(Entry { value, weight })
            })
            .await?;
        // The key names the kind of value, so it is always one.
        entry
            .value
            .downcast::<V>()
            .map_err(|_| StoreError::Corrupt("a kept page of another kind".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    struct Page(String);

    impl Weigh for Page {
        fn bytes(&self) -> usize {
            self.0.len()
        }
    }

    fn key(id: i64) -> Key {
        Key::Offer { id, viewer: 1 }
    }

    /// Builds `text` under `key(id)` at `generation`, counting the builds.
    async fn view(
        cache: &PageCache,
        builds: &AtomicUsize,
        generation: i64,
        id: i64,
        text: &str,
    ) -> String {
        let built = cache
            .get_or_build(generation, key(id), async {
                builds.fetch_add(1, Ordering::Relaxed);
                Ok(Page(text.to_string()))
            })
            .await
            .expect("built");
        built.0.clone()
    }

    #[tokio::test]
    async fn keeps_a_page_while_the_generation_stays() {
        let cache = PageCache::new(DEFAULT_BYTES);
        let builds = AtomicUsize::new(0);
        assert_eq!(view(&cache, &builds, 7, 1, "first").await, "first");
        assert_eq!(view(&cache, &builds, 7, 1, "second").await, "first");
        assert_eq!(builds.load(Ordering::Relaxed), 1);
        // Another key is its own page.
        assert_eq!(view(&cache, &builds, 7, 2, "other").await, "other");
        assert_eq!(builds.load(Ordering::Relaxed), 2);
    }

    #[tokio::test]
    async fn a_newer_generation_builds_again_and_an_older_one_is_not_kept() {
        let cache = PageCache::new(DEFAULT_BYTES);
        let builds = AtomicUsize::new(0);
        view(&cache, &builds, 7, 1, "at 7").await;
        assert_eq!(view(&cache, &builds, 8, 1, "at 8").await, "at 8");
        assert_eq!(view(&cache, &builds, 8, 1, "again").await, "at 8");
        // A view that read the generation before the change finishes after it: it shows
        // what it built, and keeps nothing.
        assert_eq!(view(&cache, &builds, 7, 1, "late").await, "late");
        assert_eq!(view(&cache, &builds, 7, 1, "later").await, "later");
        assert_eq!(builds.load(Ordering::Relaxed), 4);
    }

    #[tokio::test]
    async fn views_that_miss_at_once_compute_once() {
        let cache = PageCache::new(DEFAULT_BYTES);
        let builds = AtomicUsize::new(0);
        let slow = || async {
            cache
                .get_or_build(3, key(1), async {
                    builds.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    Ok(Page("computed".into()))
                })
                .await
                .expect("built")
        };
        let (a, b, c) = tokio::join!(slow(), slow(), slow());
        assert_eq!(
            (a.0.as_str(), b.0.as_str(), c.0.as_str()),
            ("computed", "computed", "computed")
        );
        assert_eq!(builds.load(Ordering::Relaxed), 1);
    }

    #[tokio::test]
    async fn a_failed_build_is_not_kept() {
        let cache = PageCache::new(DEFAULT_BYTES);
        let failed = cache
            .get_or_build(1, key(1), async {
                Err::<Page, _>(StoreError::Invalid("refused".into()))
            })
            .await;
        assert!(failed.is_err());
        let builds = AtomicUsize::new(0);
        assert_eq!(view(&cache, &builds, 1, 1, "now").await, "now");
        assert_eq!(builds.load(Ordering::Relaxed), 1);
    }

    #[tokio::test]
    async fn a_bound_of_zero_keeps_nothing() {
        let cache = PageCache::new(0);
        let builds = AtomicUsize::new(0);
        view(&cache, &builds, 1, 1, "one").await;
        assert_eq!(view(&cache, &builds, 1, 1, "two").await, "two");
        assert_eq!(builds.load(Ordering::Relaxed), 2);
    }

    #[tokio::test]
    async fn stays_within_its_bound() {
        let cache = PageCache::new(64 * 1024);
        let builds = AtomicUsize::new(0);
        let page = "x".repeat(4096);
        for id in 0..100 {
            view(&cache, &builds, 1, id, &page).await;
        }
        cache.entries.run_pending_tasks().await;
        assert!(cache.entries.weighted_size() <= 64 * 1024);
        assert!(cache.entries.entry_count() < 100);
    }
}
