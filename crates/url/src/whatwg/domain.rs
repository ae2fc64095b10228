//! `url.domainToASCII` and `url.domainToUnicode`.

use super::url_class::{URL, idna_to_unicode};

/// `url.domainToASCII(domain)`: the Punycode ASCII serialization of `domain`, or `""` when it
/// is not a valid domain (Node sets it as the hostname of a `ws:` URL and reads it back, so
/// IPv4 shorthands are normalized and IPv6 literals keep their brackets).
///
/// ```
/// use nodestd_url::domain_to_ascii;
/// assert_eq!(domain_to_ascii("español.com"), "xn--espaol-zwa.com");
/// assert_eq!(domain_to_ascii("0x7f.1"), "127.0.0.1");
/// assert_eq!(domain_to_ascii("xn--iñvalid.com"), "");
/// ```
#[doc(alias = "domainToASCII")]
pub fn domain_to_ascii(domain: &str) -> String {
    set_ws_hostname(domain).unwrap_or_default()
}

/// `url.domainToUnicode(domain)`: the Unicode serialization of `domain`, or `""` when it is
/// not a valid domain.
///
/// ```
/// use nodestd_url::domain_to_unicode;
/// assert_eq!(domain_to_unicode("xn--espaol-zwa.com"), "español.com");
/// assert_eq!(domain_to_unicode("xn--iñvalid.com"), "");
/// ```
#[doc(alias = "domainToUnicode")]
pub fn domain_to_unicode(domain: &str) -> String {
    set_ws_hostname(domain)
        .map(|h| idna_to_unicode(&h))
        .unwrap_or_default()
}

/// Node's binding: `ada::parse("ws://x")`, `set_hostname(domain)`, `get_hostname()`.
fn set_ws_hostname(domain: &str) -> Option<String> {
    if domain.is_empty() {
        return None;
    }
    let mut url = URL::parse("ws://x", None).ok()?;
    if !url.set_hostname_checked(domain) {
        return None;
    }
    Some(url.hostname().to_owned())
}
