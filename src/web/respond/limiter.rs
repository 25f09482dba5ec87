//! The per-address limit on survey submissions.

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;

/// A per-address limit on survey submissions that a person never meets: a burst of 120
/// submissions, then `per_second` (10 by default; a household or a mobile carrier's shared
/// address included). `None` when the limit is lifted (`submissions_per_second = 0`, for benchmarks).
pub struct SubmissionLimiter(Option<DefaultKeyedRateLimiter<IpAddr>>);

impl SubmissionLimiter {
    pub fn new(per_second: u32) -> SubmissionLimiter {
        const BURST: NonZeroU32 = NonZeroU32::new(120).expect("non-zero");
        SubmissionLimiter(
            NonZeroU32::new(per_second).map(|per_second| {
                RateLimiter::keyed(Quota::per_second(per_second).allow_burst(BURST))
            }),
        )
    }

    /// Whether one more submission from `ip` is allowed now.
    pub fn allows(&self, ip: IpAddr) -> bool {
        let Some(limiter) = &self.0 else {
            return true;
        };
        if limiter.len() > 100_000 {
            limiter.retain_recent();
        }
        limiter.check_key(&ip).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limiter_lets_a_person_through_and_stops_a_flood() {
        let limiter = SubmissionLimiter::new(10);
        let ip = IpAddr::from([10, 0, 0, 1]);
        assert!((0..120).all(|_| limiter.allows(ip)));
        assert!(!limiter.allows(ip));
        assert!(
            limiter.allows(IpAddr::from([10, 0, 0, 2])),
            "another address has its own budget"
        );
    }

    #[test]
    fn a_lifted_limit_never_stops_submissions() {
        let limiter = SubmissionLimiter::new(0);
        let ip = IpAddr::from([10, 0, 0, 1]);
        assert!((0..1_000).all(|_| limiter.allows(ip)));
    }
}
