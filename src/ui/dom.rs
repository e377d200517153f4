//! A small DOM patcher for the data-heavy panels (the cluster view).
//!
//! Why not `view!` there: every Leptos view type is monomorphised into its own
//! build/rebuild code, and the cluster view alone (pod cards, spec controls,
//! claims, Services, DNS) cost ~30 KB of wasm that way, which the 350 KiB gzip
//! budget cannot pay. Here a panel is plain data ([`Node`] trees, cheap to
//! build from the engine snapshot) and one generic [`patch`] brings the page
//! in line with it, keeping every existing element whose tag still matches, so
//! focus, open selects and CSS transitions survive a tick. Text goes in with
//! `textContent` and attributes with `setAttribute`: no user text ever reaches
//! innerHTML. Events are delegated: a control carries `data-act` (what to do)
//! and `data-arg` (on what), and the panel's one listener reads them
//! ([`action_of`]).

use wasm_bindgen::JsCast;

/// A DOM node to be: text, or an element.
#[derive(PartialEq)]
pub enum Node {
    Text(String),
    Element(Element),
}

/// An element to be: tag, attributes (a name starting with `.` sets that
/// DOM property instead, e.g. `.value` of a select), children.
#[derive(PartialEq)]
pub struct Element {
    tag: &'static str,
    attrs: Vec<(&'static str, String)>,
    children: Vec<Node>,
}

/// Starts an element.
pub fn el(tag: &'static str) -> Element {
    Element { tag, attrs: Vec::new(), children: Vec::new() }
}

impl Element {
    pub fn attr(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.attrs.push((name, value.into()));
        self
    }

    /// A boolean attribute (`disabled`, `selected`): present only when `on`.
    pub fn flag(self, name: &'static str, on: bool) -> Self {
        if on {
            self.attr(name, "")
        } else {
            self
        }
    }

    pub fn class(self, class: impl Into<String>) -> Self {
        self.attr("class", class)
    }

    pub fn testid(self, id: &'static str) -> Self {
        self.attr("data-testid", id)
    }

    /// Delegated action: the panel's listener performs `act` on `arg`.
    pub fn act(self, act: &'static str, arg: impl Into<String>) -> Self {
        self.attr("data-act", act).attr("data-arg", arg)
    }

    pub fn text(mut self, text: impl Into<String>) -> Self {
        self.children.push(Node::Text(text.into()));
        self
    }

    pub fn child(mut self, child: Element) -> Self {
        self.children.push(Node::Element(child));
        self
    }

    pub fn children(mut self, children: impl IntoIterator<Item = Element>) -> Self {
        self.children.extend(children.into_iter().map(Node::Element));
        self
    }

    /// Mixed text and elements (rich text).
    pub fn nodes(mut self, nodes: impl IntoIterator<Item = Node>) -> Self {
        self.children.extend(nodes);
        self
    }

    /// A child only when there is one.
    pub fn maybe(self, child: Option<Element>) -> Self {
        match child {
            Some(child) => self.child(child),
            None => self,
        }
    }
}

/// Makes `parent`'s children match `wanted`, reusing what already matches.
pub fn patch(parent: &web_sys::Node, wanted: &[Node]) {
    patch_since(parent, wanted, &[]);
}

/// [`patch`], knowing what the last call drew under `parent` (`drawn`): a node
/// equal to the one drawn in its place is left alone without a look at the
/// page, and a changed element only gets the attributes that changed. A tick
/// of 100 pod cards then costs the few nodes that changed, not a read of every
/// attribute on the page. Whatever the page changed itself (an input's text, a
/// `<details>` opened, a resized pane's `style`) stays as it is.
pub fn patch_since(parent: &web_sys::Node, wanted: &[Node], drawn: &[Node]) {
    if patch_keyed(parent, wanted, drawn) {
        return;
    }
    let existing = parent.child_nodes();
    for (index, node) in wanted.iter().enumerate() {
        let before = drawn.get(index);
        if before != Some(node) {
            patch_child(parent, existing.item(index as u32), node, before);
        }
    }
    // What was drawn is on the page: only a shorter list leaves nodes to remove.
    if drawn.is_empty() || drawn.len() > wanted.len() {
        truncate(parent, wanted.len());
    }
}

/// Children that all carry a `data-key` (rows of a list that grows at the
/// top, like the events): each keeps its element, moved to its new place, so a
/// new row at the top is one insertion instead of every row relabelled, and
/// focus or the pointer stays on its row. False if the children are not all
/// keyed (the positional patch then does it).
fn patch_keyed(parent: &web_sys::Node, wanted: &[Node], drawn: &[Node]) -> bool {
    fn key_of(node: &Node) -> Option<&str> {
        match node {
            Node::Element(element) => element.key(),
            Node::Text(_) => None,
        }
    }
    let existing = parent.child_nodes();
    if drawn.is_empty()
        || wanted.iter().chain(drawn).any(|node| key_of(node).is_none())
        || existing.length() as usize != drawn.len()
    {
        return false;
    }
    let by_key: std::collections::BTreeMap<&str, usize> =
        drawn.iter().enumerate().filter_map(|(index, node)| Some((key_of(node)?, index))).collect();
    let mut kept: Vec<Option<web_sys::Node>> = (0..drawn.len()).map(|index| existing.item(index as u32)).collect();
    for (position, node) in wanted.iter().enumerate() {
        let here = existing.item(position as u32);
        let reused = key_of(node).and_then(|key| by_key.get(key)).and_then(|&index| Some((index, kept[index].take()?)));
        let element = match (reused, node) {
            (Some((index, element)), Node::Element(wanted_element)) => match &drawn[index] {
                Node::Element(drawn_element) if drawn_element.tag == wanted_element.tag => {
                    if drawn_element != wanted_element {
                        patch_element_since(element.unchecked_ref(), wanted_element, drawn_element);
                    }
                    element
                }
                _ => {
                    kept[index] = Some(element);
                    let Some(fresh) = create(node) else { continue };
                    fresh
                }
            },
            _ => {
                let Some(fresh) = create(node) else { continue };
                fresh
            }
        };
        if !here.as_ref().is_some_and(|here| here.is_same_node(Some(&element))) {
            let _ = parent.insert_before(&element, here.as_ref());
        }
    }
    for gone in kept.into_iter().flatten() {
        let _ = parent.remove_child(&gone);
    }
    true
}

/// Like [`patch`] for long lists of rows (the editor's lines): a row whose key
/// is the one drawn last time is left alone, so a keystroke touches one row.
/// `drawn` keeps the keys between calls.
pub fn patch_rows(parent: &web_sys::Node, rows: Vec<(String, Node)>, drawn: &mut Vec<String>) {
    let existing = parent.child_nodes();
    drawn.truncate(existing.length() as usize);
    for (index, (key, node)) in rows.iter().enumerate() {
        if drawn.get(index) != Some(key) {
            patch_child(parent, existing.item(index as u32), node, None);
        }
    }
    truncate(parent, rows.len());
    *drawn = rows.into_iter().map(|(key, _)| key).collect();
}

/// Brings one child in line; `before` is what was drawn there last, if known.
fn patch_child(parent: &web_sys::Node, current: Option<web_sys::Node>, node: &Node, before: Option<&Node>) {
    match (node, &current, before) {
        // Drawn as text and still text: only its words changed.
        (Node::Text(text), Some(current), Some(Node::Text(_))) => current.set_node_value(Some(text)),
        (Node::Text(text), Some(current), _) if current.node_type() == web_sys::Node::TEXT_NODE => {
            if current.node_value().as_deref() != Some(text.as_str()) {
                current.set_node_value(Some(text));
            }
        }
        (Node::Element(element), Some(current), Some(Node::Element(drawn)))
            if drawn.tag == element.tag && drawn.key() == element.key() =>
        {
            patch_element_since(current.unchecked_ref(), element, drawn);
        }
        (Node::Element(element), Some(current), None)
            if current.node_name().eq_ignore_ascii_case(element.tag) && same_key(current.unchecked_ref(), element) =>
        {
            patch_element(current.unchecked_ref(), element);
        }
        _ => {
            let Some(fresh) = create(node) else { return };
            let _ = match current {
                Some(current) => parent.replace_child(&fresh, &current),
                None => parent.append_child(&fresh),
            };
        }
    }
}

/// An element with a `data-key` is a new element when its key changes (so a
/// CSS animation on it plays again: a request's dot, a counter's tick).
fn same_key(current: &web_sys::Element, wanted: &Element) -> bool {
    match wanted.key() {
        Some(key) => current.get_attribute("data-key").as_deref() == Some(key),
        None => true,
    }
}

impl Element {
    fn key(&self) -> Option<&str> {
        self.attrs.iter().find(|(name, _)| *name == "data-key").map(|(_, key)| key.as_str())
    }

    /// Whether an effect of its own draws this element's children.
    fn owns_children(&self) -> bool {
        self.attrs.iter().any(|(name, _)| *name == "data-own")
    }
}

/// Removes `parent`'s children after the first `keep`.
fn truncate(parent: &web_sys::Node, keep: usize) {
    let existing = parent.child_nodes();
    while existing.length() > keep as u32 {
        match parent.last_child() {
            Some(last) => {
                let _ = parent.remove_child(&last);
            }
            None => break,
        }
    }
}

fn patch_element(element: &web_sys::Element, wanted: &Element) {
    let names = element.get_attribute_names();
    for name in names.iter().filter_map(|n| n.as_string()) {
        // `style` is the browser's: a pane resized by dragging its corner keeps its size.
        if name != "data-model" && name != "style" && !wanted.attrs.iter().any(|(wanted_name, _)| *wanted_name == name)
        {
            let _ = element.remove_attribute(&name);
        }
    }
    // Children first: a select's `.value` needs its options. An element marked
    // `data-own` keeps its children: an effect of its own draws them.
    if !wanted.owns_children() {
        patch(element, &wanted.children);
    }
    set_attributes(element, &wanted.attrs, true);
}

/// [`patch_element`] against what was drawn (`drawn`), not against the page.
fn patch_element_since(element: &web_sys::Element, wanted: &Element, drawn: &Element) {
    for (name, _) in &drawn.attrs {
        if !name.starts_with('.') && !wanted.attrs.iter().any(|(wanted_name, _)| wanted_name == name) {
            let _ = element.remove_attribute(name);
        }
    }
    if !wanted.owns_children() {
        patch_since(element, &wanted.children, &drawn.children);
    }
    set_attributes(element, wanted.attrs.iter().filter(|attr| !drawn.attrs.contains(attr)), false);
}

fn set_attributes<'a>(
    element: &web_sys::Element,
    attrs: impl IntoIterator<Item = &'a (&'static str, String)>,
    compare: bool,
) {
    for (name, value) in attrs {
        if let Some(property) = name.strip_prefix('.') {
            // A property the learner can change (an input's value) is set only
            // when the model's value changes, so a tick never overwrites what
            // is being typed; the last value set is kept in `data-model`.
            if !compare || element.get_attribute("data-model").as_deref() != Some(value.as_str()) {
                let _ = js_sys::Reflect::set(element, &property.into(), &value.into());
                let _ = element.set_attribute("data-model", value);
            }
        } else if !compare || element.get_attribute(name).as_deref() != Some(value.as_str()) {
            let _ = element.set_attribute(name, value);
        }
    }
}

fn create(node: &Node) -> Option<web_sys::Node> {
    let document = web_sys::window()?.document()?;
    match node {
        Node::Text(text) => Some(document.create_text_node(text).into()),
        Node::Element(wanted) => {
            let element = document.create_element(wanted.tag).ok()?;
            // Children first: a select's `.value` needs its options.
            patch(&element, &wanted.children);
            set_attributes(&element, &wanted.attrs, false);
            Some(element.into())
        }
    }
}

/// The control an event came from, its `data-act`, `data-arg` and current `value`.
fn action_of(event: &web_sys::Event) -> Option<(web_sys::Element, String, String, String)> {
    let target: web_sys::Element = event.target()?.dyn_into().ok()?;
    let control = target.closest("[data-act]").ok()??;
    let value = js_sys::Reflect::get(&control, &"value".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
    let (act, arg) = (control.get_attribute("data-act")?, control.get_attribute("data-arg").unwrap_or_default());
    Some((control, act, arg, value))
}

/// After a `change` was handled and the page redrawn: a select or field the
/// model did not follow (the API server refused the change) shows the model's
/// value again, not the choice that was refused.
fn show_model_value(control: web_sys::Element) {
    leptos::prelude::request_animation_frame(move || {
        let Some(model) = control.get_attribute("data-model") else { return };
        let shown = js_sys::Reflect::get(&control, &"value".into()).ok().and_then(|v| v.as_string());
        if shown.as_deref() != Some(model.as_str()) {
            let _ = js_sys::Reflect::set(&control, &"value".into(), &model.into());
        }
    });
}

/// What a delegated event asked for: the event kind (`click`, `change`,
/// `input`, `keydown`), the control's `data-act` and `data-arg`, its current
/// value, and the event itself (to read a key or prevent the default).
pub struct Act {
    pub event: String,
    pub act: String,
    pub arg: String,
    pub value: String,
    pub raw: web_sys::Event,
}

impl Act {
    /// The key of a keydown (`Enter`, `Tab`, `c` …) and whether Ctrl or Cmd,
    /// and any modifier at all, were held.
    pub fn key(&self) -> Option<(String, bool, bool)> {
        let key: &web_sys::KeyboardEvent = self.raw.dyn_ref()?;
        let command = key.ctrl_key() || key.meta_key();
        Some((key.key(), command, command || key.alt_key() || key.shift_key()))
    }
}

/// A region of the page drawn by this module: `draw` builds the tree (the
/// signals it reads make it redraw) and `perform` handles the region's
/// controls. The wrapper is `display: contents`, so the drawn elements lay out
/// as children of the surrounding pane. Boxed closures: every region shares
/// one monomorphised element type.
pub fn region(
    class: &'static str,
    draw: Box<dyn Fn() -> Vec<Node>>,
    perform: std::rc::Rc<dyn Fn(Act)>,
) -> impl leptos::IntoView {
    region_then(class, draw, Box::new(|_| {}), perform)
}

/// [`region`], then `then` runs on the wrapper after each patch: it draws the
/// `data-own` elements (long lists patched with [`patch_rows`]) and may read
/// signals of its own.
pub fn region_then(
    class: &'static str,
    draw: Box<dyn Fn() -> Vec<Node>>,
    then: Box<dyn Fn(&web_sys::Element)>,
    perform: std::rc::Rc<dyn Fn(Act)>,
) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let root = NodeRef::<leptos::html::Div>::new();
    let drawn = std::cell::RefCell::new(Vec::new());
    Effect::new(move || {
        let tree = draw();
        if let Some(root) = root.get() {
            patch_since(&root, &tree, &drawn.borrow());
            *drawn.borrow_mut() = tree;
            then(&root);
        }
    });
    let handle = move |event: web_sys::Event| match action_of(&event) {
        Some((_, act, pane, _)) if act == "resize" => resize_by_key(&event, &pane),
        Some((control, act, arg, value)) => {
            let changed = event.type_() == "change";
            perform(Act { event: event.type_(), act, arg, value, raw: event });
            if changed {
                show_model_value(control);
            }
        }
        None => {}
    };
    let (on_change, on_input, on_key) = (handle.clone(), handle.clone(), handle.clone());
    view! {
        <div class=class node_ref=root
            on:click=move |ev| handle(ev.into()) on:change=move |ev| on_change(ev) on:input=move |ev| on_input(ev.into())
            on:keydown=move |ev| on_key(ev.into())></div>
    }
}

/// The keyboard's way to resize a pane the mouse resizes by its corner (CSS
/// `resize`): a focusable separator inside the pane with class `pane`. The
/// editor's sits on its right edge, the dock's on its top edge.
pub fn splitter(pane: &'static str, label: &'static str) -> Element {
    let orientation = if pane == "dock" { "horizontal" } else { "vertical" };
    el("div")
        .class("splitter")
        .attr("role", "separator")
        .attr("tabindex", "0")
        .attr("aria-orientation", orientation)
        .attr("aria-label", label)
        .act("resize", pane)
}

/// [`splitter`] as a Leptos component, for panes drawn with `view!`.
#[leptos::component]
pub fn Splitter(
    /// The pane's class (`dock`, `editor-pane`): which pane it resizes.
    pane: &'static str,
    /// What a screen reader announces.
    label: &'static str,
) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let orientation = if pane == "dock" { "horizontal" } else { "vertical" };
    view! {
        <div class="splitter" role="separator" tabindex="0" aria-orientation=orientation aria-label=label
            on:keydown=move |event| resize_by_key(&event, pane)></div>
    }
}

/// Arrow keys on a [`splitter`]: the pane grows or shrinks by 32 px (the
/// stylesheet's min and max sizes still hold), set as dragging would set it.
fn resize_by_key(event: &web_sys::Event, pane: &str) {
    let Some(key) = event.dyn_ref::<web_sys::KeyboardEvent>().map(web_sys::KeyboardEvent::key) else { return };
    let dock = pane == "dock";
    let step = match (key.as_str(), dock) {
        ("ArrowRight", false) | ("ArrowUp", true) => 32,
        ("ArrowLeft", false) | ("ArrowDown", true) => -32,
        _ => return,
    };
    let Some(pane) =
        web_sys::window().and_then(|w| w.document()).and_then(|d| d.query_selector(&format!(".{pane}")).ok().flatten())
    else {
        return;
    };
    let (property, measure) = if dock { ("height", "offsetHeight") } else { ("width", "offsetWidth") };
    let size = js_sys::Reflect::get(&pane, &measure.into()).ok().and_then(|v| v.as_f64()).unwrap_or_default();
    // Through the style object, not a `style` attribute: the page's CSP forbids inline styles.
    if let Ok(style) = js_sys::Reflect::get(&pane, &"style".into()) {
        let _ = js_sys::Reflect::set(&style, &property.into(), &format!("{}px", size + step as f64).into());
    }
    event.prevent_default();
}

/// The first element under `root` matching a CSS selector.
pub fn find(root: &web_sys::Element, selector: &str) -> Option<web_sys::Element> {
    root.query_selector(selector).ok().flatten()
}

/// Once the page has drawn (a tab may just have been switched to, a box just
/// opened): focuses the element matching `selector`, and selects its text if
/// asked (an input offered for copying).
pub fn focus_when_drawn(selector: &'static str, select_text: bool) {
    leptos::prelude::request_animation_frame(move || {
        let found =
            web_sys::window().and_then(|w| w.document()).and_then(|d| d.query_selector(selector).ok().flatten());
        let Some(element) = found.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) else { return };
        let _ = element.focus();
        if let (true, Some(input)) = (select_text, element.dyn_ref::<web_sys::HtmlInputElement>()) {
            input.select();
        }
    });
}

/// Puts the caret on the command line once the page has drawn (the terminal
/// tab may just have been switched to).
pub fn focus_command_line() {
    focus_when_drawn("[data-testid=terminal-input]", false);
}
