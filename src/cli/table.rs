//! Go's tabwriter as kubectl configures it (reference §8.1): minwidth 6,
//! padding 3, space padding; the last column is not padded.

/// Lays out rows of cells (the first row is usually the header).
pub fn render(rows: &[Vec<String>]) -> String {
    render_with(rows, 6, 3)
}

/// Tabwriter with explicit minimum width and padding (describe uses 0 and 2).
pub fn render_with(rows: &[Vec<String>], min_width: usize, padding: usize) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; columns];
    for row in rows {
        // Every cell but the last of its row is terminated by a tab, so it is aligned.
        for (i, cell) in row.iter().enumerate().take(row.len().saturating_sub(1)) {
            widths[i] = widths[i].max((cell.chars().count() + padding).max(min_width));
        }
    }
    let mut out = String::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if i + 1 < row.len() {
                out.extend(std::iter::repeat_n(' ', widths[i].saturating_sub(cell.chars().count())));
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn rule_8_1_columns_are_the_widest_cell_plus_three_and_at_least_six() {
        let text = render(&[
            row(&["NAME", "READY", "STATUS", "RESTARTS", "AGE"]),
            row(&["web-0", "1/1", "Running", "0", "5m2s"]),
        ]);
        assert_eq!(text, "NAME    READY   STATUS    RESTARTS   AGE\nweb-0   1/1     Running   0          5m2s\n");
    }
}
