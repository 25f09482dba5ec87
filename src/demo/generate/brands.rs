//! The three fictional dairy brands of the demo and how each shifts the structural model over the quarters.

use super::latent::Shift;

/// The three brands of the demo study; our own comes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::demo) enum DemoBrand {
    Ours,
    NorthPasture,
    FreshPlus,
}

impl DemoBrand {
    pub(in crate::demo) const ALL: [DemoBrand; 3] = [
        DemoBrand::Ours,
        DemoBrand::NorthPasture,
        DemoBrand::FreshPlus,
    ];

    pub(in crate::demo) fn code(self) -> &'static str {
        match self {
            DemoBrand::Ours => "ours",
            DemoBrand::NorthPasture => "north_pasture",
            DemoBrand::FreshPlus => "freshplus",
        }
    }

    /// The brand's name as (zh-CN, English).
    pub(in crate::demo) fn name(self) -> (&'static str, &'static str) {
        match self {
            DemoBrand::Ours => ("晨露乳业", "Morning Dew Dairy"),
            DemoBrand::NorthPasture => ("北牧", "North Pasture"),
            DemoBrand::FreshPlus => ("优鲜", "FreshPlus"),
        }
    }

    pub(in crate::demo) fn is_own(self) -> bool {
        self == DemoBrand::Ours
    }

    /// The brand's mean shifts in quarter `t` (0 = oldest of the four).
    pub(super) fn shift(self, t: usize) -> Shift {
        let t = t as f64;
        match self {
            DemoBrand::Ours => Shift {
                qua: -0.10 + 0.10 * t,
                sat: -0.25 + 0.15 * t,
                ..Shift::default()
            },
            DemoBrand::NorthPasture => Shift {
                exp: 0.10,
                qua: 0.05,
                val: 0.45,
                loy: 0.05,
                ..Shift::default()
            },
            DemoBrand::FreshPlus => Shift {
                exp: -0.10,
                qua: -0.40,
                val: 0.10,
                sat: -0.05,
                ..Shift::default()
            },
        }
    }
}
