//! The OS layer: the only place with `unsafe`, each block with its `// SAFETY:` reason.

pub(crate) mod signal;
