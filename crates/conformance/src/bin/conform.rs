//! `conform`: answers Node call records read on stdin, one JSON line each (see the crate docs).

use std::io::{BufRead, BufWriter, Write};

fn main() {
    let stdin = std::io::stdin().lock();
    let mut out = BufWriter::new(std::io::stdout().lock());
    for line in stdin.split(b'\n') {
        let Ok(line) = line else { break };
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches('\r');
        if text.trim().is_empty() {
            continue;
        }
        let answer = nodestd_conformance::answer_line(text);
        if writeln!(out, "{answer}").is_err() {
            return;
        }
    }
    let _ = out.flush();
}
