//! The only place with `unsafe`, each block with its `// SAFETY:` reason: the OS layer
//! (`signal`) and the inline callback storage (`small_fn`).

pub(crate) mod signal;
pub(crate) mod small_fn;
