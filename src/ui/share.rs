//! Share links and export: the URL fragment carries the session (compressed by
//! the core) and optionally a lesson; Export offers the session as a shell
//! script for a real cluster.

use leptos::prelude::*;

use super::engine::Engine;
use super::storage;
use crate::core::session::percent_encode;

/// Export's file name.
const SCRIPT_NAME: &str = "statefulset-session.sh";

/// Share (a link that reproduces this exact state) and Export (a shell script).
#[component]
pub fn ShareButtons() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let link = RwSignal::new(None::<String>);
    let share = move |_| {
        let code = engine.session.with_untracked(|s| s.to_share_code());
        let lesson = engine.lesson.with_untracked(|o| o.as_ref().map(|o| format!("lesson={}&", o.lesson.id))).unwrap_or_default();
        let fragment = format!("{lesson}s={code}");
        storage::replace_hash(&fragment);
        link.set(Some(format!("{}#{fragment}", storage::location_without_hash())));
    };
    view! {
        <button class="ghost" data-testid="share" title="A link that reproduces this exact cluster, with no server" on:click=share>"Share"</button>
        // The script is made when clicked (a data: URL, nothing leaves the page).
        <a class="button ghost" data-testid="export" download=SCRIPT_NAME href="#" title="The session as kubectl commands to replay on a real cluster"
            on:click:target=move |ev| {
                let script = engine.session.with_untracked(|s| s.to_shell_script());
                let _ = ev.target().set_attribute("href", &format!("data:text/plain;charset=utf-8,{}", percent_encode(&script)));
            }>"Export"</a>
        {move || link.get().map(|url| view! {
            <div class="share-link" role="dialog" aria-label="Share link">
                <label>"Copy this link: "
                    <input readonly data-testid="share-link" prop:value=url
                        on:focus:target=move |ev| ev.target().select() />
                </label>
                <button class="ghost small" on:click=move |_| link.set(None)>"Close"</button>
            </div>
        })}
    }
}
