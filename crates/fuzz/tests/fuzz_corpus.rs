//! Every target on every file of its corpus (`corpus/<target>/`, seeded from the conformance
//! fixtures by `node/seed-corpus.js`, plus the `regression-*` inputs that once failed): no
//! finding. This is the fast, deterministic part of `cargo xtask fuzz`.

use nodestd_fuzz::{TARGETS, corpus, corpus_dir, hex, run_caught};

#[test]
fn every_target_has_a_corpus() {
    for t in TARGETS {
        let n = corpus(t.name).len();
        assert!(
            n > 0,
            "{}: no corpus in {}",
            t.name,
            corpus_dir(t.name).display()
        );
    }
}

#[test]
fn every_corpus_input_passes() {
    let mut failed = Vec::new();
    for t in TARGETS {
        for input in corpus(t.name) {
            if let Err(m) = run_caught(t, &input) {
                failed.push(format!("{}: {m}\n  input hex: {}", t.name, hex(&input)));
            }
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
