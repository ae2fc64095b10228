//! Node's lookup tables, copied from `lib/querystring.js` and `lib/internal/querystring.js`
//! (Node v20).

/// `noEscape`: the ASCII characters `escape` leaves as they are:
/// `! - . _ ~ ' ( ) *`, digits and letters.
#[rustfmt::skip]
pub(crate) const NO_ESCAPE: [u8; 128] = [
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // 0 - 15
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // 16 - 31
    0, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0, // 32 - 47
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, // 48 - 63
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, // 64 - 79
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, // 80 - 95
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, // 96 - 111
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0, // 112 - 127
];

/// `hexTable`: `%XX` (upper-case hex) for every byte.
pub(crate) const HEX_TABLE: [[u8; 3]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut table = [[0u8; 3]; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = [b'%', DIGITS[i >> 4], DIGITS[i & 15]];
        i += 1;
    }
    table
};

/// `hexTable[b]` as a `&str`.
pub(crate) fn hex(b: u8) -> &'static str {
    // Every entry is ASCII.
    std::str::from_utf8(&HEX_TABLE[usize::from(b)]).unwrap_or("%")
}

/// `unhexTable[c]`: the value of a hex digit, `None` for any other code unit (including every
/// code unit above 255, which Node's table lookup answers `undefined`).
pub(crate) fn unhex(c: u16) -> Option<u8> {
    match c {
        0x30..=0x39 => Some((c - 0x30) as u8),
        0x41..=0x46 => Some((c - 0x41 + 10) as u8),
        0x61..=0x66 => Some((c - 0x61 + 10) as u8),
        _ => None,
    }
}

/// `isHexTable[c] === 1`.
pub(crate) fn is_hex(c: u16) -> bool {
    unhex(c).is_some()
}

/// Whether the code unit is left unescaped by `escape`.
pub(crate) fn no_escape(c: u16) -> bool {
    c < 0x80 && NO_ESCAPE[usize::from(c)] == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_table_is_nodes() {
        assert_eq!(hex(0), "%00");
        assert_eq!(hex(0x0a), "%0A");
        assert_eq!(hex(0xff), "%FF");
    }

    #[test]
    fn no_escape_set_is_nodes() {
        let kept: String = (0u16..128)
            .filter(|&c| no_escape(c))
            .map(|c| char::from(c as u8))
            .collect();
        assert_eq!(
            kept,
            "!'()*-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~"
        );
    }
}
