//! Commands that keep printing as the cluster changes: `kubectl get … -w` (one
//! line per change of a watched object) and `kubectl logs -f` (new log lines).
//! The browser polls them every tick; `timeout N` drives them in a replay.

use super::kubectl::{table_rows, Kind, Query};
use super::table;
use crate::core::cluster::Cluster;
use crate::core::sorted::SortedMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Watch {
    Rows {
        query: Query,
        /// The last row printed per object name.
        seen: SortedMap<String, Vec<String>>,
    },
    Logs {
        /// (pod uid, container) whose log is followed.
        key: (String, String),
        printed: usize,
    },
}

impl Watch {
    pub(crate) fn rows(query: Query, cluster: &Cluster) -> Watch {
        let seen = rows_now(&query, cluster).into_iter().collect();
        Watch::Rows { query, seen }
    }

    pub(crate) fn logs(key: (String, String), printed: usize) -> Watch {
        Watch::Logs { key, printed }
    }

    /// What to print now: rows whose content changed (AGE aside), or new log lines.
    pub fn poll(&mut self, cluster: &Cluster) -> String {
        let mut out = String::new();
        match self {
            Watch::Rows { query, seen } => {
                for (name, row) in rows_now(query, cluster) {
                    let changed = seen.get(&name).is_none_or(|old| without_age(old) != without_age(&row));
                    if changed {
                        out.push_str(&table::render(std::slice::from_ref(&row)));
                        seen.insert(name, row);
                    }
                }
            }
            Watch::Logs { key, printed } => {
                if let Some(logs) = cluster.logs(&key.0, &key.1) {
                    for line in logs.current.iter().skip(*printed) {
                        out.push_str(line);
                        out.push('\n');
                    }
                    *printed = logs.current.len();
                }
            }
        }
        out
    }
}

fn rows_now(query: &Query, cluster: &Cluster) -> Vec<(String, Vec<String>)> {
    let kind: Kind = query.kinds[0];
    table_rows(cluster, kind, query).1
}

/// Rows compared without their AGE column (the last), which changes every second.
fn without_age(row: &[String]) -> &[String] {
    &row[..row.len().saturating_sub(1)]
}
