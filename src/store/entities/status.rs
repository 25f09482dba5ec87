//! The status columns as enums: each variant stored as the same string as before (no migration).

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// Declares a status enum stored as a `String(16)` column: each variant with its stored string,
/// which is also its serialised form, its `as_str()` and what it compares equal to as a `&str`.
macro_rules! status_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $value:tt,)+ }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize)]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
        pub enum $name {
            $(
                $(#[$vdoc])*
                #[sea_orm(string_value = $value)]
                #[serde(rename = $value)]
                $variant,
            )+
        }

        impl $name {
            /// The string stored in the database.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $value,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}

status_enum! {
    /// A questionnaire version: edited as a `draft` until it is `published` (then frozen).
    VersionStatus {
        Draft = "draft",
        Published = "published",
    }
}

status_enum! {
    /// A distribution. Public links are `open` or `closed` (`paused` and `draft` read as closed);
    /// email campaigns go `scheduled` → `launching` (invitations being written) → `running`, or `cancelled`.
    DistributionStatus {
        Open = "open",
        Closed = "closed",
        Paused = "paused",
        Draft = "draft",
        Scheduled = "scheduled",
        Launching = "launching",
        Running = "running",
        Cancelled = "cancelled",
    }
}

status_enum! {
    /// A response: `in_progress` while it is being answered, then `complete`.
    ResponseStatus {
        InProgress = "in_progress",
        Complete = "complete",
    }
}

status_enum! {
    /// An outbox row (email or webhook delivery). `held` rows wait for a condition (a reminder
    /// waits for its day); `sending` rows are leased by a worker; `cancelled` rows are never sent.
    OutboxStatus {
        Held = "held",
        Queued = "queued",
        Sending = "sending",
        Sent = "sent",
        Failed = "failed",
        Cancelled = "cancelled",
    }
}

status_enum! {
    /// A report run: `running` until it is `done` (with a result) or `failed` (with the reason).
    ReportRunStatus {
        Running = "running",
        Done = "done",
        Failed = "failed",
    }
}
