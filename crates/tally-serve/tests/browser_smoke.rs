//! Smoke test for the headless-browser harness in `support::browser`: serves two static pages
//! from a throwaway std HTTP server and drives a real Chromium over them. The two tests each own a
//! browser and run concurrently, which also checks that parallel `Browser`s do not interfere.

mod support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use serde_json::json;
use support::browser::Browser;

const CLAIMS: &str = r##"<!doctype html>
<html><head><meta charset="utf-8"><title>Tally smoke</title>
<style>.claim:not(:target) { display: none }</style></head>
<body>
  <ul id="claims">
    <li><a id="open-c1" href="#c1">7 killed</a></li>
    <li><a href="#c2">3 wounded</a></li>
  </ul>
  <section class="claim" id="c1"><p>Seven people were killed in the strike.</p></section>
  <section class="claim" id="c2"><p>Three were wounded.</p></section>
</body></html>"##;

const SCRIPTED: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>before</title></head>
<body><script>
  document.title = "set by script";
  setTimeout(() => { document.body.insertAdjacentHTML("beforeend", '<p id="late">late</p>') }, 200);
</script></body></html>"#;

/// Serves `/` and `/scripted` on a free loopback port, forever, from a background thread.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut request = Vec::new();
            let mut buf = [0; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let request = String::from_utf8_lossy(&request);
            let (status, body) = match request.split(' ').nth(1) {
                Some("/") => ("200 OK", CLAIMS),
                Some("/scripted") => ("200 OK", SCRIPTED),
                _ => ("404 Not Found", "not found"),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    base
}

#[test]
fn click_reveals_claim_and_screenshot_is_png() {
    let base = serve();
    let browser = Browser::start();
    browser.goto(&format!("{base}/"));
    assert_eq!(browser.title(), "Tally smoke");

    let items = browser.find_all("#claims li");
    assert_eq!(items.iter().map(|li| li.text()).collect::<Vec<_>>(), ["7 killed", "3 wounded"]);
    let link = items[0].find("a");
    assert_eq!(link.attr("href").as_deref(), Some("#c1"));
    assert_eq!(link.attr("data-missing"), None);

    let claim = browser.find("#c1");
    assert!(!claim.is_displayed());
    assert_eq!(claim.text(), "", "hidden elements have no rendered text");
    assert!(browser.try_find("#nope").is_none());

    link.click();
    assert_eq!(browser.current_url(), format!("{base}/#c1"));
    assert!(claim.is_displayed());
    assert_eq!(claim.text(), "Seven people were killed in the strike.");
    assert!(!browser.find("#c2").is_displayed());

    let dir = std::env::temp_dir().join(format!("tally-browser-smoke-{}", std::process::id()));
    let png = dir.join("shots/claims.png");
    browser.screenshot(&png);
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG: {:?}", &bytes[..bytes.len().min(8)]);
    assert!(bytes.len() > 1000, "suspiciously small screenshot: {} bytes", bytes.len());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn script_sets_title_and_execute_returns_values() {
    let base = serve();
    let browser = Browser::start();
    browser.goto(&format!("{base}/scripted"));
    assert_eq!(browser.title(), "set by script");
    assert_eq!(browser.execute("return document.title", vec![]), json!("set by script"));
    assert_eq!(browser.execute("return arguments[0] * arguments[1]", vec![json!(6), json!(7)]), json!(42));
    assert_eq!(browser.wait_for("#late", Duration::from_secs(5)).text(), "late");
}

#[test]
#[should_panic(expected = "no element matches `#absent`")]
fn find_panics_with_selector() {
    let base = serve();
    let browser = Browser::start();
    browser.goto(&format!("{base}/"));
    browser.find("#absent");
}

#[test]
#[should_panic(expected = "WebDriver error `element not interactable`")]
fn webdriver_errors_panic_with_message() {
    let base = serve();
    let browser = Browser::start();
    browser.goto(&format!("{base}/"));
    browser.find("#c2 p").click();
}
