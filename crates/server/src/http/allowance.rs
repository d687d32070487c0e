//! An allowance per key (an account, a client address) held in this process's memory: at most
//! `limit` takes per fixed window. For orders, whose intake is the hot path: a database throttle
//! (`storage::accounts::take`, used for sign-ins) would add a write to every order. Each
//! instance counts for itself, so N instances allow up to N times the limit (the README says so).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Allowance {
    limit: u32,
    window: Duration,
    counts: Mutex<HashMap<String, (Instant, u32)>>,
}

/// Keys held before expired windows are swept out (memory stays bounded under many keys).
const SWEEP_AT: usize = 50_000;

impl Allowance {
    pub fn new(limit: u32, window: Duration) -> Allowance {
        Allowance {
            limit,
            window,
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one from `key`'s allowance; refused: the seconds until its window ends.
    pub fn take(&self, key: &str) -> Result<(), i64> {
        let now = Instant::now();
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if counts.len() >= SWEEP_AT {
            counts.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = counts.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        if entry.1 >= self.limit {
            let left = self.window.saturating_sub(now.duration_since(entry.0));
            return Err(left.as_secs().max(1) as i64);
        }
        entry.1 += 1;
        Ok(())
    }

    /// Gives back one taken with [`Allowance::take`] (a retry that made no new order).
    pub fn give_back(&self, key: &str) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = counts.get_mut(key) {
            entry.1 = entry.1.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_limit_per_window_and_a_retry_gives_back() {
        let a = Allowance::new(3, Duration::from_secs(3600));
        for _ in 0..3 {
            assert_eq!(a.take("acct"), Ok(()));
        }
        let wait = a.take("acct").unwrap_err();
        assert!((3590..=3600).contains(&wait), "{wait}");
        assert_eq!(a.take("other"), Ok(()));
        a.give_back("acct");
        assert_eq!(a.take("acct"), Ok(()));
        assert!(a.take("acct").is_err());
    }

    #[test]
    fn a_new_window_starts_over() {
        let a = Allowance::new(1, Duration::from_millis(1));
        assert_eq!(a.take("k"), Ok(()));
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(a.take("k"), Ok(()));
    }
}
