//! The only place with `unsafe`, each block with its `// SAFETY:` reason: the OS layer
//! (`signal`), the inline callback storage (`small_fn`) and a cache hint (`prefetch`).

pub(crate) mod prefetch;
pub(crate) mod signal;
pub(crate) mod small_fn;
