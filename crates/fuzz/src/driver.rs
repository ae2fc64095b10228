//! The seeded random-mutation driver: for one target and one seed, mutate the corpus (bit
//! flips, interesting bytes and strings, deletions, duplications, splices) for a given time,
//! run the target on each input, and stop at the first finding. The same seed on the same
//! corpus replays the same inputs (only how far a timed run gets depends on the machine).

use crate::{Target, corpus, linear, run_caught};
use std::time::{Duration, Instant};

pub use nodestd_conformance::rng::Rng;

/// Strings that reach the corners of nodestd's parsers.
const INTERESTING: &[&[u8]] = &[
    b"\0",
    b"/",
    b"\\",
    b"..",
    b".",
    b"../",
    b"..\\",
    b"//",
    b"\\\\",
    b"\\\\?\\",
    b"\\\\.\\",
    b"C:",
    b"c:\\",
    b":",
    b"?",
    b"#",
    b"@",
    b"%",
    b"%2e",
    b"%2F",
    b"%00",
    b"%zz",
    b"%E2%82",
    b"+",
    b"&",
    b"=",
    b";",
    b"[",
    b"]",
    b"[::1]",
    b"://",
    b"http://",
    b"file:///",
    b"xn--",
    b"--",
    b"-",
    b"--no-",
    b"-vo",
    b"--out=",
    b" ",
    b"\t",
    b"\n",
    b"\r\n",
    b"\xc3\xa9",
    b"\xe2\x82\xac",
    b"\xf0\x9f\x98\x80",
    b"\xed\xa0\x80",
    b"\xff",
    b"\x80",
    b"\x7f",
    b"-----BEGIN ",
    b"-----END ",
    b"PRIVATE KEY-----\n",
    b"PUBLIC KEY-----\n",
    b"\x30\x82",
    b"\x30\x81",
    b"\x02\x01\x00",
    b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01",
    b"\x06\x07\x2a\x86\x48\xce\x3d\x02\x01",
    b"\x1f\x8b\x08",
    b"\x78\x9c",
    b"\x78\x01",
    b"\xff\xff\xff\xff",
    b"\0\0\0\0",
];

/// Inputs are kept below this size, so one execution stays short.
pub const MAX_INPUT: usize = 4096;

/// Mutates `data` in place with one to four random edits; `pool` supplies splices.
pub fn mutate(rng: &mut Rng, data: &mut Vec<u8>, pool: &[Vec<u8>]) {
    for _ in 0..1 + rng.below(4) {
        let len = data.len();
        match rng.below(9) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                data[i] = [0, 0x7f, 0x80, 0xff, b'/', b'\\', b'.', b'%'][rng.below(8)];
            }
            2 | 3 => {
                let s = INTERESTING[rng.below(INTERESTING.len())];
                let at = rng.below(len + 1);
                data.splice(at..at, s.iter().copied());
            }
            4 if len > 0 => {
                let at = rng.below(len);
                let n = 1 + rng.below((len - at).min(16));
                data.drain(at..at + n);
            }
            5 if len > 0 => {
                // Duplicate a range a few times: repetition finds non-linear paths.
                let at = rng.below(len);
                let n = 1 + rng.below((len - at).min(32));
                let piece = data[at..at + n].to_vec();
                for _ in 0..1 + rng.below(8) {
                    data.splice(at..at, piece.iter().copied());
                }
            }
            6 if !pool.is_empty() => {
                let other = &pool[rng.below(pool.len())];
                let from = rng.below(other.len() + 1);
                let to = from + rng.below(other.len() - from + 1);
                let at = rng.below(len + 1);
                data.splice(at..at, other[from..to].iter().copied());
            }
            7 if len > 0 => data.truncate(rng.below(len)),
            _ => {
                let at = rng.below(len + 1);
                data.insert(at, rng.next_u64() as u8);
            }
        }
    }
    data.truncate(MAX_INPUT);
}

/// A failing input.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The target's name.
    pub target: &'static str,
    /// The seed of the run.
    pub seed: u64,
    /// How many executions came before it.
    pub execution: u64,
    /// The input.
    pub input: Vec<u8>,
    /// What the target said.
    pub message: String,
}

/// How a run ended without a finding.
#[derive(Debug, Clone, Copy)]
pub struct Stats {
    /// Executions of the target.
    pub executions: u64,
    /// Linear-time checks made.
    pub linear_checks: u64,
    /// Time spent.
    pub elapsed: Duration,
}

/// Every how many executions the linear-time check runs on the current input.
pub const LINEAR_EVERY: u64 = 4096;

/// Runs `target` on mutations of its corpus for `time` (first every corpus file as it is).
///
/// # Errors
/// The first [`Finding`].
pub fn run(target: &'static Target, seed: u64, time: Duration) -> Result<Stats, Box<Finding>> {
    let start = Instant::now();
    let mut pool = corpus(target.name);
    if pool.is_empty() {
        pool.push(Vec::new());
    }
    let finding = |execution, input: &[u8], message| {
        Box::new(Finding {
            target: target.name,
            seed,
            execution,
            input: input.to_vec(),
            message,
        })
    };
    let mut executions = 0;
    for input in &pool {
        run_caught(target, input).map_err(|m| finding(executions, input, m))?;
        executions += 1;
    }
    let mut rng = Rng::new(seed);
    let mut linear_checks = 0;
    let mut current = pool[0].clone();
    while start.elapsed() < time {
        for _ in 0..64 {
            if rng.below(8) == 0 {
                current = pool[rng.below(pool.len())].clone();
            }
            mutate(&mut rng, &mut current, &pool);
            run_caught(target, &current).map_err(|m| finding(executions, &current, m))?;
            executions += 1;
            if executions % LINEAR_EVERY == 0 {
                linear::check(target, &current).map_err(|m| finding(executions, &current, m))?;
                linear_checks += 1;
            }
        }
    }
    Ok(Stats {
        executions,
        linear_checks,
        elapsed: start.elapsed(),
    })
}
