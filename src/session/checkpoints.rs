//! Copies of the live session taken as the clock runs, for the time scrubber.

use super::Session;
use crate::core::time::{Millis, SECOND};

/// How much virtual time passes between two copies a [`Checkpoints`] keeps.
pub const CHECKPOINT_EVERY: Millis = 30 * SECOND;

/// Most copies kept; past that, every other one goes, so they stay spread
/// over the whole session.
const CHECKPOINTS_KEPT: usize = 24;

/// Copies of the live session taken as its clock runs, so that the scrubber
/// replays from the nearest copy before the moment it shows instead of from the
/// start (steady traffic at 50 requests/s puts 3000 requests in every minute).
#[derive(Clone, Default)]
pub struct Checkpoints {
    pub(super) taken: Vec<Session>,
}

impl Checkpoints {
    /// Keeps a copy of `live` if the last copy is [`CHECKPOINT_EVERY`] older.
    pub fn offer(&mut self, live: &Session) {
        let last = self.taken.last().map_or(0, Session::now);
        if live.now() < last + CHECKPOINT_EVERY {
            return;
        }
        if self.taken.len() == CHECKPOINTS_KEPT {
            let mut index = 0;
            self.taken.retain(|_| {
                index += 1;
                index % 2 == 0
            });
        }
        self.taken.push(live.clone());
    }

    /// Forgets the copies taken after `time`: the future they saw was discarded.
    pub fn forget_after(&mut self, time: Millis) {
        self.taken.retain(|copy| copy.now() <= time);
    }

    /// How many copies are kept.
    pub fn len(&self) -> usize {
        self.taken.len()
    }

    pub fn is_empty(&self) -> bool {
        self.taken.is_empty()
    }
}
