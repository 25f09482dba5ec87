//! Per-address throttling of sign-in attempts (on top of the per-account lockout).

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;

/// A token bucket per client address: `per_minute` attempts, refilled evenly over a minute.
pub struct LoginLimiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
}

impl LoginLimiter {
    pub fn new(per_minute: u32) -> LoginLimiter {
        let per_minute = NonZeroU32::new(per_minute.max(1)).expect("at least one attempt a minute");
        LoginLimiter {
            limiter: RateLimiter::dashmap(Quota::per_minute(per_minute)),
        }
    }

    /// Takes one attempt for `address`; `Err(seconds)` says how long until the next one is allowed.
    pub fn attempt(&self, address: IpAddr) -> Result<(), u64> {
        if self.limiter.len() > 100_000 {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&address).map_err(|not_until| {
            not_until
                .wait_time_from(DefaultClock::default().now())
                .as_secs()
                .max(1)
        })
    }
}
