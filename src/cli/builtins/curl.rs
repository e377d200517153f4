//! curl as lab scripts and tutorials type it (curl 8): `-s -S -o FILE -w FORMAT
//! -i -I -v -L -f -m --connect-timeout -X -H -d`, short flags combined (`-fsSL`),
//! curl's exit codes (6 cannot resolve, 7 cannot connect, 22 `--fail` on ≥ 400,
//! 28 timeout) and its messages, in the order curl prints them.

use super::super::{Location, Output, Ran, Terminal};
use super::net::{fetch, parse_url, reason_phrase};
use crate::core::cluster::Cluster;
use crate::core::time::{parse_decimal, Millis, SECOND};

/// What a `curl` command line asks for.
#[derive(Debug, Default)]
struct Options {
    silent: bool,
    show_error: bool,
    include: bool,
    head: bool,
    verbose: bool,
    fail: bool,
    output: Option<String>,
    write_out: Option<String>,
    max_time: Option<Millis>,
    connect_timeout: Option<Millis>,
    method: Option<String>,
    headers: Vec<String>,
    data: Option<String>,
    url: Option<String>,
}

/// Short flags that take no value, and the long names of all flags.
const SHORT_SWITCHES: &str = "sSiIvLfk";
const SHORT_VALUED: &str = "owmXHdA";

const TRY_HELP: &str = "curl: try 'curl --help' for more information\n";

fn usage_error(message: String) -> Ran {
    Ran::fail(format!("{message}\n{TRY_HELP}"), 2)
}

/// Reads the command line as curl's getparameter does: `-sSo FILE`, `-oFILE`,
/// `--output FILE`; the first non-option is the URL.
fn parse(args: &[&str]) -> Result<Options, Ran> {
    let mut options = Options::default();
    let mut index = 0;
    while index < args.len() {
        let arg = args[index];
        index += 1;
        let mut value_for = |flag: &str, options: &mut Options, inline: Option<&str>| -> Result<(), Ran> {
            let value = match inline.filter(|v| !v.is_empty()) {
                Some(value) => value.to_string(),
                None => {
                    let Some(next) = args.get(index) else {
                        return Err(usage_error(format!("curl: option {flag}: requires parameter")));
                    };
                    index += 1;
                    next.to_string()
                }
            };
            set_valued(flag, value, options)
        };
        if let Some(long) = arg.strip_prefix("--") {
            match long {
                "silent" => options.silent = true,
                "show-error" => options.show_error = true,
                "include" => options.include = true,
                "head" => options.head = true,
                "verbose" => options.verbose = true,
                "location" | "insecure" => {}
                "fail" => options.fail = true,
                "output" | "write-out" | "max-time" | "connect-timeout" | "request" | "header" | "data"
                | "data-raw" | "user-agent" | "url" => value_for(arg, &mut options, None)?,
                _ => return Err(usage_error(format!("curl: option {arg}: is unknown"))),
            }
        } else if let Some(cluster) = arg.strip_prefix('-').filter(|c| !c.is_empty()) {
            for (at, flag) in cluster.char_indices() {
                if SHORT_SWITCHES.contains(flag) {
                    match flag {
                        's' => options.silent = true,
                        'S' => options.show_error = true,
                        'i' => options.include = true,
                        'I' => options.head = true,
                        'v' => options.verbose = true,
                        'f' => options.fail = true,
                        _ => {}
                    }
                } else if SHORT_VALUED.contains(flag) {
                    // The rest of the cluster is the value (`-o/dev/null`), else the next word.
                    let rest = &cluster[at + flag.len_utf8()..];
                    value_for(&format!("-{flag}"), &mut options, Some(rest))?;
                    break;
                } else {
                    return Err(usage_error(format!("curl: option -{flag}: is unknown")));
                }
            }
        } else if options.url.is_none() {
            options.url = Some(arg.to_string());
        }
    }
    Ok(options)
}

fn set_valued(flag: &str, value: String, options: &mut Options) -> Result<(), Ran> {
    let seconds = |value: &str| {
        parse_decimal(value, SECOND)
            .ok_or_else(|| usage_error(format!("curl: option {flag}: expected a proper numerical parameter")))
    };
    match flag {
        "-o" | "--output" => options.output = Some(value),
        "-w" | "--write-out" => options.write_out = Some(value),
        "-m" | "--max-time" => options.max_time = Some(seconds(&value)?),
        "--connect-timeout" => options.connect_timeout = Some(seconds(&value)?),
        "-X" | "--request" => options.method = Some(value),
        "-H" | "--header" => options.headers.push(value),
        "-d" | "--data" | "--data-raw" => options.data = Some(value),
        "--url" => options.url = Some(value),
        _ => {}
    }
    Ok(())
}

/// What one transfer came to, for the output and `--write-out`.
struct Transfer {
    status: Option<u16>,
    body: String,
    headers: String,
    remote_ip: String,
    port: i64,
    took: Millis,
}

pub(super) fn curl(term: &mut Terminal, cluster: &mut Cluster, location: &Location, args: &[&str]) -> Ran {
    let options = match parse(args) {
        Ok(options) => options,
        Err(ran) => return ran,
    };
    let Some(url) = options.url.clone() else {
        return Ran::fail(TRY_HELP, 2);
    };
    let method = match (&options.method, options.head, &options.data) {
        (Some(method), _, _) => method.clone(),
        (None, true, _) => "HEAD".into(),
        (None, false, Some(_)) => "POST".into(),
        (None, false, None) => "GET".into(),
    };
    let (host, port, path) = parse_url(&url).unwrap_or_else(|| (url.clone(), 80, "/".into()));
    let mut output = Output::default();
    let mut transfer =
        Transfer { status: None, body: String::new(), headers: String::new(), remote_ip: String::new(), port, took: 0 };
    let remote_ip = remote_address(cluster, location, &host);
    if options.verbose {
        output.err(format!("*   Trying {remote_ip}:{port}...\n"));
    }
    let result = match fetch(term, cluster, location, &method, &url) {
        Ok(response) => {
            transfer.status = Some(response.status);
            transfer.remote_ip = remote_ip.clone();
            transfer.took = 2;
            transfer.headers = format!(
                "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nDate: {}\r\nContent-Length: {}\r\n\r\n",
                response.status,
                reason_phrase(response.status),
                response.content_type,
                super::super::render::rfc1123z(cluster.now()).replace("+0000", "GMT"),
                response.body.len()
            );
            transfer.body = if method == "HEAD" { String::new() } else { response.body };
            if options.fail && response.status >= 400 {
                Err((22, format!("The requested URL returned error: {}", response.status)))
            } else {
                Ok(())
            }
        }
        Err((28, _)) => {
            // Unroutable from here (a pod or Service IP from the learner's machine): the
            // connection attempt runs until a timeout, and the clock with it.
            // --connect-timeout when it is the nearer limit, else --max-time, else the OS's.
            let connect_limit = options.connect_timeout.filter(|c| options.max_time.is_none_or(|m| *c <= m));
            let (waited, message) = if let Some(limit) = connect_limit {
                (limit, format!("Failed to connect to {host} port {port} after {} ms: Timeout was reached", limit + 1))
            } else if let Some(limit) = options.max_time {
                (limit, format!("Connection timed out after {} milliseconds", limit + 1))
            } else {
                (
                    75 * SECOND,
                    format!("Failed to connect to {host} port {port} after 75000 ms: Couldn't connect to server"),
                )
            };
            pass_time(term, cluster, waited);
            transfer.took = waited;
            Err((28, message))
        }
        Err(failure) => Err(failure),
    };
    if options.verbose {
        if let Some(status) = transfer.status {
            let host_header = if port == 80 { host.clone() } else { format!("{host}:{port}") };
            output.err(format!("* Connected to {host} ({remote_ip}) port {port}\n"));
            output.err(format!(
                "> {method} {path} HTTP/1.1\n> Host: {host_header}\n> User-Agent: curl/8.5.0\n> Accept: */*\n"
            ));
            for header in &options.headers {
                output.err(format!("> {header}\n"));
            }
            output.err(">\n".to_string());
            let _ = status;
            for line in transfer.headers.trim_end().lines() {
                output.err(format!("< {}\n", line.trim_end_matches('\r')));
            }
            output.err("<\n".to_string());
        }
    }
    let shown = match (&result, options.head) {
        (Err(_), _) => String::new(),
        (Ok(()), true) => transfer.headers.clone(),
        (Ok(()), false) if options.include => format!("{}{}", transfer.headers, transfer.body),
        (Ok(()), false) => transfer.body.clone(),
    };
    match options.output.as_deref() {
        Some("/dev/null") => {}
        Some("-") | None => output.out(shown.clone()),
        // curl creates the file only once data arrives.
        Some(_) if result.is_err() => {}
        Some(file) => {
            if let Err(message) = term.write_file(cluster, location, file, shown.clone(), false) {
                output.err(format!(
                    "curl: (23) Failure writing output to destination, passed {} returned 0\n",
                    shown.len()
                ));
                let _ = message;
                return Ran { output, status: 23 };
            }
        }
    }
    if options.output.is_some() && !options.silent && !options.verbose {
        output.err(progress_meter(shown.len(), transfer.took));
    }
    if options.verbose && transfer.status.is_some() {
        output.err(format!("* Connection #0 to host {host} left intact\n"));
    }
    let status = match &result {
        Ok(()) => 0,
        Err((code, message)) => {
            if !options.silent || options.show_error {
                output.err(format!("curl: ({code}) {message}\n"));
            }
            *code
        }
    };
    if let Some(format) = &options.write_out {
        output.out(write_out(format, &transfer, &url));
    }
    Ran { output, status }
}

/// The address curl connects to: the Service's ClusterIP, a pod's IP, the node, or
/// the local end of a port-forward or tunnel.
fn remote_address(cluster: &Cluster, location: &Location, host: &str) -> String {
    if host.parse::<std::net::Ipv4Addr>().is_ok() {
        return host.to_string();
    }
    if host == "localhost" {
        return "127.0.0.1".into();
    }
    match location {
        Location::Host => host.to_string(),
        Location::Pod { .. } => {
            cluster.lookup(host).ok().and_then(|answer| answer.addresses.first().cloned()).unwrap_or_default()
        }
    }
}

/// Time passing while curl waits: the clock moves, except in an exec probe (as `sleep`).
fn pass_time(term: &mut Terminal, cluster: &mut Cluster, millis: Millis) {
    match term.probe.as_mut() {
        Some(slept) => *slept = slept.saturating_add(millis),
        None => cluster.advance(millis),
    }
}

/// curl's progress meter, as it ends when the body goes to a file.
fn progress_meter(bytes: usize, took: Millis) -> String {
    let speed = if took == 0 { bytes } else { bytes * 1000 / took.max(1) as usize };
    format!(
        "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n100 {bytes:>5}  100 {bytes:>5}    0     0 {speed:>6}      0 --:--:-- --:--:-- --:--:-- {speed:>5}\n"
    )
}

/// `--write-out`: `%{variable}`, `%%`, and the escapes `\n`, `\r`, `\t`.
fn write_out(format: &str, transfer: &Transfer, url: &str) -> String {
    let mut out = String::new();
    let mut rest = format;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("%{") {
            if let Some(end) = after.find('}') {
                let variable = &after[..end];
                out.push_str(&match variable {
                    "http_code" | "response_code" => format!("{:03}", transfer.status.unwrap_or(0)),
                    "time_total" | "time_connect" | "time_starttransfer" => {
                        format!("{}.{:06}", transfer.took / 1000, (transfer.took % 1000) * 1000)
                    }
                    "remote_ip" => transfer.remote_ip.clone(),
                    "remote_port" => transfer.port.to_string(),
                    "size_download" => transfer.body.len().to_string(),
                    "url_effective" | "url" => url.to_string(),
                    "content_type" => transfer
                        .headers
                        .lines()
                        .find_map(|l| l.strip_prefix("Content-Type: "))
                        .unwrap_or("")
                        .trim_end()
                        .to_string(),
                    other => format!("%{{{other}}}"),
                });
                rest = &after[end + 1..];
                continue;
            }
        }
        if let Some(after) = rest.strip_prefix("%%") {
            out.push('%');
            rest = after;
            continue;
        }
        if let Some(after) = rest.strip_prefix('\\') {
            match after.chars().next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('t') => out.push('\t'),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            }
            rest = after.get(1..).unwrap_or("");
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combined_short_flags_and_attached_values_parse_as_curl_reads_them() {
        let options = parse(&["-fsSL", "-o/dev/null", "-w", "%{http_code}", "http://web"]).ok().expect("parses");
        assert!(options.fail && options.silent && options.show_error);
        assert_eq!(options.output.as_deref(), Some("/dev/null"));
        assert_eq!(options.write_out.as_deref(), Some("%{http_code}"));
        assert_eq!(options.url.as_deref(), Some("http://web"));
        let options = parse(&["-sSo", "out.html", "web"]).ok().expect("parses");
        assert_eq!(options.output.as_deref(), Some("out.html"));
    }

    #[test]
    fn an_unknown_option_is_curls_two_lines_and_exit_2() {
        let ran = parse(&["--foo", "web"]).err().expect("refused");
        assert_eq!(ran.status, 2);
        assert_eq!(ran.output.text(), "curl: option --foo: is unknown\ncurl: try 'curl --help' for more information\n");
        let ran = parse(&["-o"]).err().expect("refused");
        assert_eq!(
            ran.output.text(),
            "curl: option -o: requires parameter\ncurl: try 'curl --help' for more information\n"
        );
    }

    #[test]
    fn write_out_fills_variables_and_escapes() {
        let transfer = Transfer {
            status: Some(200),
            body: "hello".into(),
            headers: "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n".into(),
            remote_ip: "10.96.0.12".into(),
            port: 8080,
            took: 2,
        };
        assert_eq!(
            write_out(
                "%{http_code} %{remote_ip}:%{remote_port} %{size_download} %{time_total} 100%%\\n",
                &transfer,
                "u"
            ),
            "200 10.96.0.12:8080 5 0.002000 100%\n"
        );
        let failed = Transfer { status: None, ..transfer };
        assert_eq!(write_out("%{http_code}\\n", &failed, "u"), "000\n");
    }
}
