//! `kubectl get … -w`: after the first table, one line per change of a watched object.


use super::kubectl::{table_rows, Kind, Query};
use super::table;
use crate::core::cluster::Cluster;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watch {
    query: Query,
    /// The last row printed per object name.
    seen: crate::core::sorted::SortedMap<String, Vec<String>>,
}

impl Watch {
    pub(crate) fn new(query: Query, cluster: &Cluster) -> Watch {
        let mut watch = Watch { query, seen: Default::default() };
        watch.snapshot(cluster);
        watch
    }

    fn rows(&self, cluster: &Cluster) -> Vec<(String, Vec<String>)> {
        let kind: Kind = self.query.kinds[0];
        table_rows(cluster, kind, &self.query).1
    }

    fn snapshot(&mut self, cluster: &Cluster) {
        self.seen = self.rows(cluster).into_iter().collect();
    }

    /// Lines for objects whose row changed (AGE aside) since the last poll.
    pub fn poll(&mut self, cluster: &Cluster) -> String {
        let mut out = String::new();
        for (name, row) in self.rows(cluster) {
            let changed = self.seen.get(&name).is_none_or(|old| without_age(old) != without_age(&row));
            if changed {
                out.push_str(&table::render(std::slice::from_ref(&row)));
                self.seen.insert(name, row);
            }
        }
        out
    }
}

/// Rows compared without their AGE column (the last), which changes every second.
fn without_age(row: &[String]) -> &[String] {
    &row[..row.len().saturating_sub(1)]
}
