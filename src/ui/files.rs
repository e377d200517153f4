//! The learner's files beside the manifest (helm.html only): the chart that
//! `helm create` wrote, or files added here, as a tree above the editor. A chosen
//! file opens in a plain textarea in place of the manifest editor (a template is
//! not YAML until Helm renders it); its edits reach the session before any
//! terminal line runs (`Engine::flush_file`). Add, rename and delete are session
//! actions too, so a share link carries the chart.

use leptos::prelude::*;

use super::engine::Engine;
use crate::session::chart::{error_line, preview};
use crate::session::file_path;
use crate::session::view::{file_tree, FileRow as Row};

/// The tree of files, `manifest.yaml` first, and a field to add a file.
#[component]
pub fn FileTree() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let open = engine.editor.open_file;
    // A memo: the tree redraws when the files change, not at every tick.
    let paths = Memo::new(move |_| {
        engine.sim.session.with(|s| {
            let mut names = s.terminal.host_file_names();
            // The editor's files: not the manifest, and not what the terminal wrote
            // where the session cannot record an edit (`/tmp/x`, a name with a space).
            names.retain(|name| file_path(name).is_ok());
            names
        })
    });
    let adding = RwSignal::new(String::new());
    let chart_name = RwSignal::new(String::from("web"));
    let problem = RwSignal::new(None::<String>);
    let add = move || {
        let wanted = adding.get_untracked();
        match file_path(wanted.trim()) {
            Ok(path) if paths.with_untracked(|p| p.contains(&path)) => {
                problem.set(Some(format!("{path} already exists")))
            }
            Ok(path) => {
                engine.write_file(&path, Some(String::new()));
                engine.open_file(Some(path));
                adding.set(String::new());
                problem.set(None);
            }
            Err(message) => problem.set(Some(message)),
        }
    };
    view! {
        <details class="file-tree" open data-testid="file-tree">
            <summary>"Files"</summary>
            <ul>
                <li>
                    <button class="file link mono" aria-current=move || open.with(Option::is_none).to_string()
                        on:click=move |_| engine.open_file(None)>
                        "manifest.yaml"
                    </button>
                </li>
                <For each=move || paths.with(|p| file_tree(p)) key=|row| row.path.clone() let:row>
                    <FileRow row=row />
                </For>
            </ul>
            <form class="file-add" on:submit=move |event| {
                event.prevent_default();
                add();
            }>
                <input class="mono" placeholder="web/templates/statefulset.yaml" aria-label="New file's path"
                    data-testid="new-file" prop:value=move || adding.get()
                    on:input=move |event| adding.set(event_target_value(&event)) />
                <button type="submit">"Add file"</button>
            </form>
            {move || problem.get().map(|message| view! { <p class="err" role="alert">{message}</p> })}
            // The starter chart, as the terminal's `helm create NAME` makes it.
            <form class="file-add" on:submit=move |event| {
                event.prevent_default();
                engine.run_in_terminal(&format!("helm create {}", chart_name.get_untracked().trim()));
            }>
                <input class="mono" aria-label="New chart's name" data-testid="chart-name"
                    prop:value=move || chart_name.get() on:input=move |event| chart_name.set(event_target_value(&event)) />
                <button type="submit" data-testid="helm-create">"helm create"</button>
            </form>
        </details>
    }
}

/// A folder's name, or a file's button that opens it.
#[component]
fn FileRow(row: Row) -> impl IntoView {
    let engine = expect_context::<Engine>();
    let depth = format!("depth-{}", row.depth.min(4));
    if row.folder {
        return view! { <li class=depth><span class="folder mono">{row.name}</span></li> }.into_any();
    }
    let path = row.path.clone();
    let current = move || engine.editor.open_file.with(|open| open.as_deref() == Some(row.path.as_str())).to_string();
    view! {
        <li class=depth>
            <button class="file link mono" aria-current=current data-file=path.clone()
                on:click=move |_| engine.open_file(Some(path.clone()))>
                {row.name}
            </button>
        </li>
    }
    .into_any()
}

/// The open file: its path, rename and delete, and its text.
#[component]
pub fn FileEditor() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let open = engine.editor.open_file;
    let text = engine.editor.file_text;
    // The file as the session has it: a terminal command that rewrites it (helm
    // create again) shows here.
    let stored = Memo::new(move |_| {
        let path = open.get()?;
        engine.sim.session.with(|s| s.terminal.host_file(&path))
    });
    Effect::new(move || match stored.get() {
        // Not over the learner's unsaved edits (or a lesson's prefill).
        Some(stored) if !engine.editor.file_edited.get_untracked() => text.set(stored),
        Some(_) => {}
        // Removed by the terminal (`rm`) while shown and not edited: it closes.
        None if open.with_untracked(Option::is_some) && !engine.editor.file_edited.get_untracked() => open.set(None),
        None => {}
    });
    let area = NodeRef::<leptos::html::Textarea>::new();
    // Whether the rendered chart is shown: it stays so from file to file.
    let shown = RwSignal::new(false);
    let renaming = RwSignal::new(None::<String>);
    // Another file opened: its name is not being changed.
    Effect::new(move || {
        open.track();
        renaming.set(None);
    });
    let rename = move || {
        let (Some(from), Some(to)) = (open.get_untracked(), renaming.get_untracked()) else { return };
        match file_path(to.trim()) {
            Ok(to) if to != from => {
                engine.flush_file();
                engine.write_file(&to, Some(text.get_untracked()));
                engine.write_file(&from, None);
                engine.open_file(Some(to));
                renaming.set(None);
            }
            Ok(_) => renaming.set(None),
            Err(message) => engine.page.notice.set(Some(message)),
        }
    };
    let delete = move |_| {
        if let Some(path) = open.get_untracked() {
            engine.editor.open_file.set(None);
            engine.write_file(&path, None);
        }
    };
    move || {
        let path = open.get()?;
        Some(view! {
            <header class="pane-title">
                <strong class="mono" data-testid="open-file">{path.clone()}</strong>
                {move || match renaming.get() {
                    Some(name) => view! {
                        <form class="file-add" on:submit=move |event| {
                            event.prevent_default();
                            rename();
                        }>
                            <input class="mono" aria-label="New name" prop:value=name
                                on:input=move |event| renaming.set(Some(event_target_value(&event))) />
                            <button type="submit">"Rename"</button>
                        </form>
                    }
                    .into_any(),
                    None => view! {
                        <button class="ghost" on:click=move |_| renaming.set(open.get_untracked())>"Rename"</button>
                        <button class="ghost" data-testid="delete-file" on:click=delete>"Delete"</button>
                    }
                    .into_any(),
                }}
                <span class="hint">"the terminal reads this text: try helm template"</span>
            </header>
            <textarea class="file-text mono" data-testid="file-editor" aria-label=format!("{path} (text)") node_ref=area
                spellcheck="false" autocapitalize="off" autocomplete="off" wrap="off"
                prop:value=move || text.get()
                on:input=move |event| {
                    text.set(event_target_value(&event));
                    engine.editor.file_edited.set(true);
                }></textarea>
            <ChartPreview path=path area=area shown=shown />
        })
    }
}

/// The chart the open file belongs to, rendered with the editor's text as the
/// learner types (`helm template`), and what `helm upgrade` would change in the
/// installed release of the same name. Worked out only while shown.
#[component]
fn ChartPreview(
    /// The open file (`web/templates/statefulset.yaml`): its chart is its first folder.
    path: String,
    /// The editor, to select the line a template error names.
    area: NodeRef<leptos::html::Textarea>,
    /// Whether the learner asked to see it.
    shown: RwSignal<bool>,
) -> impl IntoView {
    let engine = expect_context::<Engine>();
    let chart = path.split('/').next().unwrap_or_default().to_string();
    let is_chart = {
        let marker = format!("{chart}/Chart.yaml");
        Memo::new(move |_| engine.sim.session.with(|s| s.terminal.host_file(&marker).is_some()))
    };
    // Files and releases change only through actions: the log's length stands for them.
    let actions = Memo::new(move |_| engine.sim.session.with(|s| s.log.len()));
    let result = {
        let path = path.clone();
        Memo::new(move |_| {
            // Read, not tracked: a memo that is never read never runs, and so never
            // hears of the session.
            let _ = actions.get();
            let text = engine.editor.file_text.get();
            shown.get().then(|| engine.sim.session.with_untracked(|s| preview(s, &chart, Some((&path, &text)))))
        })
    };
    let go_to_line = move |line: usize| {
        let Some(area) = area.get_untracked() else { return };
        let text = engine.editor.file_text.get_untracked();
        let start: usize = text.split('\n').take(line - 1).map(|l| l.encode_utf16().count() + 1).sum();
        let length = text.split('\n').nth(line - 1).map_or(0, |l| l.encode_utf16().count());
        let _ = area.focus();
        let _ = area.set_selection_range(start as u32, (start + length) as u32);
    };
    move || {
        if !is_chart.get() {
            return None;
        }
        let button = move || {
            if shown.get() {
                "Hide the rendered chart"
            } else {
                "Show the rendered chart and what helm upgrade would change"
            }
        };
        let path = path.clone();
        let body = move || {
            let preview = result.get()?;
            let error = preview.error.map(|error| {
                let line = error_line(&error, &path);
                view! {
                    <p class="err" role="alert" data-testid="render-error">{error}</p>
                    {line.map(|line| view! {
                        <button class="small" on:click=move |_| go_to_line(line)>{format!("Go to line {line}")}</button>
                    })}
                }
            });
            // Invalid YAML: Helm's dump of every file, the line its error names marked.
            let marked = preview.marked;
            let lines = preview
                .rendered
                .lines()
                .enumerate()
                .map(|(index, line)| {
                    let text = format!("{line}\n");
                    if Some(index) == marked {
                        view! { <mark data-testid="marked-line">{text}</mark> }.into_any()
                    } else {
                        text.into_any()
                    }
                })
                .collect_view();
            let rendered = view! { {error} <pre class="mono rendered" data-testid="rendered">{lines}</pre> };
            let changes = match preview.changes {
                None => view! {
                    <p class="hint">{format!("No release named {} is installed: helm install would create these objects.", preview.release)}</p>
                }
                .into_any(),
                Some(diff) if diff.is_empty() => view! {
                    <p class="hint">{format!("Release {} already runs exactly this.", preview.release)}</p>
                }
                .into_any(),
                Some(diff) => {
                    let lines = diff
                        .lines()
                        .map(|line| {
                            let class = match line.chars().next() {
                                Some('+') => "add",
                                Some('-') => "del",
                                _ => "",
                            };
                            view! { <span class=class>{format!("{line}\n")}</span> }
                        })
                        .collect_view();
                    view! { <pre class="mono diff" data-testid="changes">{lines}</pre> }.into_any()
                }
            };
            Some(view! { {changes} {rendered} })
        };
        Some(view! {
            <div class="chart-preview">
                <button class="ghost small" data-testid="show-rendered" on:click=move |_| shown.update(|s| *s = !*s)>
                    {button}
                </button>
                {body}
            </div>
        })
    }
}
