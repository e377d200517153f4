//! Share links and export: the URL fragment carries the session (compressed by
//! the core) and optionally a lesson; Export offers the session as a shell
//! script for a real cluster.

use leptos::prelude::*;

use super::engine::Engine;
use super::storage;

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
