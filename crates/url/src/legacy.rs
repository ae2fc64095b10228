//! The legacy `url.parse` / `url.format` / `url.resolve` API, with Node's quirks.
