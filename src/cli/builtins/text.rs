//! Text tools: echo, printf, grep, head, tail, wc.

use super::super::Ran;

pub(super) fn echo(args: &[&str]) -> Ran {
    let (newline, words) = match args.first() {
        Some(&"-n") => (false, &args[1..]),
        _ => (true, args),
    };
    Ran::out(format!("{}{}", words.join(" "), if newline { "\n" } else { "" }))
}

/// `printf FORMAT [ARG…]`: `%s`, `%d`, `%%` and the `\n \t \\` escapes; the format is
/// reused while arguments remain, as the shell's printf does.
pub(super) fn printf(args: &[&str]) -> Ran {
    let Some((format, mut rest)) = args.split_first() else {
        return Ran::fail("printf: usage: printf format [arguments]\n", 2);
    };
    let mut out = String::new();
    loop {
        let mut used = 0;
        let mut chars = format.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek().copied()) {
                ('\\', Some(e)) => {
                    chars.next();
                    out.push(match e {
                        'n' => '\n',
                        't' => '\t',
                        other => other,
                    });
                }
                ('%', Some('%')) => {
                    chars.next();
                    out.push('%');
                }
                ('%', Some('s' | 'd')) => {
                    chars.next();
                    out.push_str(rest.get(used).copied().unwrap_or(""));
                    used += 1;
                }
                (c, _) => out.push(c),
            }
        }
        if used == 0 || used >= rest.len() {
            break;
        }
        rest = &rest[used..];
    }
    Ran::out(out)
}

pub(super) fn lines_of<'a>(args: &[&'a str], stdin: Option<&'a str>) -> Vec<&'a str> {
    let _ = args;
    stdin.unwrap_or_default().lines().collect()
}

/// grep with fixed strings (-v, -i, -c, -E accepted): enough for filtering kubectl output.
pub(super) fn grep(args: &[&str], stdin: Option<&str>) -> Ran {
    let mut invert = false;
    let mut ignore_case = false;
    let mut count = false;
    let mut pattern = None;
    for arg in args {
        match *arg {
            "-v" => invert = true,
            "-i" => ignore_case = true,
            "-c" => count = true,
            "-E" | "-F" | "-w" => {}
            "-vi" | "-iv" => {
                invert = true;
                ignore_case = true;
            }
            value if pattern.is_none() => pattern = Some(value),
            _ => {}
        }
    }
    let Some(pattern) = pattern else { return Ran::fail("Usage: grep [OPTION]... PATTERNS [FILE]...\n", 2) };
    let alternatives: Vec<String> = pattern
        .split("\\|")
        .chain(if args.contains(&"-E") { pattern.split('|').collect::<Vec<_>>() } else { vec![] })
        .map(|p| if ignore_case { p.to_ascii_lowercase() } else { p.to_string() })
        .collect();
    let matched: Vec<&str> = lines_of(args, stdin)
        .into_iter()
        .filter(|line| {
            let line = if ignore_case { line.to_ascii_lowercase() } else { line.to_string() };
            alternatives.iter().any(|p| line.contains(p.as_str())) != invert
        })
        .collect();
    let status = if matched.is_empty() { 1 } else { 0 };
    let text = if count { format!("{}\n", matched.len()) } else { matched.iter().map(|l| format!("{l}\n")).collect() };
    Ran { status, ..Ran::out(text) }
}

pub(super) fn head_tail(which: &str, args: &[&str], stdin: Option<&str>) -> Ran {
    let mut n = 10usize;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if *arg == "-n" {
            n = iter.next().and_then(|v| v.parse().ok()).unwrap_or(10);
        } else if let Some(number) = arg.strip_prefix('-').and_then(|v| v.parse().ok()) {
            n = number;
        }
    }
    let lines = lines_of(args, stdin);
    let picked: Vec<&str> = if which == "head" {
        lines.iter().take(n).copied().collect()
    } else {
        lines.iter().skip(lines.len().saturating_sub(n)).copied().collect()
    };
    Ran::out(picked.iter().map(|l| format!("{l}\n")).collect::<String>())
}

pub(super) fn wc(args: &[&str], stdin: Option<&str>) -> Ran {
    let text = stdin.unwrap_or_default();
    match args.first() {
        Some(&"-l") => Ran::out(format!("{}\n", text.matches('\n').count())),
        Some(&"-w") => Ran::out(format!("{}\n", text.split_whitespace().count())),
        Some(&"-c") => Ran::out(format!("{}\n", text.len())),
        _ => Ran::out(format!(
            "{:>7} {:>7} {:>7}\n",
            text.matches('\n').count(),
            text.split_whitespace().count(),
            text.len()
        )),
    }
}
