//! Token buckets: the one rate limit behind ingest limits (a request
//! beyond the rate is answered 429) and sink delivery limits (a delivery
//! waits for its token, and the sink reads no more entries than it has
//! tokens for, so a spike waits in the stream, not in memory).

use std::{
    sync::Mutex,
    time::{Duration, Instant},
};

use serde::Deserialize;

/// `rate_per_second` and `burst` of a limit, as configured.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    /// Sustained rate: tokens added per second (may be fractional, 0.5 is
    /// one every two seconds).
    pub rate_per_second: f64,
    /// Tokens the bucket holds at most: how many may go at once after a
    /// quiet spell. Default: the rate rounded up (at least 1).
    pub burst: Option<u32>,
}

impl RateLimit {
    /// Checks the figures; the message names the wrong one.
    pub fn check(&self) -> Result<(), String> {
        if !(self.rate_per_second.is_finite()
            && self.rate_per_second > 0.0
            && self.rate_per_second <= 1_000_000.0)
        {
            return Err(format!(
                "`rate_per_second = {}` must be above 0 and at most 1000000",
                self.rate_per_second
            ));
        }
        if self.burst == Some(0) {
            return Err("`burst = 0` would never let anything through; use at least 1".into());
        }
        Ok(())
    }

    fn capacity(&self) -> f64 {
        f64::from(
            self.burst.unwrap_or_else(|| {
                self.rate_per_second.ceil().clamp(1.0, f64::from(u32::MAX)) as u32
            }),
        )
    }
}

/// A token bucket, full at creation.
#[derive(Debug)]
pub struct TokenBucket {
    rate: f64,
    capacity: f64,
    state: Mutex<(f64, Instant)>,
}

impl TokenBucket {
    /// A full bucket for `limit`.
    pub fn new(limit: RateLimit) -> TokenBucket {
        let capacity = limit.capacity();
        TokenBucket {
            rate: limit.rate_per_second,
            capacity,
            state: Mutex::new((capacity, Instant::now())),
        }
    }

    /// Refills for the time since the last look, then runs `f` on the tokens.
    fn with_tokens<T>(&self, now: Instant, f: impl FnOnce(&mut f64) -> T) -> T {
        let mut s = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let elapsed = now.saturating_duration_since(s.1).as_secs_f64();
        s.0 = (s.0 + elapsed * self.rate).min(self.capacity);
        s.1 = now;
        f(&mut s.0)
    }

    /// Takes a token if there is one; else how long until there is.
    pub fn try_take(&self) -> Result<(), Duration> {
        self.try_take_at(Instant::now())
    }

    fn try_take_at(&self, now: Instant) -> Result<(), Duration> {
        let rate = self.rate;
        self.with_tokens(now, |t| {
            if *t >= 1.0 {
                *t -= 1.0;
                Ok(())
            } else {
                Err(Duration::from_secs_f64((1.0 - *t) / rate))
            }
        })
    }

    /// Waits for a token and takes it.
    pub async fn take(&self) {
        while let Err(wait) = self.try_take() {
            tokio::time::sleep(wait).await;
        }
    }

    /// Waits until at least one token is there; how many whole tokens
    /// there are (none are taken).
    pub async fn available(&self) -> usize {
        loop {
            let rate = self.rate;
            let (n, wait) = self.with_tokens(Instant::now(), |t| {
                (
                    t.floor() as usize,
                    Duration::from_secs_f64((1.0 - *t).max(0.0) / rate),
                )
            });
            if n >= 1 {
                return n;
            }
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(rate: f64, burst: Option<u32>) -> RateLimit {
        RateLimit {
            rate_per_second: rate,
            burst,
        }
    }

    #[test]
    fn a_burst_then_the_rate() {
        let b = TokenBucket::new(limit(10.0, Some(3)));
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(b.try_take_at(t0), Ok(()));
        }
        let wait = b.try_take_at(t0).unwrap_err();
        assert!((wait.as_secs_f64() - 0.1).abs() < 1e-6, "{wait:?}");
        // 0.25 s later: two tokens, not three.
        let t1 = t0 + Duration::from_millis(250);
        assert_eq!(b.try_take_at(t1), Ok(()));
        assert_eq!(b.try_take_at(t1), Ok(()));
        assert!(b.try_take_at(t1).is_err());
        // A long quiet spell fills it to the burst only.
        let t2 = t1 + Duration::from_secs(60);
        let taken = (0..10).filter(|_| b.try_take_at(t2).is_ok()).count();
        assert_eq!(taken, 3);
    }

    #[test]
    fn fractional_rates_and_default_burst() {
        let b = TokenBucket::new(limit(0.5, None));
        let t0 = Instant::now();
        assert_eq!(b.try_take_at(t0), Ok(()));
        assert_eq!(b.try_take_at(t0), Err(Duration::from_secs(2)));
        assert_eq!(TokenBucket::new(limit(7.2, None)).capacity, 8.0);
    }

    #[test]
    fn figures_are_checked() {
        assert!(limit(0.0, None).check().unwrap_err().contains("above 0"));
        assert!(limit(f64::NAN, None).check().is_err());
        assert!(limit(5.0, Some(0))
            .check()
            .unwrap_err()
            .contains("burst = 0"));
        assert_eq!(limit(5.0, Some(10)).check(), Ok(()));
    }

    #[tokio::test]
    async fn deliveries_wait_for_their_token() {
        let b = TokenBucket::new(limit(20.0, Some(1)));
        let started = Instant::now();
        for _ in 0..5 {
            b.take().await;
        }
        // One at once, then four at 20 per second.
        assert!(
            started.elapsed() >= Duration::from_millis(195),
            "{:?}",
            started.elapsed()
        );
        assert!(b.try_take().is_err());
    }
}
