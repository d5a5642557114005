//! The real-browser harness (issue 8): headless Chromium (`/usr/bin/chromium`, never a downloaded one) driven over
//! the DevTools protocol with `headless_chrome`. A [`Session`] opens one page from disk with the network blocked and
//! records every request, console error, exception and dialog while it is open; [`check_page`] checks a report page
//! against the DOM contract from the live DOM. Chromium is killed when the session is dropped.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Log, Network, Page, Runtime};
use headless_chrome::{Browser, LaunchOptions, Tab};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Deserialize;
use serde_json::Value;

pub const CHROMIUM: &str = "/usr/bin/chromium";
/// The longest any wait may take.
const TIMEOUT: Duration = Duration::from_secs(30);
/// Root-safe headless flags, and every host name resolving to nothing (no request can leave the machine).
const FLAGS: [&str; 9] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",
];
/// The contract's sections, in page order.
const SECTIONS: [&str; 6] = ["summary", "resources", "move-plan", "capacity", "cost", "method"];
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";
/// A CSP status as the contract spells it (badges, `data-status`, the filter checkboxes).
pub const STATUSES: [&str; 3] = ["NO ISSUES", "MODIFY", "BLOCKED"];

/// Whether Chromium is installed; when CI is set, a missing one fails instead of skipping.
pub fn chromium_available() -> bool {
    let found = Path::new(CHROMIUM).exists();
    if !found {
        assert!(std::env::var_os("CI").is_none(), "{CHROMIUM} is missing and CI is set: .ci/run installs chromium");
        eprintln!("skipped: {CHROMIUM} is not installed (the HTML report is checked in a real browser)");
    }
    found
}

/// What the page did while it was open.
#[derive(Debug, Default)]
pub struct Recorded {
    pub requests: Vec<String>,
    pub errors: Vec<String>,
    pub dialogs: Vec<String>,
}

/// One page open in its own Chromium (fresh profile). Dropping it closes Chromium and waits (at most [`TIMEOUT`])
/// until every process of it has exited, then removes the profile folder.
pub struct Session {
    tab: Arc<Tab>,
    recorded: Arc<Mutex<Recorded>>,
    browser: Option<Browser>,
    _profile: tempfile::TempDir,
}

impl Drop for Session {
    fn drop(&mut self) {
        let family = self.browser.as_ref().and_then(Browser::get_process_id).map(descendants).unwrap_or_default();
        // Closes the browser, then kills and reaps its main process.
        drop(self.browser.take());
        let start = Instant::now();
        while family.iter().any(|&pid| alive(pid)) && start.elapsed() < TIMEOUT {
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

/// Whether a process runs (a zombie has exited: it waits only for its parent to reap it).
fn alive(pid: u32) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit_once(')').is_some_and(|(_, rest)| !rest.trim_start().starts_with(['Z', 'X']))
}

/// `root` and every process below it (from `/proc/PID/stat`).
fn descendants(root: u32) -> Vec<u32> {
    let parent = |pid: u32| {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        stat.rsplit_once(')')?.1.split_whitespace().nth(1)?.parse::<u32>().ok()
    };
    let pids: Vec<u32> = std::fs::read_dir("/proc")
        .map(|dir| dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok()).collect())
        .unwrap_or_default();
    let links: Vec<(u32, u32)> = pids.into_iter().filter_map(|pid| Some((pid, parent(pid)?))).collect();
    let mut family = vec![root];
    let mut next = 0;
    while let Some(&pid) = family.get(next) {
        family.extend(links.iter().filter(|(_, ppid)| *ppid == pid).map(|(child, _)| *child));
        next += 1;
    }
    family
}

/// A row of `#resources-table` as the page shows it.
#[derive(Debug, Deserialize)]
struct Row {
    id: String,
    status: String,
    text: String,
    hidden: bool,
    /// The `data-status` of the row's `.badge`, and its text.
    badge: Option<(String, String)>,
}

/// The resources table: every row, and what `#resource-count` says.
#[derive(Debug, Deserialize)]
struct Table {
    rows: Vec<Row>,
    count: String,
    /// Whether `#resources-truncated` is on the page (rows were cut).
    truncated: bool,
}

impl Table {
    fn visible(&self) -> Vec<&Row> {
        self.rows.iter().filter(|r| !r.hidden).collect()
    }

    fn count_matches(&self) -> bool {
        self.count == self.visible().len().to_string()
    }
}

const TABLE_JS: &str = "JSON.stringify({
    rows: [...document.querySelectorAll('#resources-table tbody tr')].map(r => ({
        id: r.dataset.id || '', status: r.dataset.status || '', text: r.textContent, hidden: r.hidden,
        badge: (b => b && [b.dataset.status || '', b.textContent.trim()])(r.querySelector('.badge')) })),
    truncated: document.getElementById('resources-truncated') !== null,
    count: (document.getElementById('resource-count') || {}).textContent?.trim() ?? '<no #resource-count>' })";

fn launch(profile: &Path) -> Browser {
    let options = LaunchOptions {
        headless: true,
        sandbox: false,
        enable_gpu: false,
        path: Some(PathBuf::from(CHROMIUM)),
        user_data_dir: Some(profile.to_path_buf()),
        args: FLAGS.iter().map(OsStr::new).collect(),
        window_size: Some((1280, 1000)),
        idle_browser_timeout: TIMEOUT,
        ..LaunchOptions::default()
    };
    Browser::new(options).unwrap_or_else(|e| panic!("could not start {CHROMIUM}: {e}"))
}

/// `file://` URL of an existing file, percent-encoding what a URL path cannot hold.
fn file_url(path: &Path) -> String {
    let path = path.canonicalize().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let encoded: String = path
        .display()
        .to_string()
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("file://{encoded}")
}

fn console_text(args: &[Runtime::RemoteObject]) -> String {
    let text = |a: &Runtime::RemoteObject| match (&a.value, &a.description) {
        (Some(Value::String(s)), _) => s.clone(),
        (Some(v), _) => v.to_string(),
        (None, Some(d)) => d.clone(),
        (None, None) => String::new(),
    };
    args.iter().map(text).collect::<Vec<_>>().join(" ")
}

/// Dismisses an open dialog from another thread (the event thread must not block), so a stray `alert` cannot hang
/// the page; the dialog is already recorded.
fn dismiss(tab: Weak<Tab>) {
    std::thread::spawn(move || {
        if let Some(tab) = tab.upgrade() {
            tab.call_method(Page::HandleJavaScriptDialog { accept: false, prompt_text: None }).ok();
        }
    });
}

fn on_event(event: &Event, recorded: &Mutex<Recorded>, tab: &Weak<Tab>) {
    let Ok(mut recorded) = recorded.lock() else { return };
    use Runtime::ConsoleAPICalledEventTypeOption as Console;
    match event {
        Event::NetworkRequestWillBeSent(e) => recorded.requests.push(e.params.request.url.clone()),
        Event::RuntimeConsoleAPICalled(e) if matches!(e.params.Type, Console::Error | Console::Assert) => {
            recorded.errors.push(format!("console.{:?}: {}", e.params.Type, console_text(&e.params.args)))
        }
        Event::LogEntryAdded(e) if e.params.entry.level == Log::LogEntryLevel::Error => {
            recorded.errors.push(format!("log: {}", e.params.entry.text))
        }
        Event::RuntimeExceptionThrown(e) => {
            let details = &e.params.exception_details;
            let description = details.exception.as_ref().and_then(|x| x.description.clone()).unwrap_or_default();
            recorded.errors.push(format!("exception: {} {description}", details.text))
        }
        Event::PageJavascriptDialogOpening(e) => {
            recorded.dialogs.push(format!("{:?}: {}", e.params.Type, e.params.message));
            dismiss(tab.clone());
        }
        _ => {}
    }
}

impl Session {
    /// Opens `html` in a fresh headless Chromium and waits for its load event.
    pub fn open(html: &Path) -> Session {
        let profile = tempfile::tempdir().unwrap();
        let browser = launch(profile.path());
        let tab = browser.new_tab().unwrap();
        tab.set_default_timeout(TIMEOUT);
        let recorded = Arc::new(Mutex::new(Recorded::default()));
        let (sink, weak) = (Arc::clone(&recorded), Arc::downgrade(&tab));
        tab.add_event_listener(Arc::new(move |event: &Event| on_event(event, &sink, &weak))).unwrap();
        tab.call_method(Network::Enable {
            max_total_buffer_size: None,
            max_resource_buffer_size: None,
            max_post_data_size: None,
            report_direct_socket_traffic: None,
            enable_durable_messages: None,
        })
        .unwrap();
        tab.enable_runtime().unwrap().enable_log().unwrap();
        tab.navigate_to(&file_url(html)).unwrap().wait_until_navigated().unwrap();
        let session = Session { tab, recorded, browser: Some(browser), _profile: profile };
        session.wait_until("document.readyState === 'complete' && performance.timing.loadEventEnd > 0");
        session
    }

    /// Evaluates a JavaScript expression whose value is a JSON text, and parses it.
    pub fn json(&self, expression: &str) -> Value {
        let object = self.tab.evaluate(expression, false).unwrap_or_else(|e| panic!("{expression}: {e}"));
        match object.value {
            Some(Value::String(text)) => serde_json::from_str(&text).unwrap_or_else(|e| panic!("{expression}: {e}")),
            other => panic!("{expression} did not give a JSON text but {other:?} ({:?})", object.description),
        }
    }

    /// Runs JavaScript statements; one that throws (a missing element) fails with the exception.
    fn run(&self, statements: &str) {
        self.json(&format!("(() => {{ {statements}; return 'true'; }})()"));
    }

    /// Polls a JavaScript condition until it holds (at most [`TIMEOUT`]).
    fn wait_until(&self, condition: &str) {
        let start = Instant::now();
        while self.json(&format!("JSON.stringify(Boolean({condition}))")) != Value::Bool(true) {
            assert!(start.elapsed() < TIMEOUT, "timed out after {TIMEOUT:?} waiting for {condition}");
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Polls the resources table until `holds` (a filter may be debounced), or panics with `what` and the table.
    fn table_until(&self, what: &str, holds: impl Fn(&Table) -> bool) -> Table {
        let start = Instant::now();
        loop {
            let table: Table = serde_json::from_value(self.json(TABLE_JS)).unwrap();
            if holds(&table) {
                return table;
            }
            assert!(start.elapsed() < TIMEOUT, "timed out after {TIMEOUT:?}: {what}; table: {table:#?}");
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Navigation start → end of the load event, in milliseconds (`performance.timing`).
    pub fn load_time_ms(&self) -> f64 {
        let timing = self.json("JSON.stringify(performance.timing.loadEventEnd - performance.timing.navigationStart)");
        timing.as_f64().unwrap()
    }

    /// The page's own URL, as the browser spells it.
    fn url(&self) -> String {
        self.json("JSON.stringify(location.href)").as_str().unwrap().to_string()
    }

    /// Everything recorded so far.
    pub fn recorded(&self) -> std::sync::MutexGuard<'_, Recorded> {
        self.recorded.lock().unwrap()
    }

    /// No request but the page itself (and `data:` URLs), no console error, no exception, no dialog.
    pub fn assert_quiet(&self) {
        let url = self.url();
        let recorded = self.recorded();
        let foreign: Vec<_> = recorded.requests.iter().filter(|r| **r != url && !r.starts_with("data:")).collect();
        assert!(foreign.is_empty(), "requests besides the page {url}: {foreign:?}");
        assert!(recorded.requests.contains(&url), "the page's own request was not recorded: {:?}", recorded.requests);
        assert!(recorded.errors.is_empty(), "console errors or exceptions: {:#?}", recorded.errors);
        assert!(recorded.dialogs.is_empty(), "dialogs opened: {:?}", recorded.dialogs);
    }

    /// The six sections, the CSP meta and the embedded report data.
    fn check_structure(&self) {
        let found = self.json("JSON.stringify([...document.querySelectorAll('section[id]')].map(s => s.id))");
        for section in SECTIONS {
            assert!(found.as_array().unwrap().iter().any(|s| s == section), "no section #{section}: {found}");
        }
        let csp = self.json(
            "JSON.stringify(document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]')?.content ?? null)",
        );
        assert_eq!(csp, CSP, "the Content-Security-Policy meta");
        let data = self.json("document.getElementById('report-data')?.textContent ?? 'null'");
        assert!(data.is_object(), "#report-data does not hold a JSON object: {data}");
    }

    /// Each `[data-metric]` element's text is the expected value, and each expected metric is on the page.
    fn check_metrics(&self, expected: &Value) {
        let shown = self.json(
            "JSON.stringify([...document.querySelectorAll('[data-metric]')].map(e => [e.dataset.metric, e.textContent]))",
        );
        let shown: Vec<(String, String)> = serde_json::from_value(shown).unwrap();
        for (metric, text) in &shown {
            let want = expected.get(metric).and_then(Value::as_str);
            assert_eq!(Some(text.trim()), want, "data-metric=\"{metric}\" shows {text:?}");
        }
        for metric in expected.as_object().unwrap().keys() {
            assert!(shown.iter().any(|(m, _)| m == metric), "no element has data-metric=\"{metric}\"");
        }
    }

    /// One row per resource (fewer only with `#resources-truncated`), each with an id and a badge of its status.
    fn check_rows(&self, expected: &Value) {
        let table = self.table_until("the resources table", |_| true);
        let resources: usize = expected["resources"].as_str().and_then(|n| n.parse().ok()).expect("expected resources");
        if table.truncated {
            assert!(table.rows.len() < resources, "#resources-truncated, yet {} rows of {resources}", table.rows.len());
        } else {
            assert_eq!(table.rows.len(), resources, "rows of #resources-table (no #resources-truncated)");
        }
        for row in &table.rows {
            assert!(STATUSES.contains(&row.status.as_str()) && !row.id.is_empty(), "{row:#?}");
            let badge = Some((row.status.clone(), row.status.clone()));
            assert_eq!(row.badge, badge, "the badge of {}", row.id);
        }
    }

    /// Sets the search box and dispatches `input`.
    fn search(&self, query: &str) {
        let query = serde_json::to_string(query).unwrap();
        self.run(&format!(
            "const box = document.getElementById('resource-search'); box.value = {query};
             box.dispatchEvent(new Event('input', {{ bubbles: true }}));"
        ));
    }

    /// Sets the status checkbox and dispatches `change`.
    fn set_status_filter(&self, status: &str, checked: bool) {
        let selector = serde_json::to_string(&format!(".status-filter[value=\"{status}\"]")).unwrap();
        self.run(&format!(
            "const box = document.querySelector({selector}); box.checked = {checked};
             box.dispatchEvent(new Event('change', {{ bubbles: true }}));"
        ));
    }

    /// Typing a resource's name leaves only rows holding it visible (that row among them), and the count follows.
    fn check_search(&self) {
        let all = self.table_until("every row visible at first", |t| t.visible().len() == t.rows.len());
        assert!(all.rows.len() > 1, "the resources table needs two rows or more: {all:#?}");
        let (row, name) = rarest_name(&all.rows);
        self.check_search_for(&name, &row.id);
    }

    /// Typing `name` leaves only rows holding it visible, the row `id` among them; clearing the box shows every row.
    fn check_search_for(&self, name: &str, id: &str) {
        self.search(name);
        let needle = name.to_lowercase();
        self.table_until(&format!("searching {name:?} shows only matching rows, {id} among them"), |t| {
            let visible = t.visible();
            t.count_matches()
                && visible.len() < t.rows.len()
                && visible.iter().all(|r| r.text.to_lowercase().contains(&needle))
                && visible.iter().any(|r| r.id == id)
        });
        self.search("");
        self.table_until("clearing the search shows every row", |t| {
            t.count_matches() && t.visible().len() == t.rows.len()
        });
    }

    /// Unchecking NO ISSUES hides exactly the NO ISSUES rows; checking it again shows them.
    fn check_status_filter(&self) {
        let all = self.table_until("every row visible", |t| t.visible().len() == t.rows.len());
        let boxes = self.json(
            "JSON.stringify([...document.querySelectorAll('input.status-filter[type=checkbox]')]
                .map(b => [b.value, b.checked]))",
        );
        for status in STATUSES {
            assert!(
                boxes.as_array().unwrap().iter().any(|b| b[0] == status && b[1] == true),
                "no checked filter {status}: {boxes}"
            );
        }
        assert!(all.rows.iter().any(|r| r.status == "NO ISSUES"), "no NO ISSUES row to filter out");
        self.set_status_filter("NO ISSUES", false);
        self.table_until("unchecking NO ISSUES hides exactly the NO ISSUES rows", |t| {
            t.count_matches() && t.rows.iter().all(|r| r.hidden == (r.status == "NO ISSUES"))
        });
        self.set_status_filter("NO ISSUES", true);
        self.table_until("checking NO ISSUES again shows every row", |t| {
            t.count_matches() && t.visible().len() == t.rows.len()
        });
    }

    /// A PNG of the top of the page, into `target/browser/NAME.png`.
    pub fn screenshot(&self, name: &str) -> Screenshot {
        let png = self.tab.capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true).unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "the screenshot is not a PNG");
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/browser");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        Screenshot { path }
    }
}

/// The row whose name (the last segment of its `data-id`) occurs in the fewest rows' text, and that name.
fn rarest_name(rows: &[Row]) -> (&Row, String) {
    let name = |row: &Row| row.id.rsplit('/').next().unwrap_or_default().to_string();
    let hits = |needle: &str| rows.iter().filter(|r| r.text.to_lowercase().contains(&needle.to_lowercase())).count();
    let row =
        rows.iter().filter(|r| !name(r).is_empty()).min_by_key(|r| hits(&name(r))).expect("rows carry no data-id");
    (row, name(row))
}

/// A saved screenshot.
#[derive(Debug)]
pub struct Screenshot {
    pub path: PathBuf,
}

/// Loads `html` and checks it against the DOM contract: sections, CSP, embedded data, every `[data-metric]` against
/// `expected` (metric → text), one row per resource with its badge, search and status filter, no request but the page, no console error or exception,
/// no dialog. Saves a screenshot named after the file (`report.html` → `target/browser/report.png`).
pub fn check_page(html: &Path, expected: &Value) -> Screenshot {
    let session = Session::open(html);
    session.check_structure();
    session.check_metrics(expected);
    session.check_rows(expected);
    session.check_search();
    session.check_status_filter();
    let screenshot = session.screenshot(&stem(html));
    session.assert_quiet();
    screenshot
}

/// Loads a page of hostile names: each is shown as text and survives in the embedded data, searching the first one
/// finds its row, and no dialog (no `alert`) ever opens.
pub fn check_hostile_page(html: &Path, names: &[&str]) -> Screenshot {
    let session = Session::open(html);
    session.check_structure();
    let text = session.json("JSON.stringify(document.body.textContent)");
    let data =
        session.json("JSON.stringify(JSON.stringify(JSON.parse(document.getElementById('report-data').textContent)))");
    for name in names {
        assert!(text.as_str().unwrap().contains(name), "{name:?} is not in the page's text");
        let encoded = serde_json::to_string(name).unwrap();
        assert!(data.as_str().unwrap().contains(&encoded), "{encoded} is not in #report-data");
    }
    let table = session.table_until("the resources table", |_| true);
    let row = table.rows.iter().find(|r| r.text.contains(names[0])).expect("no row holds the first hostile name");
    session.check_search_for(names[0], &row.id);
    // Give any deferred script (an `onerror`, a timer) the chance to run before looking for dialogs.
    std::thread::sleep(Duration::from_millis(300));
    session.assert_quiet();
    session.screenshot(&stem(html))
}

fn stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "page".to_string())
}

/// The metrics the page must show, from report.json.
pub fn expected_metrics(report: &Value) -> Value {
    let assessment = &report["assessment"]["summary"];
    let plan = &report["plan"]["summary"];
    let totals = &report["cost"]["totals"];
    let count = |v: &Value| v.as_u64().unwrap_or_else(|| panic!("{v} is not a count")).to_string();
    let mut metrics = serde_json::json!({
        "resources": count(&assessment["resources"]),
        "no-issues": count(&assessment["no_issues"]),
        "modify": count(&assessment["modify"]),
        "blocked": count(&assessment["blocked"]),
        "subscriptions": count(&assessment["subscriptions"]),
        "batches": count(&plan["batches"]),
        "batches-ready": count(&plan["ready"]),
        "batches-needs-remediation": count(&plan["needs_remediation"]),
        "batches-blocked": count(&plan["blocked"]),
        "servers": report["capacity"]["servers"].as_array().map_or(0, Vec::len).to_string(),
        "ea-cost": round4(&totals["ea_cost"]),
        "csp-cost": round4(&totals["csp_cost"]),
        "cost-diff": round4(&totals["cost_diff"]),
    });
    // Workloads (issue 9), when report.json has them: `applications` is `workloads.summary.applications`, each
    // `applications-KEY` its `KEY` (`-needs-review`: `needs_review`).
    let workloads = &report["workloads"]["summary"];
    if !workloads.is_null() {
        for (metric, key) in [
            ("applications", "applications"),
            ("applications-green", "green"),
            ("applications-yellow", "yellow"),
            ("applications-red", "red"),
            ("applications-needs-review", "needs_review"),
        ] {
            metrics[metric] = Value::String(count(&workloads[key]));
        }
    }
    metrics
}

/// A decimal string rounded to 4 places, half away from zero, without trailing zeros (`"0.00013600"` → `"0.0001"`).
pub fn round4(value: &Value) -> String {
    let text = value.as_str().unwrap_or_else(|| panic!("{value} is not a decimal string"));
    let decimal: Decimal = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
    decimal.round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero).normalize().to_string()
}
