#!/usr/bin/python3
"""A bare WebKitGTK browser window for the suite (Debian's /usr/bin/python3, which has PyGObject).

Two ways to run it:
- `--automation`: WebKitWebDriver starts it for a WebDriver session (the core journey);
- `--visit URL...`: it opens each page in turn, waits until the app has started and the network
  is idle, and exits (the first-load check of every customer page).

Debian's MiniBrowser stops its window at 447 px (its toolbar) and reports en-US; this window has
no toolbar, a fresh profile (--profile) and the language asked for (--language). A script in
every page and the window's resource signals record into --console, one line each, marked ERROR:
console.error, uncaught errors, rejected promises, CSP violations, every response >= 400 and
every failed load. WebKit's own console (e.g. a CSP directive it does not know) goes to stdout
outside automation only (under automation it goes to the inspector), and only line by line when
stdout is a terminal: the visiting test runs this window under `script`.
"""
import argparse
import os
import threading

parser = argparse.ArgumentParser()
parser.add_argument("--automation", action="store_true")
parser.add_argument("--visit", nargs="*", default=[])
parser.add_argument("--console", required=True)
parser.add_argument("--profile", required=True)
parser.add_argument("--language", default="de-DE")
options, _ = parser.parse_known_args()

# A fresh profile: WebKit keeps cookies, storage and caches under the XDG folders.
for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
    os.environ[name] = os.path.join(options.profile, name.lower())

console = open(options.console, "ab", buffering=0)
lock = threading.Lock()


def record(line):
    with lock:
        console.write(line.replace("\n", " ").encode() + b"\n")


import gi  # noqa: E402 (after the environment is set)

gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import GLib, Gtk, WebKit2  # noqa: E402

# Runs in every page before its own scripts (a user script is not bound by the page's CSP).
REPORTER = """
(() => {
  const report = (kind, text) => window.webkit.messageHandlers.journey.postMessage(kind + ' ' + text);
  const error = console.error.bind(console);
  console.error = (...args) => { report('ERROR console.error', args.map(String).join(' ')); error(...args); };
  addEventListener('error', (e) => report('ERROR uncaught', `${e.message} ${e.filename}:${e.lineno}`));
  addEventListener('unhandledrejection', (e) => report('ERROR unhandled rejection', String(e.reason)));
  addEventListener('securitypolicyviolation', (e) => report('ERROR CSP', `${e.violatedDirective} ${e.blockedURI}`));
  // WebKit's resource signals do not cover fetch(): its answers are checked here.
  const fetch = window.fetch;
  window.fetch = function (...args) {
    return fetch.apply(this, args).then((r) => {
      if (r.status >= 400) report('ERROR response', `${r.status} ${r.url}`);
      return r;
    }, (e) => {
      if (e?.name !== 'AbortError') report('ERROR fetch failed', `${args[0]} ${e}`);
      throw e;
    });
  };
  addEventListener('TrunkApplicationStarted', () => report('STARTED', location.href), { once: true });
})();
"""

context = WebKit2.WebContext.get_default()
context.set_preferred_languages([options.language, options.language.split("-")[0]])
context.set_automation_allowed(options.automation)
windows = []
visit = {"pending": set(), "started": False, "idle": None, "uris": {}}


def on_message(_manager, message):
    text = message.get_js_value().to_string()
    if text.startswith("STARTED"):
        visit["started"] = True
    else:
        record(text)


def watch_resource(_view, resource, _request):
    key = id(resource)
    visit["pending"].add(key)
    visit["uris"][key] = resource.get_uri()[:80]

    def finished(res):
        visit["pending"].discard(key)
        response = res.get_response()
        if response is not None and response.get_status_code() >= 400:
            record(f"ERROR response {response.get_status_code()} {res.get_uri()}")

    def failed(res, error):
        visit["pending"].discard(key)
        # A navigation cancels the previous page's loads: not a failure.
        if not error.matches(WebKit2.NetworkError.quark(), WebKit2.NetworkError.CANCELLED):
            record(f"ERROR load failed {res.get_uri()}: {error.message}")

    resource.connect("finished", finished)
    resource.connect("failed", failed)


def new_view():
    manager = WebKit2.UserContentManager()
    manager.add_script(WebKit2.UserScript(
        REPORTER,
        WebKit2.UserContentInjectedFrames.ALL_FRAMES,
        WebKit2.UserScriptInjectionTime.START,
        None,
        None,
    ))
    manager.connect("script-message-received::journey", on_message)
    manager.register_script_message_handler("journey")
    view = WebKit2.WebView(web_context=context, user_content_manager=manager,
                           is_controlled_by_automation=options.automation)
    view.get_settings().set_enable_write_console_messages_to_stdout(True)
    view.connect("resource-load-started", watch_resource)
    window = Gtk.Window()
    window.set_default_size(1280, 800)
    window.add(view)
    window.show_all()
    windows.append(window)
    return view


def automation_started(_context, session):
    info = WebKit2.ApplicationInfo()
    info.set_name("smart1-journey")
    info.set_version(1, 0, 0)
    session.set_application_info(info)
    session.connect("create-web-view", lambda _session: new_view())


def visit_pages(view, urls):
    """Loads each URL; the next one once the app started and no load was pending for 500 ms."""
    deadline = {"at": 0}

    def next_page():
        if not urls:
            Gtk.main_quit()
            return False
        url = urls.pop(0)
        record(f"VISIT {url}")
        # A page of the product announces its app; any other page (a test's own) does not.
        visit.update(started=not url.startswith("http"), idle=None)
        # A first visit compiles the wasm in a cold WebKit: generous, and the error says what
        # was still missing, so a slow start and a hang are told apart.
        deadline["at"] = GLib.get_monotonic_time() + 60_000_000
        view.load_uri(url)
        GLib.timeout_add(100, settle)
        return False

    def settle():
        now = GLib.get_monotonic_time()
        if now > deadline["at"]:
            waiting = "no TrunkApplicationStarted" if not visit["started"] else f"{len(visit['pending'])} loads pending: {', '.join(sorted(visit['uris'].get(k, '?') for k in visit['pending']))}"
            record(f"ERROR the app did not start within 60 s: {view.get_uri()} ({waiting})")
            GLib.idle_add(next_page)
            return False
        if not visit["started"] or visit["pending"]:
            visit["idle"] = None
            return True
        visit["idle"] = visit["idle"] or now
        if now - visit["idle"] < 500_000:
            return True
        GLib.idle_add(next_page)
        return False

    next_page()


if options.automation:
    context.connect("automation-started", automation_started)
else:
    visit_pages(new_view(), list(options.visit))
Gtk.main()
