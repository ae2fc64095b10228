//! `createCipheriv` / `createDecipheriv` with Node's (OpenSSL 3's) state machine, output
//! chunking and errors: GCM (AES, ARIA), ChaCha20-Poly1305, plain ChaCha20 and AES-CTR
//! here; in `modes.rs` the ECB, CBC, CFB, CFB1, CFB8, OFB and CTR modes of every block
//! cipher, AES key wrap, XTS, CCM and OCB; `getCiphers` and `getCipherInfo`.
//!
//! The modes are assembled from RustCrypto primitives (`aes`, `aria`, `camellia`, `sm4`,
//! `des`, `ctr`, `ghash`, `chacha20`, `poly1305`) because Node's API is streaming: `update`
//! returns output at once (CBC emits whole blocks, holding back the last one when decrypting
//! with padding), GCM accepts any IV length from 1 to 128 bytes, and the MACs are fed byte by
//! byte exactly as OpenSSL feeds them (ChaCha20-Poly1305 even accepts AAD after text).

use aes::cipher::consts::U10;
use aes::cipher::inout::InOutBuf;
use aes::cipher::{KeyInit, KeyIvInit, StreamCipher, StreamCipherCore, StreamCipherSeekCore};
use ghash::universal_hash::UniversalHash;
use subtle::ConstantTimeEq;

use crate::modes::{Ccm, Cms3DesWrap, Family, Feedback, FeedbackMode, KeyWrap, Ocb, Padded, Xts};
use crate::{Encoding, Error, ErrorKind};

type Block = aes::Block;

/// Declares the ciphers: each variant with its name, the name `getCipherInfo` reports,
/// OpenSSL's NID, its block cipher, key length and mode (generated from node's
/// `getCipherInfo` of each name).
macro_rules! ciphers {
    ($($variant:ident => $name:literal, $info:literal, $nid:literal, $family:ident,
       $key:literal, $mode:ident;)*) => {
        /// A cipher of `createCipheriv`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum CipherAlgorithm {
            $(#[doc = concat!("`", $name, "`.")] $variant,)*
        }

        impl CipherAlgorithm {
            /// Every cipher this crate implements.
            pub const ALL: &'static [CipherAlgorithm] = &[$(CipherAlgorithm::$variant,)*];

            fn entry(self) -> Entry {
                match self {
                    $(CipherAlgorithm::$variant => Entry {
                        name: $name,
                        info_name: $info,
                        nid: $nid,
                        family: Family::$family,
                        key_len: $key,
                        mode: Mode::$mode,
                    },)*
                }
            }
        }
    };
}

/// A cipher's facts.
struct Entry {
    name: &'static str,
    info_name: &'static str,
    nid: i32,
    family: Family,
    key_len: usize,
    mode: Mode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Ecb,
    Cbc,
    Cfb,
    Cfb1,
    Cfb8,
    Ofb,
    Ctr,
    Gcm,
    ChaChaPoly,
    ChaCha20,
    /// AES key wrap (RFC 3394).
    Wrap,
    /// AES key wrap with padding (RFC 5649).
    WrapPad,
    /// XTS (IEEE Std 1619), with a double-length key.
    Xts,
    /// OCB (RFC 7253).
    Ocb,
    /// CCM (RFC 3610).
    Ccm,
    /// The CMS Triple-DES key wrap (RFC 3217).
    Cms3DesWrap,
    /// OpenSSL's stitched TLS record ciphers (`aes-*-cbc-hmac-sha*`). Outside TLS (Node
    /// cannot set their MAC key or record length) they are AES-CBC without padding whose
    /// every `update` must be whole blocks.
    CbcHmac,
}

ciphers! {
    Aes128Cbc => "aes-128-cbc", "aes-128-cbc", 419, Aes, 16, Cbc;
    Aes128Cfb => "aes-128-cfb", "aes-128-cfb", 421, Aes, 16, Cfb;
    Aes128Cfb1 => "aes-128-cfb1", "aes-128-cfb1", 650, Aes, 16, Cfb1;
    Aes128Cfb8 => "aes-128-cfb8", "aes-128-cfb8", 653, Aes, 16, Cfb8;
    Aes128Ctr => "aes-128-ctr", "aes-128-ctr", 904, Aes, 16, Ctr;
    Aes128Ecb => "aes-128-ecb", "aes-128-ecb", 418, Aes, 16, Ecb;
    Aes128Gcm => "aes-128-gcm", "id-aes128-gcm", 895, Aes, 16, Gcm;
    Aes128Ofb => "aes-128-ofb", "aes-128-ofb", 420, Aes, 16, Ofb;
    Aes192Cbc => "aes-192-cbc", "aes-192-cbc", 423, Aes, 24, Cbc;
    Aes192Cfb => "aes-192-cfb", "aes-192-cfb", 425, Aes, 24, Cfb;
    Aes192Cfb1 => "aes-192-cfb1", "aes-192-cfb1", 651, Aes, 24, Cfb1;
    Aes192Cfb8 => "aes-192-cfb8", "aes-192-cfb8", 654, Aes, 24, Cfb8;
    Aes192Ctr => "aes-192-ctr", "aes-192-ctr", 905, Aes, 24, Ctr;
    Aes192Ecb => "aes-192-ecb", "aes-192-ecb", 422, Aes, 24, Ecb;
    Aes192Gcm => "aes-192-gcm", "id-aes192-gcm", 898, Aes, 24, Gcm;
    Aes192Ofb => "aes-192-ofb", "aes-192-ofb", 424, Aes, 24, Ofb;
    Aes256Cbc => "aes-256-cbc", "aes-256-cbc", 427, Aes, 32, Cbc;
    Aes128CbcHmacSha1 => "aes-128-cbc-hmac-sha1", "aes-128-cbc-hmac-sha1", 916, Aes, 16, CbcHmac;
    Aes256CbcHmacSha1 => "aes-256-cbc-hmac-sha1", "aes-256-cbc-hmac-sha1", 918, Aes, 32, CbcHmac;
    Aes128CbcHmacSha256 => "aes-128-cbc-hmac-sha256", "aes-128-cbc-hmac-sha256", 948, Aes, 16, CbcHmac;
    Aes256CbcHmacSha256 => "aes-256-cbc-hmac-sha256", "aes-256-cbc-hmac-sha256", 950, Aes, 32, CbcHmac;
    Aes256Cfb => "aes-256-cfb", "aes-256-cfb", 429, Aes, 32, Cfb;
    Aes256Cfb1 => "aes-256-cfb1", "aes-256-cfb1", 652, Aes, 32, Cfb1;
    Aes256Cfb8 => "aes-256-cfb8", "aes-256-cfb8", 655, Aes, 32, Cfb8;
    Aes256Ctr => "aes-256-ctr", "aes-256-ctr", 906, Aes, 32, Ctr;
    Aes256Ecb => "aes-256-ecb", "aes-256-ecb", 426, Aes, 32, Ecb;
    Aes256Gcm => "aes-256-gcm", "id-aes256-gcm", 901, Aes, 32, Gcm;
    Aes256Ofb => "aes-256-ofb", "aes-256-ofb", 428, Aes, 32, Ofb;
    Aes128Wrap => "id-aes128-wrap", "id-aes128-wrap", 788, Aes, 16, Wrap;
    Aes192Wrap => "id-aes192-wrap", "id-aes192-wrap", 789, Aes, 24, Wrap;
    Aes256Wrap => "id-aes256-wrap", "id-aes256-wrap", 790, Aes, 32, Wrap;
    Aes128WrapPad => "id-aes128-wrap-pad", "id-aes128-wrap-pad", 897, Aes, 16, WrapPad;
    Aes192WrapPad => "id-aes192-wrap-pad", "id-aes192-wrap-pad", 900, Aes, 24, WrapPad;
    Aes256WrapPad => "id-aes256-wrap-pad", "id-aes256-wrap-pad", 903, Aes, 32, WrapPad;
    Aes128Xts => "aes-128-xts", "aes-128-xts", 913, Aes, 32, Xts;
    Aes256Xts => "aes-256-xts", "aes-256-xts", 914, Aes, 64, Xts;
    Aes128Ocb => "aes-128-ocb", "aes-128-ocb", 958, Aes, 16, Ocb;
    Aes192Ocb => "aes-192-ocb", "aes-192-ocb", 959, Aes, 24, Ocb;
    Aes256Ocb => "aes-256-ocb", "aes-256-ocb", 960, Aes, 32, Ocb;
    Aes128Ccm => "aes-128-ccm", "id-aes128-ccm", 896, Aes, 16, Ccm;
    Aes192Ccm => "aes-192-ccm", "id-aes192-ccm", 899, Aes, 24, Ccm;
    Aes256Ccm => "aes-256-ccm", "id-aes256-ccm", 902, Aes, 32, Ccm;
    DesEde3Wrap => "id-smime-alg-cms3deswrap", "id-smime-alg-cms3deswrap", 246, Tdes3, 24, Cms3DesWrap;
    Aria128Ccm => "aria-128-ccm", "aria-128-ccm", 1120, Aria, 16, Ccm;
    Aria192Ccm => "aria-192-ccm", "aria-192-ccm", 1121, Aria, 24, Ccm;
    Aria256Ccm => "aria-256-ccm", "aria-256-ccm", 1122, Aria, 32, Ccm;
    Aria128Cbc => "aria-128-cbc", "aria-128-cbc", 1066, Aria, 16, Cbc;
    Aria128Cfb => "aria-128-cfb", "aria-128-cfb", 1067, Aria, 16, Cfb;
    Aria128Cfb1 => "aria-128-cfb1", "aria-128-cfb1", 1080, Aria, 16, Cfb1;
    Aria128Cfb8 => "aria-128-cfb8", "aria-128-cfb8", 1083, Aria, 16, Cfb8;
    Aria128Ctr => "aria-128-ctr", "aria-128-ctr", 1069, Aria, 16, Ctr;
    Aria128Ecb => "aria-128-ecb", "aria-128-ecb", 1065, Aria, 16, Ecb;
    Aria128Ofb => "aria-128-ofb", "aria-128-ofb", 1068, Aria, 16, Ofb;
    Aria192Cbc => "aria-192-cbc", "aria-192-cbc", 1071, Aria, 24, Cbc;
    Aria192Cfb => "aria-192-cfb", "aria-192-cfb", 1072, Aria, 24, Cfb;
    Aria192Cfb1 => "aria-192-cfb1", "aria-192-cfb1", 1081, Aria, 24, Cfb1;
    Aria192Cfb8 => "aria-192-cfb8", "aria-192-cfb8", 1084, Aria, 24, Cfb8;
    Aria192Ctr => "aria-192-ctr", "aria-192-ctr", 1074, Aria, 24, Ctr;
    Aria192Ecb => "aria-192-ecb", "aria-192-ecb", 1070, Aria, 24, Ecb;
    Aria192Ofb => "aria-192-ofb", "aria-192-ofb", 1073, Aria, 24, Ofb;
    Aria256Cbc => "aria-256-cbc", "aria-256-cbc", 1076, Aria, 32, Cbc;
    Aria256Cfb => "aria-256-cfb", "aria-256-cfb", 1077, Aria, 32, Cfb;
    Aria256Cfb1 => "aria-256-cfb1", "aria-256-cfb1", 1082, Aria, 32, Cfb1;
    Aria256Cfb8 => "aria-256-cfb8", "aria-256-cfb8", 1085, Aria, 32, Cfb8;
    Aria256Ctr => "aria-256-ctr", "aria-256-ctr", 1079, Aria, 32, Ctr;
    Aria256Ecb => "aria-256-ecb", "aria-256-ecb", 1075, Aria, 32, Ecb;
    Aria256Ofb => "aria-256-ofb", "aria-256-ofb", 1078, Aria, 32, Ofb;
    Aria128Gcm => "aria-128-gcm", "aria-128-gcm", 1123, Aria, 16, Gcm;
    Aria192Gcm => "aria-192-gcm", "aria-192-gcm", 1124, Aria, 24, Gcm;
    Aria256Gcm => "aria-256-gcm", "aria-256-gcm", 1125, Aria, 32, Gcm;
    Camellia128Cbc => "camellia-128-cbc", "camellia-128-cbc", 751, Camellia, 16, Cbc;
    Camellia128Cfb => "camellia-128-cfb", "camellia-128-cfb", 757, Camellia, 16, Cfb;
    Camellia128Cfb1 => "camellia-128-cfb1", "camellia-128-cfb1", 760, Camellia, 16, Cfb1;
    Camellia128Cfb8 => "camellia-128-cfb8", "camellia-128-cfb8", 763, Camellia, 16, Cfb8;
    Camellia128Ctr => "camellia-128-ctr", "camellia-128-ctr", 963, Camellia, 16, Ctr;
    Camellia128Ecb => "camellia-128-ecb", "camellia-128-ecb", 754, Camellia, 16, Ecb;
    Camellia128Ofb => "camellia-128-ofb", "camellia-128-ofb", 766, Camellia, 16, Ofb;
    Camellia192Cbc => "camellia-192-cbc", "camellia-192-cbc", 752, Camellia, 24, Cbc;
    Camellia192Cfb => "camellia-192-cfb", "camellia-192-cfb", 758, Camellia, 24, Cfb;
    Camellia192Cfb1 => "camellia-192-cfb1", "camellia-192-cfb1", 761, Camellia, 24, Cfb1;
    Camellia192Cfb8 => "camellia-192-cfb8", "camellia-192-cfb8", 764, Camellia, 24, Cfb8;
    Camellia192Ctr => "camellia-192-ctr", "camellia-192-ctr", 967, Camellia, 24, Ctr;
    Camellia192Ecb => "camellia-192-ecb", "camellia-192-ecb", 755, Camellia, 24, Ecb;
    Camellia192Ofb => "camellia-192-ofb", "camellia-192-ofb", 767, Camellia, 24, Ofb;
    Camellia256Cbc => "camellia-256-cbc", "camellia-256-cbc", 753, Camellia, 32, Cbc;
    Camellia256Cfb => "camellia-256-cfb", "camellia-256-cfb", 759, Camellia, 32, Cfb;
    Camellia256Cfb1 => "camellia-256-cfb1", "camellia-256-cfb1", 762, Camellia, 32, Cfb1;
    Camellia256Cfb8 => "camellia-256-cfb8", "camellia-256-cfb8", 765, Camellia, 32, Cfb8;
    Camellia256Ctr => "camellia-256-ctr", "camellia-256-ctr", 971, Camellia, 32, Ctr;
    Camellia256Ecb => "camellia-256-ecb", "camellia-256-ecb", 756, Camellia, 32, Ecb;
    Camellia256Ofb => "camellia-256-ofb", "camellia-256-ofb", 768, Camellia, 32, Ofb;
    ChaCha20 => "chacha20", "chacha20", 1019, ChaCha, 32, ChaCha20;
    ChaCha20Poly1305 => "chacha20-poly1305", "chacha20-poly1305", 1018, ChaCha, 32, ChaChaPoly;
    DesEdeEcb => "des-ede", "des-ede", 32, Tdes2, 16, Ecb;
    DesEdeCbc => "des-ede-cbc", "des-ede-cbc", 43, Tdes2, 16, Cbc;
    DesEdeCfb => "des-ede-cfb", "des-ede-cfb", 60, Tdes2, 16, Cfb;
    DesEdeOfb => "des-ede-ofb", "des-ede-ofb", 62, Tdes2, 16, Ofb;
    DesEde3Ecb => "des-ede3", "des-ede3", 33, Tdes3, 24, Ecb;
    DesEde3Cbc => "des-ede3-cbc", "des-ede3-cbc", 44, Tdes3, 24, Cbc;
    DesEde3Cfb => "des-ede3-cfb", "des-ede3-cfb", 61, Tdes3, 24, Cfb;
    DesEde3Cfb1 => "des-ede3-cfb1", "des-ede3-cfb1", 658, Tdes3, 24, Cfb1;
    DesEde3Cfb8 => "des-ede3-cfb8", "des-ede3-cfb8", 659, Tdes3, 24, Cfb8;
    DesEde3Ofb => "des-ede3-ofb", "des-ede3-ofb", 63, Tdes3, 24, Ofb;
    Sm4Cbc => "sm4-cbc", "sm4-cbc", 1134, Sm4, 16, Cbc;
    Sm4Cfb => "sm4-cfb", "sm4-cfb", 1137, Sm4, 16, Cfb;
    Sm4Ctr => "sm4-ctr", "sm4-ctr", 1139, Sm4, 16, Ctr;
    Sm4Ecb => "sm4-ecb", "sm4-ecb", 1133, Sm4, 16, Ecb;
    Sm4Ofb => "sm4-ofb", "sm4-ofb", 1135, Sm4, 16, Ofb;
}

/// The names of Node's `getCiphers()` (lowercase), each with its cipher.
const CIPHER_NAMES: &[(&str, CipherAlgorithm)] = {
    use CipherAlgorithm::*;
    &[
        ("aes-128-cbc", Aes128Cbc),
        ("aes128", Aes128Cbc),
        ("aes-128-cfb", Aes128Cfb),
        ("aes-128-cfb1", Aes128Cfb1),
        ("aes-128-cfb8", Aes128Cfb8),
        ("aes-128-ctr", Aes128Ctr),
        ("aes-128-ecb", Aes128Ecb),
        ("aes-128-gcm", Aes128Gcm),
        ("id-aes128-gcm", Aes128Gcm),
        ("aes-128-ofb", Aes128Ofb),
        ("aes-192-cbc", Aes192Cbc),
        ("aes192", Aes192Cbc),
        ("aes-192-cfb", Aes192Cfb),
        ("aes-192-cfb1", Aes192Cfb1),
        ("aes-192-cfb8", Aes192Cfb8),
        ("aes-192-ctr", Aes192Ctr),
        ("aes-192-ecb", Aes192Ecb),
        ("aes-192-gcm", Aes192Gcm),
        ("id-aes192-gcm", Aes192Gcm),
        ("aes-192-ofb", Aes192Ofb),
        ("aes-256-cbc", Aes256Cbc),
        ("aes256", Aes256Cbc),
        ("aes-256-cfb", Aes256Cfb),
        ("aes-256-cfb1", Aes256Cfb1),
        ("aes-256-cfb8", Aes256Cfb8),
        ("aes-256-ctr", Aes256Ctr),
        ("aes-256-ecb", Aes256Ecb),
        ("aes-256-gcm", Aes256Gcm),
        ("id-aes256-gcm", Aes256Gcm),
        ("aes-256-ofb", Aes256Ofb),
        ("aria-128-cbc", Aria128Cbc),
        ("aria128", Aria128Cbc),
        ("aria-128-cfb", Aria128Cfb),
        ("aria-128-cfb1", Aria128Cfb1),
        ("aria-128-cfb8", Aria128Cfb8),
        ("aria-128-ctr", Aria128Ctr),
        ("aria-128-ecb", Aria128Ecb),
        ("aria-128-ofb", Aria128Ofb),
        ("aria-192-cbc", Aria192Cbc),
        ("aria192", Aria192Cbc),
        ("aria-192-cfb", Aria192Cfb),
        ("aria-192-cfb1", Aria192Cfb1),
        ("aria-192-cfb8", Aria192Cfb8),
        ("aria-192-ctr", Aria192Ctr),
        ("aria-192-ecb", Aria192Ecb),
        ("aria-192-ofb", Aria192Ofb),
        ("aria-256-cbc", Aria256Cbc),
        ("aria256", Aria256Cbc),
        ("aria-256-cfb", Aria256Cfb),
        ("aria-256-cfb1", Aria256Cfb1),
        ("aria-256-cfb8", Aria256Cfb8),
        ("aria-256-ctr", Aria256Ctr),
        ("aria-256-ecb", Aria256Ecb),
        ("aria-256-ofb", Aria256Ofb),
        ("camellia-128-cbc", Camellia128Cbc),
        ("camellia128", Camellia128Cbc),
        ("camellia-128-cfb", Camellia128Cfb),
        ("camellia-128-cfb1", Camellia128Cfb1),
        ("camellia-128-cfb8", Camellia128Cfb8),
        ("camellia-128-ctr", Camellia128Ctr),
        ("camellia-128-ecb", Camellia128Ecb),
        ("camellia-128-ofb", Camellia128Ofb),
        ("camellia-192-cbc", Camellia192Cbc),
        ("camellia192", Camellia192Cbc),
        ("camellia-192-cfb", Camellia192Cfb),
        ("camellia-192-cfb1", Camellia192Cfb1),
        ("camellia-192-cfb8", Camellia192Cfb8),
        ("camellia-192-ctr", Camellia192Ctr),
        ("camellia-192-ecb", Camellia192Ecb),
        ("camellia-192-ofb", Camellia192Ofb),
        ("camellia-256-cbc", Camellia256Cbc),
        ("camellia256", Camellia256Cbc),
        ("camellia-256-cfb", Camellia256Cfb),
        ("camellia-256-cfb1", Camellia256Cfb1),
        ("camellia-256-cfb8", Camellia256Cfb8),
        ("camellia-256-ctr", Camellia256Ctr),
        ("camellia-256-ecb", Camellia256Ecb),
        ("camellia-256-ofb", Camellia256Ofb),
        ("chacha20", ChaCha20),
        ("chacha20-poly1305", ChaCha20Poly1305),
        ("des-ede", DesEdeEcb),
        ("des-ede-ecb", DesEdeEcb),
        ("des-ede-cbc", DesEdeCbc),
        ("des-ede-cfb", DesEdeCfb),
        ("des-ede-ofb", DesEdeOfb),
        ("des-ede3", DesEde3Ecb),
        ("des-ede3-ecb", DesEde3Ecb),
        ("des-ede3-cbc", DesEde3Cbc),
        ("des3", DesEde3Cbc),
        ("des-ede3-cfb", DesEde3Cfb),
        ("des-ede3-cfb1", DesEde3Cfb1),
        ("des-ede3-cfb8", DesEde3Cfb8),
        ("des-ede3-ofb", DesEde3Ofb),
        ("sm4", Sm4Cbc),
        ("sm4-cbc", Sm4Cbc),
        ("sm4-cfb", Sm4Cfb),
        ("sm4-ctr", Sm4Ctr),
        ("sm4-ecb", Sm4Ecb),
        ("sm4-ofb", Sm4Ofb),
        ("aes128-wrap", Aes128Wrap),
        ("aes192-wrap", Aes192Wrap),
        ("aes256-wrap", Aes256Wrap),
        ("id-aes128-wrap", Aes128Wrap),
        ("id-aes192-wrap", Aes192Wrap),
        ("id-aes256-wrap", Aes256Wrap),
        ("id-aes128-wrap-pad", Aes128WrapPad),
        ("id-aes192-wrap-pad", Aes192WrapPad),
        ("id-aes256-wrap-pad", Aes256WrapPad),
        ("aria-128-gcm", Aria128Gcm),
        ("aria-192-gcm", Aria192Gcm),
        ("aria-256-gcm", Aria256Gcm),
        ("aes-128-xts", Aes128Xts),
        ("aes-256-xts", Aes256Xts),
        ("aes-128-ocb", Aes128Ocb),
        ("aes-192-ocb", Aes192Ocb),
        ("aes-256-ocb", Aes256Ocb),
        ("aes-128-ccm", Aes128Ccm),
        ("aes-192-ccm", Aes192Ccm),
        ("aes-256-ccm", Aes256Ccm),
        ("id-aes128-ccm", Aes128Ccm),
        ("id-aes192-ccm", Aes192Ccm),
        ("id-aes256-ccm", Aes256Ccm),
        ("aria-128-ccm", Aria128Ccm),
        ("aria-192-ccm", Aria192Ccm),
        ("aria-256-ccm", Aria256Ccm),
        ("des3-wrap", DesEde3Wrap),
        ("id-smime-alg-cms3deswrap", DesEde3Wrap),
        ("aes-128-cbc-hmac-sha1", Aes128CbcHmacSha1),
        ("aes-256-cbc-hmac-sha1", Aes256CbcHmacSha1),
        ("aes-128-cbc-hmac-sha256", Aes128CbcHmacSha256),
        ("aes-256-cbc-hmac-sha256", Aes256CbcHmacSha256),
    ]
};

/// The other names and the OIDs OpenSSL resolves (from `openssl list -cipher-algorithms`,
/// each checked against node by the names differential), which `getCiphers()` leaves out.
const OTHER_CIPHER_NAMES: &[(&str, CipherAlgorithm)] = {
    use CipherAlgorithm::*;
    &[
        ("sm4-cfb128", Sm4Cfb),
        ("1.2.840.113549.1.9.16.3.6", DesEde3Wrap),
        ("2.16.840.1.101.3.4.1.7", Aes128Ccm),
        ("2.16.840.1.101.3.4.1.27", Aes192Ccm),
        ("2.16.840.1.101.3.4.1.47", Aes256Ccm),
        ("1.2.410.200046.1.1.37", Aria128Ccm),
        ("1.2.410.200046.1.1.38", Aria192Ccm),
        ("1.2.410.200046.1.1.39", Aria256Ccm),
        ("1.3.111.2.1619.0.1.1", Aes128Xts),
        ("1.3.111.2.1619.0.1.2", Aes256Xts),
        ("1.2.410.200046.1.1.34", Aria128Gcm),
        ("1.2.410.200046.1.1.35", Aria192Gcm),
        ("1.2.410.200046.1.1.36", Aria256Gcm),
        ("aes-128-wrap", Aes128Wrap),
        ("aes-192-wrap", Aes192Wrap),
        ("aes-256-wrap", Aes256Wrap),
        ("aes-128-wrap-pad", Aes128WrapPad),
        ("aes-192-wrap-pad", Aes192WrapPad),
        ("aes-256-wrap-pad", Aes256WrapPad),
        ("aes128-wrap-pad", Aes128WrapPad),
        ("aes192-wrap-pad", Aes192WrapPad),
        ("aes256-wrap-pad", Aes256WrapPad),
        ("2.16.840.1.101.3.4.1.5", Aes128Wrap),
        ("2.16.840.1.101.3.4.1.25", Aes192Wrap),
        ("2.16.840.1.101.3.4.1.45", Aes256Wrap),
        ("2.16.840.1.101.3.4.1.8", Aes128WrapPad),
        ("2.16.840.1.101.3.4.1.28", Aes192WrapPad),
        ("2.16.840.1.101.3.4.1.48", Aes256WrapPad),
        ("sm4-ofb128", Sm4Ofb),
        ("0.3.4401.5.3.1.9.1", Camellia128Ecb),
        ("0.3.4401.5.3.1.9.3", Camellia128Ofb),
        ("0.3.4401.5.3.1.9.4", Camellia128Cfb),
        ("0.3.4401.5.3.1.9.9", Camellia128Ctr),
        ("0.3.4401.5.3.1.9.21", Camellia192Ecb),
        ("0.3.4401.5.3.1.9.23", Camellia192Ofb),
        ("0.3.4401.5.3.1.9.24", Camellia192Cfb),
        ("0.3.4401.5.3.1.9.29", Camellia192Ctr),
        ("0.3.4401.5.3.1.9.41", Camellia256Ecb),
        ("0.3.4401.5.3.1.9.43", Camellia256Ofb),
        ("0.3.4401.5.3.1.9.44", Camellia256Cfb),
        ("0.3.4401.5.3.1.9.49", Camellia256Ctr),
        ("1.2.156.10197.1.104.1", Sm4Ecb),
        ("1.2.156.10197.1.104.2", Sm4Cbc),
        ("1.2.156.10197.1.104.3", Sm4Ofb),
        ("1.2.156.10197.1.104.4", Sm4Cfb),
        ("1.2.156.10197.1.104.7", Sm4Ctr),
        ("1.2.392.200011.61.1.1.1.2", Camellia128Cbc),
        ("1.2.392.200011.61.1.1.1.3", Camellia192Cbc),
        ("1.2.392.200011.61.1.1.1.4", Camellia256Cbc),
        ("1.2.410.200046.1.1.1", Aria128Ecb),
        ("1.2.410.200046.1.1.2", Aria128Cbc),
        ("1.2.410.200046.1.1.3", Aria128Cfb),
        ("1.2.410.200046.1.1.4", Aria128Ofb),
        ("1.2.410.200046.1.1.5", Aria128Ctr),
        ("1.2.410.200046.1.1.6", Aria192Ecb),
        ("1.2.410.200046.1.1.7", Aria192Cbc),
        ("1.2.410.200046.1.1.8", Aria192Cfb),
        ("1.2.410.200046.1.1.9", Aria192Ofb),
        ("1.2.410.200046.1.1.10", Aria192Ctr),
        ("1.2.410.200046.1.1.11", Aria256Ecb),
        ("1.2.410.200046.1.1.12", Aria256Cbc),
        ("1.2.410.200046.1.1.13", Aria256Cfb),
        ("1.2.410.200046.1.1.14", Aria256Ofb),
        ("1.2.410.200046.1.1.15", Aria256Ctr),
        ("1.2.840.113549.3.7", DesEde3Cbc),
        ("1.3.14.3.2.17", DesEdeEcb),
        ("2.16.840.1.101.3.4.1.1", Aes128Ecb),
        ("2.16.840.1.101.3.4.1.2", Aes128Cbc),
        ("2.16.840.1.101.3.4.1.3", Aes128Ofb),
        ("2.16.840.1.101.3.4.1.4", Aes128Cfb),
        ("2.16.840.1.101.3.4.1.6", Aes128Gcm),
        ("2.16.840.1.101.3.4.1.21", Aes192Ecb),
        ("2.16.840.1.101.3.4.1.22", Aes192Cbc),
        ("2.16.840.1.101.3.4.1.23", Aes192Ofb),
        ("2.16.840.1.101.3.4.1.24", Aes192Cfb),
        ("2.16.840.1.101.3.4.1.26", Aes192Gcm),
        ("2.16.840.1.101.3.4.1.41", Aes256Ecb),
        ("2.16.840.1.101.3.4.1.42", Aes256Cbc),
        ("2.16.840.1.101.3.4.1.43", Aes256Ofb),
        ("2.16.840.1.101.3.4.1.44", Aes256Cfb),
        ("2.16.840.1.101.3.4.1.46", Aes256Gcm),
    ]
};

/// The largest GCM IV OpenSSL accepts, in bytes.
const GCM_MAX_IV: usize = 128;

/// The largest OCB nonce, in bytes (RFC 7253).
const OCB_MAX_IV: usize = 15;

/// The CCM nonce lengths, in bytes (RFC 3610: 15 less a length field of 2 to 8 bytes).
const CCM_IV: std::ops::RangeInclusive<usize> = 7..=13;

fn invalid_messagelen() -> Error {
    Error::new(ErrorKind::InvalidMessagelen, "Invalid message length")
}

impl CipherAlgorithm {
    /// Resolves a cipher name as `createCipheriv` does (case-insensitive, with OpenSSL's
    /// aliases and OIDs).
    ///
    /// ```
    /// use nodestd_crypto::CipherAlgorithm;
    /// assert_eq!(CipherAlgorithm::from_name("AES256")?, CipherAlgorithm::Aes256Cbc);
    /// # Ok::<(), nodestd_crypto::Error>(())
    /// ```
    ///
    /// # Errors
    /// `ERR_CRYPTO_UNKNOWN_CIPHER` for other names.
    pub fn from_name(name: &str) -> Result<CipherAlgorithm, Error> {
        let name = name.split('\0').next().unwrap_or("").to_ascii_lowercase();
        CIPHER_NAMES
            .iter()
            .chain(OTHER_CIPHER_NAMES)
            .find(|(n, _)| *n == name)
            .map(|(_, a)| *a)
            .ok_or_else(|| Error::new(ErrorKind::UnknownCipher, "Unknown cipher"))
    }

    /// Node's (lowercase) name of the cipher.
    pub fn name(self) -> &'static str {
        self.entry().name
    }

    /// The key length in bytes.
    pub fn key_len(self) -> usize {
        self.entry().key_len
    }

    /// The (default) IV length in bytes: 0 for ECB, which takes none; 8 for AES key wrap
    /// and 4 for key wrap with padding (the integrity check value); 12 for GCM (which
    /// accepts 1 to 128) and ChaCha20-Poly1305; 16 for ChaCha20; the block size (16, or 8
    /// for Triple DES) for the other modes.
    pub fn iv_len(self) -> usize {
        match self.mode() {
            Mode::Ecb | Mode::Cms3DesWrap => 0,
            Mode::WrapPad => 4,
            Mode::Wrap => 8,
            Mode::Gcm | Mode::ChaChaPoly | Mode::Ocb | Mode::Ccm => 12,
            Mode::ChaCha20 => 16,
            _ => self.entry().family.block_size(),
        }
    }

    /// The block size in bytes: the cipher's (16, or 8 for Triple DES) for ECB and CBC, 8
    /// for the key wraps, 1 for the stream modes.
    pub fn block_size(self) -> usize {
        match self.mode() {
            Mode::Ecb | Mode::Cbc | Mode::CbcHmac | Mode::Ocb => self.entry().family.block_size(),
            Mode::Wrap | Mode::WrapPad | Mode::Cms3DesWrap => 8,
            _ => 1,
        }
    }

    /// Whether the cipher is authenticated (GCM, OCB, CCM, ChaCha20-Poly1305).
    pub fn is_aead(self) -> bool {
        matches!(
            self.mode(),
            Mode::Gcm | Mode::Ocb | Mode::Ccm | Mode::ChaChaPoly
        )
    }

    fn mode(self) -> Mode {
        self.entry().mode
    }

    /// OpenSSL's numeric identifier (NID) of the cipher, as `getCipherInfo` reports it.
    pub fn nid(self) -> i32 {
        self.entry().nid
    }
}

/// `crypto.getCiphers()`: Node's list, in its (sorted) order: every cipher under each name
/// Node lists for it (a test compares it with a live node's).
///
/// ```
/// assert!(nodestd_crypto::get_ciphers().contains(&"chacha20"));
/// ```
#[doc(alias = "getCiphers")]
pub fn get_ciphers() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = CIPHER_NAMES
        .iter()
        .map(|(n, _)| match *n {
            // Node lists OpenSSL's spelling of these aliases.
            "id-aes128-gcm" => "id-aes128-GCM",
            "id-aes192-gcm" => "id-aes192-GCM",
            "id-aes256-gcm" => "id-aes256-GCM",
            "id-aes128-ccm" => "id-aes128-CCM",
            "id-aes192-ccm" => "id-aes192-CCM",
            "id-aes256-ccm" => "id-aes256-CCM",
            "id-smime-alg-cms3deswrap" => "id-smime-alg-CMS3DESwrap",
            n => n,
        })
        .collect();
    names.sort_unstable();
    names
}

/// What `crypto.getCipherInfo()` returns for a cipher.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CipherInfo {
    /// `name`: OpenSSL's short name, lowercase (`id-aes128-gcm` for `aes-128-gcm`).
    pub name: &'static str,
    /// `nid`: OpenSSL's numeric identifier.
    pub nid: i32,
    /// `mode`: `cbc`, `ctr`, `gcm`, `stream` …
    pub mode: &'static str,
    /// `blockSize`: absent for stream ciphers (`chacha20`, `chacha20-poly1305`); 1 for the
    /// counter modes.
    pub block_size: Option<usize>,
    /// `ivLength`: absent for ciphers without an IV; the `ivLength` asked for when it was
    /// given and valid.
    pub iv_length: Option<usize>,
    /// `keyLength`.
    pub key_length: usize,
}

/// The options of `crypto.getCipherInfo(nameOrNid, options)`: lengths to test the cipher
/// with. When one is given and the cipher refuses it, the answer is `undefined` (`None`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CipherInfoOptions {
    /// `keyLength`.
    pub key_length: Option<i32>,
    /// `ivLength`.
    pub iv_length: Option<i32>,
}

/// `crypto.getCipherInfo(name, options)`: the cipher's facts, or `None` (Node's `undefined`)
/// for an unknown name, or when `options` asks
/// for a length the cipher refuses.
///
/// ```
/// use nodestd_crypto::{get_cipher_info, CipherInfoOptions};
/// let info = get_cipher_info("chacha20", CipherInfoOptions::default()).unwrap();
/// assert_eq!((info.nid, info.iv_length, info.block_size), (1019, Some(16), None));
/// ```
#[doc(alias = "getCipherInfo")]
pub fn get_cipher_info(name: &str, options: CipherInfoOptions) -> Option<CipherInfo> {
    cipher_info(CipherAlgorithm::from_name(name).ok()?, options)
}

/// `crypto.getCipherInfo(nid, options)`: as [`get_cipher_info`], by OpenSSL's numeric
/// identifier.
#[doc(alias = "getCipherInfo")]
pub fn get_cipher_info_by_nid(nid: i32, options: CipherInfoOptions) -> Option<CipherInfo> {
    let algorithm = *CipherAlgorithm::ALL.iter().find(|a| a.nid() == nid)?;
    cipher_info(algorithm, options)
}

/// Node's `GetCipherInfo`: a key length must be the cipher's; an IV length must be the
/// cipher's, except for GCM, which takes what its IV-length control takes (1 to 128).
fn cipher_info(algorithm: CipherAlgorithm, options: CipherInfoOptions) -> Option<CipherInfo> {
    let mode = algorithm.mode();
    let mut iv_length = algorithm.iv_len();
    if let Some(n) = options.key_length {
        if usize::try_from(n).ok() != Some(algorithm.key_len()) {
            return None;
        }
    }
    if let Some(n) = options.iv_length {
        let n = usize::try_from(n).ok()?;
        let ok = match mode {
            Mode::Gcm => (1..=GCM_MAX_IV).contains(&n),
            Mode::Ocb => (1..=OCB_MAX_IV).contains(&n),
            Mode::Ccm => CCM_IV.contains(&n),
            _ => n == iv_length,
        };
        if !ok {
            return None;
        }
        iv_length = n;
    }
    let mode_name = match mode {
        Mode::Ecb => "ecb",
        Mode::Cbc | Mode::CbcHmac => "cbc",
        Mode::Cfb | Mode::Cfb1 | Mode::Cfb8 => "cfb",
        Mode::Ofb => "ofb",
        Mode::Ctr => "ctr",
        Mode::Gcm => "gcm",
        Mode::ChaChaPoly | Mode::ChaCha20 => "stream",
        Mode::Wrap | Mode::WrapPad | Mode::Cms3DesWrap => "wrap",
        Mode::Xts => "xts",
        Mode::Ocb => "ocb",
        Mode::Ccm => "ccm",
    };
    let block_size = Some(algorithm.block_size()).filter(|_| mode_name != "stream");
    Some(CipherInfo {
        name: algorithm.entry().info_name,
        nid: algorithm.nid(),
        mode: mode_name,
        block_size,
        iv_length: Some(iv_length).filter(|&n| n > 0),
        key_length: algorithm.key_len(),
    })
}

// ---------------------------------------------------------------------------------------
// Primitives.

/// A counter-mode keystream: the whole 128-bit counter for CTR, the low 32 bits for GCM.
/// AES runs through the `ctr` crate (AES-NI, blocks in parallel); the other block ciphers
/// through [`Feedback`].
enum CounterStream {
    Aes(Box<dyn Keystream>),
    Other(Box<Feedback>),
}

/// A keystream behind a box, so one type serves the three AES key sizes.
trait Keystream: Send + Sync {
    fn apply(&mut self, data: &mut [u8]);
}

impl<T: StreamCipher + Send + Sync + 'static> Keystream for T {
    fn apply(&mut self, data: &mut [u8]) {
        self.apply_keystream(data);
    }
}

impl CounterStream {
    fn aes_ctr128(key: &[u8], iv: &[u8; 16]) -> CounterStream {
        let iv = iv.into();
        CounterStream::Aes(match key.len() {
            16 => Box::new(ctr::Ctr128BE::<aes::Aes128>::new(key.into(), iv)),
            24 => Box::new(ctr::Ctr128BE::<aes::Aes192>::new(key.into(), iv)),
            _ => Box::new(ctr::Ctr128BE::<aes::Aes256>::new(key.into(), iv)),
        })
    }

    fn ctr32(family: Family, key: &[u8], iv: &[u8; 16]) -> CounterStream {
        if family != Family::Aes {
            let stream = Feedback::new(family.keyed(key), FeedbackMode::Ctr32, iv);
            return CounterStream::Other(Box::new(stream));
        }
        let iv = iv.into();
        CounterStream::Aes(match key.len() {
            16 => Box::new(ctr::Ctr32BE::<aes::Aes128>::new(key.into(), iv)),
            24 => Box::new(ctr::Ctr32BE::<aes::Aes192>::new(key.into(), iv)),
            _ => Box::new(ctr::Ctr32BE::<aes::Aes256>::new(key.into(), iv)),
        })
    }

    fn apply(&mut self, data: &mut [u8]) {
        match self {
            CounterStream::Aes(c) => c.apply(data),
            CounterStream::Other(c) => c.apply(data, true),
        }
    }
}

/// A universal hash fed bytes in any pieces: whole blocks go straight in, a partial block
/// waits for more.
#[derive(Clone)]
struct Streamed<U> {
    mac: U,
    buf: [u8; 16],
    n: usize,
}

impl<U: UniversalHash<BlockSize = aes::cipher::consts::U16>> Streamed<U> {
    fn new(mac: U) -> Self {
        Streamed {
            mac,
            buf: [0; 16],
            n: 0,
        }
    }

    fn update(&mut self, mut data: &[u8]) {
        if self.n > 0 {
            let take = (16 - self.n).min(data.len());
            self.buf[self.n..self.n + take].copy_from_slice(&data[..take]);
            self.n += take;
            data = &data[take..];
            if self.n < 16 {
                return;
            }
            self.mac.update(&[Block::clone_from_slice(&self.buf)]);
            self.n = 0;
        }
        let whole = data.len() / 16 * 16;
        self.mac.update_padded(&data[..whole]);
        let rest = &data[whole..];
        self.buf[..rest.len()].copy_from_slice(rest);
        self.n = rest.len();
    }

    /// Completes a partial block with zeros (GCM's section padding).
    fn pad(&mut self) {
        if self.n > 0 {
            self.buf[self.n..].fill(0);
            self.mac.update(&[Block::clone_from_slice(&self.buf)]);
            self.n = 0;
        }
    }
}

// ---------------------------------------------------------------------------------------
// Modes.

struct Gcm {
    ctr: CounterStream,
    ghash: Streamed<ghash::GHash>,
    tag_mask: Block,
    aad_len: u64,
    text_len: u64,
}

impl Gcm {
    fn new(family: Family, key: &[u8], iv: &[u8]) -> Gcm {
        let cipher = family.keyed(key);
        let mut h = Block::default();
        cipher.encrypt_blocks(&mut h);
        let mut j0 = [0u8; 16];
        if iv.len() == 12 {
            j0[..12].copy_from_slice(iv);
            j0[15] = 1;
        } else {
            let mut g = Streamed::new(ghash::GHash::new(&h));
            g.update(iv);
            g.pad();
            let mut lens = [0u8; 16];
            lens[8..].copy_from_slice(&(iv.len() as u64 * 8).to_be_bytes());
            g.update(&lens);
            j0.copy_from_slice(&g.mac.finalize());
        }
        let mut tag_mask = Block::clone_from_slice(&j0);
        cipher.encrypt_blocks(&mut tag_mask);
        // The first counter block for the text is inc32(J0).
        let low = u32::from_be_bytes([j0[12], j0[13], j0[14], j0[15]]).wrapping_add(1);
        j0[12..].copy_from_slice(&low.to_be_bytes());
        Gcm {
            ctr: CounterStream::ctr32(family, key, &j0),
            ghash: Streamed::new(ghash::GHash::new(&h)),
            tag_mask,
            aad_len: 0,
            text_len: 0,
        }
    }

    fn set_aad(&mut self, aad: &[u8]) -> Result<(), Error> {
        if aad.is_empty() {
            return Ok(());
        }
        if self.text_len > 0 {
            return Err(Error::invalid_state("setAAD"));
        }
        self.ghash.update(aad);
        self.aad_len += aad.len() as u64;
        Ok(())
    }

    fn update(&mut self, input: &[u8], encrypt: bool) -> Vec<u8> {
        if input.is_empty() {
            return Vec::new();
        }
        if self.text_len == 0 {
            self.ghash.pad();
        }
        let mut out = input.to_vec();
        self.ctr.apply(&mut out);
        self.ghash.update(if encrypt { &out } else { input });
        self.text_len += input.len() as u64;
        out
    }

    fn tag(mut self) -> [u8; 16] {
        self.ghash.pad();
        let mut lens = [0u8; 16];
        lens[..8].copy_from_slice(&(self.aad_len * 8).to_be_bytes());
        lens[8..].copy_from_slice(&(self.text_len * 8).to_be_bytes());
        self.ghash.update(&lens);
        let s = self.ghash.mac.finalize();
        let mut tag = [0u8; 16];
        for (t, (a, b)) in tag.iter_mut().zip(s.iter().zip(&self.tag_mask)) {
            *t = a ^ b;
        }
        tag
    }
}

/// AES-GCM and ChaCha20-Poly1305 through the system's OpenSSL 3 (the `openssl` feature):
/// Node's own `EVP_CipherUpdate`/`EVP_CipherFinal_ex` path, 7-13x faster than the RustCrypto
/// composition above on 64 KiB messages (`nodestd-bench crypto-cipher`), which stays for
/// ARIA-GCM and for builds without the feature.
#[cfg(feature = "openssl")]
mod ossl_aead {
    use openssl::symm::{Cipher, Crypter, Mode as Direction};

    use super::{CipherAlgorithm, Mode};
    use crate::Error;

    pub(super) struct Aead {
        crypter: Crypter,
        gcm: bool,
        /// Text went through `update` (GCM then refuses AAD, as OpenSSL's GCM does).
        text_started: bool,
    }

    impl Aead {
        /// `None` for an algorithm OpenSSL does not run here (ARIA-GCM), or a context it
        /// refuses; the RustCrypto engine takes those.
        pub(super) fn new(
            algorithm: CipherAlgorithm,
            key: &[u8],
            iv: &[u8],
            encrypt: bool,
        ) -> Option<Aead> {
            let cipher = match (algorithm.mode(), key.len()) {
                (Mode::ChaChaPoly, _) => Cipher::chacha20_poly1305(),
                (Mode::Gcm, _) if !algorithm.name().starts_with("aes") => return None,
                (Mode::Gcm, 16) => Cipher::aes_128_gcm(),
                (Mode::Gcm, 24) => Cipher::aes_192_gcm(),
                (Mode::Gcm, 32) => Cipher::aes_256_gcm(),
                _ => return None,
            };
            let direction = if encrypt {
                Direction::Encrypt
            } else {
                Direction::Decrypt
            };
            // Crypter::new sets a GCM IV length other than 12 before the IV, as Node does.
            let crypter = Crypter::new(cipher, direction, key, Some(iv)).ok()?;
            Some(Aead {
                crypter,
                gcm: algorithm.mode() == Mode::Gcm,
                text_started: false,
            })
        }

        pub(super) fn set_aad(&mut self, aad: &[u8]) -> Result<(), Error> {
            if aad.is_empty() {
                return Ok(());
            }
            if self.gcm && self.text_started {
                return Err(Error::invalid_state("setAAD"));
            }
            self.crypter
                .aad_update(aad)
                .map_err(|_| Error::invalid_state("setAAD"))
        }

        pub(super) fn update(&mut self, input: &[u8]) -> Vec<u8> {
            if input.is_empty() {
                return Vec::new();
            }
            self.text_started = true;
            // A stream mode: as many bytes out as in (OpenSSL asks for a block of room).
            let mut out = vec![0; input.len() + 16];
            let n = self
                .crypter
                .update(input, &mut out)
                .expect("EVP_CipherUpdate of a stream mode on an initialized context");
            out.truncate(n);
            out
        }

        /// The encryption's 16-byte tag.
        pub(super) fn tag(mut self) -> [u8; 16] {
            let mut rest = [0u8; 16];
            let _ = self.crypter.finalize(&mut rest);
            let mut tag = [0u8; 16];
            self.crypter
                .get_tag(&mut tag)
                .expect("EVP_CTRL_AEAD_GET_TAG after an encryption's final");
            tag
        }

        /// Whether a decryption's text is authentic under `given` (any tag length the
        /// cipher accepts; the caller checked it at setAuthTag).
        pub(super) fn verify(mut self, given: &[u8]) -> bool {
            let mut rest = [0u8; 16];
            self.crypter.set_tag(given).is_ok() && self.crypter.finalize(&mut rest).is_ok()
        }
    }
}

struct ChaChaPoly {
    chacha: chacha20::ChaCha20,
    poly: Streamed<poly1305::Poly1305>,
    aad_len: u64,
    text_len: u64,
    /// OpenSSL's `aad` flag: AAD was given since the last text, and its padding is due.
    aad_open: bool,
}

impl ChaChaPoly {
    fn new(key: &[u8], iv: &[u8]) -> ChaChaPoly {
        let mut chacha = chacha20::ChaCha20::new(key.into(), iv.into());
        let mut block0 = [0u8; 64];
        chacha.apply_keystream(&mut block0);
        let poly = poly1305::Poly1305::new(poly1305::Key::from_slice(&block0[..32]));
        ChaChaPoly {
            chacha,
            poly: Streamed::new(poly),
            aad_len: 0,
            text_len: 0,
            aad_open: false,
        }
    }

    fn set_aad(&mut self, aad: &[u8]) {
        // OpenSSL's EVP layer returns before the cipher sees an empty input.
        if aad.is_empty() {
            return;
        }
        self.poly.update(aad);
        self.aad_len += aad.len() as u64;
        self.aad_open = true;
    }

    /// Zero padding after the AAD, sized by the AAD's total length as OpenSSL does (which
    /// differs from the MAC's position only when AAD follows text).
    fn close_aad(&mut self) {
        if self.aad_open {
            let rem = (self.aad_len % 16) as usize;
            if rem != 0 {
                self.poly.update(&[0u8; 16][rem..]);
            }
            self.aad_open = false;
        }
    }

    fn update(&mut self, input: &[u8], encrypt: bool) -> Vec<u8> {
        if input.is_empty() {
            return Vec::new();
        }
        self.close_aad();
        let mut out = input.to_vec();
        self.chacha.apply_keystream(&mut out);
        self.poly.update(if encrypt { &out } else { input });
        self.text_len += input.len() as u64;
        out
    }

    fn tag(mut self) -> [u8; 16] {
        self.close_aad();
        let rem = (self.text_len % 16) as usize;
        if rem != 0 {
            self.poly.update(&[0u8; 16][rem..]);
        }
        let mut lens = [0u8; 16];
        lens[..8].copy_from_slice(&self.aad_len.to_le_bytes());
        lens[8..].copy_from_slice(&self.text_len.to_le_bytes());
        self.poly.update(&lens);
        let Streamed { mac, buf, n } = self.poly;
        let tag = mac.compute_unpadded(&buf[..n]);
        let mut out = [0u8; 16];
        out.copy_from_slice(&tag);
        out
    }
}

/// OpenSSL's plain `chacha20`. The IV's first four bytes are the little-endian block
/// counter, the other twelve the nonce. When the 32-bit counter wraps, OpenSSL's
/// `chacha20_cipher` carries into the nonce's first word (which itself wraps), so that the two
/// words count together as the 64-bit counter of the original ChaCha; RustCrypto's core stops
/// at the wrap, so the carry is made here by starting a new core.
struct ChaCha20Stream {
    key: chacha20::Key,
    nonce: [u8; 12],
    core: chacha20::ChaChaCore<U10>,
    /// The keystream of the block being used, and how many of its bytes are spent.
    block: [u8; 64],
    used: usize,
}

impl ChaCha20Stream {
    fn new(key: &[u8], iv: &[u8]) -> ChaCha20Stream {
        let key = *chacha20::Key::from_slice(key);
        let mut nonce = [0u8; 12];
        nonce.copy_from_slice(&iv[4..16]);
        let mut core = chacha20::ChaChaCore::<U10>::new(&key, &nonce.into());
        core.set_block_pos(u32::from_le_bytes([iv[0], iv[1], iv[2], iv[3]]));
        ChaCha20Stream {
            key,
            nonce,
            core,
            block: [0; 64],
            used: 64,
        }
    }

    /// Called when the block counter has wrapped to 0: OpenSSL's `counter[1]++`.
    fn carry(&mut self) {
        let word = u32::from_le_bytes([self.nonce[0], self.nonce[1], self.nonce[2], self.nonce[3]]);
        self.nonce[..4].copy_from_slice(&word.wrapping_add(1).to_le_bytes());
        self.core = chacha20::ChaChaCore::<U10>::new(&self.key, &self.nonce.into());
    }

    fn apply(&mut self, mut data: &mut [u8]) {
        if self.used < 64 {
            let n = (64 - self.used).min(data.len());
            let ks = &self.block[self.used..self.used + n];
            data[..n].iter_mut().zip(ks).for_each(|(d, k)| *d ^= k);
            self.used += n;
            data = &mut data[n..];
        }
        while data.len() >= 64 {
            // Whole blocks up to the wrap at most (the core counts them in 32 bits).
            let to_wrap = u64::from(u32::MAX - self.core.get_block_pos()) + 1;
            let blocks = ((data.len() / 64) as u64).min(to_wrap) as usize;
            let (now, rest) = data.split_at_mut(blocks * 64);
            let (chunks, _) = InOutBuf::from(now).into_chunks();
            self.core.apply_keystream_blocks_inout(chunks);
            if blocks as u64 == to_wrap {
                self.carry();
            }
            data = rest;
        }
        if !data.is_empty() {
            let last = self.core.get_block_pos() == u32::MAX;
            self.core.write_keystream_block((&mut self.block).into());
            if last {
                self.carry();
            }
            data.iter_mut().zip(&self.block).for_each(|(d, k)| *d ^= k);
            self.used = data.len();
        }
    }
}

enum Engine {
    Padded(Box<Padded>),
    Feedback(Box<Feedback>),
    Ctr(CounterStream),
    Gcm(Box<Gcm>),
    ChaChaPoly(Box<ChaChaPoly>),
    /// AES-GCM or ChaCha20-Poly1305 through the system's OpenSSL ([`ossl_aead`]).
    #[cfg(feature = "openssl")]
    OsslAead(Box<ossl_aead::Aead>),
    ChaCha20(Box<ChaCha20Stream>),
    Wrap(Box<KeyWrap>),
    Xts(Box<Xts>),
    Cms3DesWrap(Box<Cms3DesWrap>),
    /// CBC without padding, refusing partial blocks (the `cbc-hmac` ciphers).
    CbcHmac(Box<Padded>),
    Ocb(Box<Ocb>),
    /// CCM, with Node's `pending_auth_failed_` (a decryption whose `update` failed).
    Ccm(Box<Ccm>, bool),
    /// A context OpenSSL accepted at creation but refuses to use (OCB with a zero tag
    /// length): `update` and `setAAD` fail, and so does `final`.
    Refused,
}

// ---------------------------------------------------------------------------------------
// Node's CipherBase.

/// The options of `setAAD(buffer, options)`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AadOptions {
    /// `plaintextLength`: the message's length, which CCM needs before its AAD.
    pub plaintext_length: Option<u32>,
}

/// Options of `createCipheriv` / `createDecipheriv`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CipherOptions {
    /// `authTagLength`: the tag length of an authenticated cipher (GCM: 4, 8 or 12 to 16;
    /// ChaCha20-Poly1305: 1 to 16, default 16). Ignored by the other ciphers.
    pub auth_tag_length: Option<usize>,
}

fn valid_gcm_tag_len(n: usize) -> bool {
    n == 4 || n == 8 || (12..=16).contains(&n)
}

struct Core {
    algorithm: CipherAlgorithm,
    encrypt: bool,
    /// `None` once `final` has run (Node resets its context then).
    engine: Option<Engine>,
    auto_padding: bool,
    /// Node's `auth_tag_len_`; `None` is its `kNoAuthTagLength`.
    auth_tag_len: Option<usize>,
    /// The tag: given by `setAuthTag` (decipher) or computed by `final` (cipher).
    auth_tag: Option<Vec<u8>>,
}

impl std::fmt::Debug for Core {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cipher")
            .field("algorithm", &self.algorithm)
            .field("encrypt", &self.encrypt)
            .field("finalized", &self.engine.is_none())
            .field("auto_padding", &self.auto_padding)
            .finish_non_exhaustive()
    }
}

impl Core {
    fn new(
        algorithm: &str,
        key: &[u8],
        iv: Option<&[u8]>,
        options: CipherOptions,
        encrypt: bool,
    ) -> Result<Core, Error> {
        let name = algorithm;
        let algorithm = CipherAlgorithm::from_name(name)?;
        let mode = algorithm.mode();
        // Node's InitIv (an IV is required unless the cipher takes none, and must have the
        // cipher's length unless the cipher is authenticated), then OpenSSL's IV length
        // control, then the tag length, then the key.
        let iv = iv.unwrap_or_default();
        let expected = algorithm.iv_len();
        if iv.is_empty() && expected != 0 {
            return Err(Error::invalid_iv());
        }
        let iv_ok = match mode {
            Mode::Gcm => iv.len() <= GCM_MAX_IV,
            Mode::Ocb => iv.len() <= OCB_MAX_IV,
            Mode::Ccm => CCM_IV.contains(&iv.len()),
            Mode::ChaChaPoly => iv.len() == 12,
            _ => iv.is_empty() || iv.len() == expected,
        };
        if !iv_ok {
            return Err(Error::invalid_iv());
        }
        let auth_tag_len = match (mode, options.auth_tag_length) {
            (Mode::Gcm, Some(n)) if !valid_gcm_tag_len(n) => {
                return Err(Error::invalid_auth_tag(n));
            }
            (Mode::Gcm, n) => n,
            (Mode::ChaChaPoly, None) => Some(16),
            (Mode::ChaChaPoly, Some(n)) if (1..=16).contains(&n) => Some(n),
            (Mode::ChaChaPoly, Some(n)) => return Err(Error::invalid_auth_tag(n)),
            (Mode::Ocb | Mode::Ccm, None) => {
                return Err(Error::new(
                    ErrorKind::InvalidAuthTag,
                    format!("authTagLength required for {name}"),
                ));
            }
            (Mode::Ocb, Some(n)) if n <= 16 => Some(n),
            (Mode::Ocb, Some(n)) => return Err(Error::invalid_auth_tag(n)),
            (Mode::Ccm, Some(n)) if (4..=16).contains(&n) && n % 2 == 0 => Some(n),
            (Mode::Ccm, Some(n)) => return Err(Error::invalid_auth_tag(n)),
            _ => None,
        };
        if key.len() != algorithm.key_len() {
            return Err(Error::invalid_keylen());
        }
        // OpenSSL 3.0 refuses equal XTS key halves when encrypting only.
        if mode == Mode::Xts && encrypt && key[..key.len() / 2] == key[key.len() / 2..] {
            return Err(Error::new(
                ErrorKind::XtsDuplicatedKeys,
                "error:1C800095:Provider routines::xts duplicated keys",
            ));
        }
        let family = algorithm.entry().family;
        let feedback = |m| Engine::Feedback(Box::new(Feedback::new(family.keyed(key), m, iv)));
        #[cfg(feature = "openssl")]
        let ossl = match mode {
            Mode::Gcm | Mode::ChaChaPoly => ossl_aead::Aead::new(algorithm, key, iv, encrypt),
            _ => None,
        };
        let engine = match mode {
            #[cfg(feature = "openssl")]
            Mode::Gcm | Mode::ChaChaPoly if ossl.is_some() => {
                Engine::OsslAead(Box::new(ossl.expect("checked by the guard")))
            }
            Mode::Ecb => Engine::Padded(Box::new(Padded::new(family.keyed(key), None))),
            Mode::Cbc => Engine::Padded(Box::new(Padded::new(family.keyed(key), Some(iv)))),
            Mode::CbcHmac => Engine::CbcHmac(Box::new(Padded::new(family.keyed(key), Some(iv)))),
            Mode::Cfb => feedback(FeedbackMode::Cfb),
            Mode::Cfb1 => feedback(FeedbackMode::Cfb1),
            Mode::Cfb8 => feedback(FeedbackMode::Cfb8),
            Mode::Ofb => feedback(FeedbackMode::Ofb),
            Mode::Ctr if family == Family::Aes => {
                let mut counter = [0u8; 16];
                counter.copy_from_slice(iv);
                Engine::Ctr(CounterStream::aes_ctr128(key, &counter))
            }
            Mode::Ctr => feedback(FeedbackMode::Ctr),
            Mode::Gcm => Engine::Gcm(Box::new(Gcm::new(family, key, iv))),
            Mode::ChaChaPoly => Engine::ChaChaPoly(Box::new(ChaChaPoly::new(key, iv))),
            Mode::ChaCha20 => Engine::ChaCha20(Box::new(ChaCha20Stream::new(key, iv))),
            Mode::Xts => Engine::Xts(Box::new(Xts::new(family, key, iv))),
            Mode::Cms3DesWrap => Engine::Cms3DesWrap(Box::new(Cms3DesWrap::new(family.keyed(key)))),
            // OpenSSL takes a zero tag length here and refuses the context at its first use.
            Mode::Ocb if auth_tag_len == Some(0) => Engine::Refused,
            Mode::Ccm => Engine::Ccm(
                Box::new(Ccm::new(family.keyed(key), iv, auth_tag_len.unwrap_or(16))),
                false,
            ),
            Mode::Ocb => Engine::Ocb(Box::new(Ocb::new(
                family.keyed(key),
                iv,
                auth_tag_len.unwrap_or(16),
            ))),
            Mode::Wrap | Mode::WrapPad => Engine::Wrap(Box::new(KeyWrap::new(
                family.keyed(key),
                iv,
                mode == Mode::WrapPad,
            ))),
        };
        Ok(Core {
            algorithm,
            encrypt,
            engine: Some(engine),
            auto_padding: true,
            auth_tag_len,
            auth_tag: None,
        })
    }

    fn update(&mut self, data: &[u8]) -> Result<Vec<u8>, Error> {
        let encrypt = self.encrypt;
        let padding = self.auto_padding;
        let unsupported = || {
            Error::new(
                ErrorKind::UnsupportedState,
                "Trying to add data in unsupported state",
            )
        };
        let engine = self.engine.as_mut().ok_or_else(unsupported)?;
        Ok(match engine {
            Engine::Padded(c) => c.update(data, encrypt, padding),
            Engine::CbcHmac(_) if data.len() % 16 != 0 => return Err(unsupported()),
            Engine::CbcHmac(c) => c.update(data, encrypt, false),
            Engine::Feedback(c) => {
                let mut out = data.to_vec();
                c.apply(&mut out, encrypt);
                out
            }
            Engine::Ctr(c) => {
                let mut out = data.to_vec();
                c.apply(&mut out);
                out
            }
            Engine::Gcm(g) => g.update(data, encrypt),
            Engine::ChaChaPoly(c) => c.update(data, encrypt),
            #[cfg(feature = "openssl")]
            Engine::OsslAead(a) => a.update(data),
            Engine::ChaCha20(c) => {
                let mut out = data.to_vec();
                c.apply(&mut out);
                out
            }
            Engine::Wrap(w) => w.apply(data, encrypt).ok_or_else(unsupported)?,
            Engine::Xts(x) => x.apply(data, encrypt).ok_or_else(unsupported)?,
            Engine::Cms3DesWrap(w) => w.apply(data, encrypt).ok_or_else(unsupported)?,
            Engine::Ocb(o) => o.update(data, encrypt),
            Engine::Ccm(c, failed) => {
                if data.len() > c.max_message() {
                    return Err(invalid_messagelen());
                }
                if !encrypt {
                    c.pass_tag(self.auth_tag.as_deref());
                }
                match c.update(data, encrypt) {
                    Some(out) => out,
                    // Node remembers a failed decryption and throws in `final`.
                    None if !encrypt => {
                        *failed = true;
                        Vec::new()
                    }
                    None => return Err(unsupported()),
                }
            }
            Engine::Refused => return Err(unsupported()),
        })
    }

    fn finish(&mut self) -> Result<Vec<u8>, Error> {
        let engine = self
            .engine
            .take()
            .ok_or_else(|| Error::new(ErrorKind::InvalidState, "Invalid state"))?;
        let authentication_failed = || {
            Error::new(
                ErrorKind::AuthenticationFailed,
                "Unsupported state or unable to authenticate data",
            )
        };
        let (out, tag) = match engine {
            Engine::Padded(c) => return c.finish(self.encrypt, self.auto_padding),
            Engine::CbcHmac(c) => return c.finish(self.encrypt, false),
            Engine::Ctr(_)
            | Engine::Feedback(_)
            | Engine::ChaCha20(_)
            | Engine::Wrap(_)
            | Engine::Xts(_)
            | Engine::Cms3DesWrap(_) => {
                return Ok(Vec::new());
            }
            Engine::Gcm(g) => (Vec::new(), g.tag()),
            Engine::ChaChaPoly(c) => (Vec::new(), c.tag()),
            // OpenSSL checks a decryption's tag itself (it cannot hand out the one it
            // computed), against the tag given with setAuthTag, as Node's final does.
            #[cfg(feature = "openssl")]
            Engine::OsslAead(a) if self.encrypt => (Vec::new(), a.tag()),
            #[cfg(feature = "openssl")]
            Engine::OsslAead(a) => {
                return match self.auth_tag.as_deref() {
                    Some(given) if a.verify(given) => Ok(Vec::new()),
                    _ => Err(authentication_failed()),
                };
            }
            Engine::Ocb(o) => o.finish(self.encrypt),
            Engine::Ccm(_, true) => return Err(authentication_failed()),
            Engine::Ccm(_, false) if !self.encrypt => return Ok(Vec::new()),
            Engine::Ccm(c, false) => {
                let tag = c.tag().ok_or_else(|| {
                    Error::new(
                        ErrorKind::TagNotSet,
                        "error:1C800077:Provider routines::tag not set",
                    )
                })?;
                self.auth_tag = Some(tag);
                return Ok(Vec::new());
            }
            Engine::Refused => return Err(authentication_failed()),
        };
        if self.encrypt {
            let len = self.auth_tag_len.unwrap_or(16);
            self.auth_tag = Some(tag[..len].to_vec());
            return Ok(out);
        }
        // Without setAuthTag, OpenSSL's OCB compares with its tag buffer, which is zeros; GCM
        // and ChaCha20-Poly1305 fail.
        let zeros = vec![0; self.auth_tag_len.unwrap_or(16)];
        let given = match &self.auth_tag {
            Some(t) => Some(t.as_slice()),
            None => (self.algorithm.mode() == Mode::Ocb).then_some(zeros.as_slice()),
        };
        let authentic = given.is_some_and(|given| bool::from(tag[..given.len()].ct_eq(given)));
        if !authentic {
            return Err(authentication_failed());
        }
        Ok(out)
    }

    fn set_auto_padding(&mut self, padding: bool) -> Result<(), Error> {
        if self.engine.is_none() {
            return Err(Error::invalid_state("setAutoPadding"));
        }
        self.auto_padding = padding;
        Ok(())
    }

    fn set_aad(&mut self, aad: &[u8], plaintext_length: Option<u32>) -> Result<(), Error> {
        match self.engine.as_mut() {
            Some(Engine::Ccm(c, _)) => {
                let n = plaintext_length.ok_or_else(|| {
                    Error::new(
                        ErrorKind::MissingArgs,
                        "options.plaintextLength required for CCM mode with AAD",
                    )
                })? as usize;
                if n > c.max_message() {
                    return Err(invalid_messagelen());
                }
                if !self.encrypt {
                    c.pass_tag(self.auth_tag.as_deref());
                }
                if c.set_aad(aad, n) {
                    Ok(())
                } else {
                    Err(Error::invalid_state("setAAD"))
                }
            }
            Some(Engine::Gcm(g)) => g.set_aad(aad),
            #[cfg(feature = "openssl")]
            Some(Engine::OsslAead(a)) => a.set_aad(aad),
            Some(Engine::ChaChaPoly(c)) => {
                c.set_aad(aad);
                Ok(())
            }
            Some(Engine::Ocb(o)) => {
                o.add_aad(aad);
                Ok(())
            }
            _ => Err(Error::invalid_state("setAAD")),
        }
    }

    fn get_auth_tag(&self) -> Result<Vec<u8>, Error> {
        match (&self.engine, &self.auth_tag) {
            (None, Some(tag)) if self.encrypt => Ok(tag.clone()),
            _ => Err(Error::invalid_state("getAuthTag")),
        }
    }

    fn set_auth_tag(&mut self, tag: &[u8]) -> Result<(), Error> {
        if self.engine.is_none() || !self.algorithm.is_aead() || self.auth_tag.is_some() {
            return Err(Error::invalid_state("setAuthTag"));
        }
        let valid = match self.algorithm.mode() {
            Mode::Gcm => {
                self.auth_tag_len.is_none_or(|n| n == tag.len()) && valid_gcm_tag_len(tag.len())
            }
            _ => self.auth_tag_len == Some(tag.len()),
        };
        if !valid {
            return Err(Error::invalid_auth_tag(tag.len()));
        }
        self.auth_tag_len = Some(tag.len());
        self.auth_tag = Some(tag.to_vec());
        Ok(())
    }

    fn update_str(&mut self, data: &str, encoding: Encoding) -> Result<Vec<u8>, Error> {
        crate::validate_encoding(encoding, data)?;
        self.update(&encoding.encode(data))
    }
}

/// Node's `Cipher` object (from `createCipheriv`): encrypts.
///
/// ```
/// use nodestd_crypto::{create_cipheriv, create_decipheriv, CipherOptions};
/// let (key, iv) = ([7u8; 32], [9u8; 12]);
/// let mut c = create_cipheriv("aes-256-gcm", key, Some(&iv), CipherOptions::default())?;
/// c.set_aad(b"header")?;
/// let mut sealed = c.update("hello, ")?;
/// sealed.extend(c.update("world")?);
/// sealed.extend(c.finalize()?);
/// let tag = c.get_auth_tag()?;
///
/// let mut d = create_decipheriv("aes-256-gcm", key, Some(&iv), CipherOptions::default())?;
/// d.set_aad(b"header")?.set_auth_tag(&tag)?;
/// let mut opened = d.update(&sealed)?;
/// opened.extend(d.finalize()?);
/// assert_eq!(opened, b"hello, world");
/// # Ok::<(), nodestd_crypto::Error>(())
/// ```
#[derive(Debug)]
pub struct Cipheriv {
    core: Core,
}

/// Node's `Decipher` object (from `createDecipheriv`): decrypts.
///
/// ```
/// use nodestd_crypto::{create_decipheriv, CipherOptions};
/// let mut d = create_decipheriv("aes-128-cbc", [0u8; 16], Some(&[0u8; 16]), CipherOptions::default())?;
/// d.update([0u8; 16])?;
/// assert_eq!(d.finalize().unwrap_err().code(), Some("ERR_OSSL_BAD_DECRYPT"));
/// # Ok::<(), nodestd_crypto::Error>(())
/// ```
#[derive(Debug)]
pub struct Decipheriv {
    core: Core,
}

/// `crypto.createCipheriv(algorithm, key, iv, options)`. A string key or IV is its UTF-8
/// bytes; `iv` `None` is JavaScript's `null`.
///
/// # Errors
/// `ERR_CRYPTO_UNKNOWN_CIPHER`; then, in Node's order, `ERR_CRYPTO_INVALID_IV` (missing, empty
/// or of the wrong length), `ERR_CRYPTO_INVALID_AUTH_TAG` (a tag length the cipher refuses),
/// `ERR_CRYPTO_INVALID_KEYLEN`.
#[doc(alias = "createCipheriv")]
pub fn create_cipheriv(
    algorithm: &str,
    key: impl AsRef<[u8]>,
    iv: Option<&[u8]>,
    options: CipherOptions,
) -> Result<Cipheriv, Error> {
    Core::new(algorithm, key.as_ref(), iv, options, true).map(|core| Cipheriv { core })
}

/// `crypto.createDecipheriv(algorithm, key, iv, options)`.
///
/// # Errors
/// As [`create_cipheriv`].
#[doc(alias = "createDecipheriv")]
pub fn create_decipheriv(
    algorithm: &str,
    key: impl AsRef<[u8]>,
    iv: Option<&[u8]>,
    options: CipherOptions,
) -> Result<Decipheriv, Error> {
    Core::new(algorithm, key.as_ref(), iv, options, false).map(|core| Decipheriv { core })
}

macro_rules! common_methods {
    ($t:ident) => {
        impl $t {
            /// The cipher.
            pub fn algorithm(&self) -> CipherAlgorithm {
                self.core.algorithm
            }

            /// `update(data)`: the output this input releases (whole blocks for CBC).
            ///
            /// # Errors
            /// A code-less `Error` ("Trying to add data in unsupported state") after
            /// `final`.
            pub fn update(&mut self, data: impl AsRef<[u8]>) -> Result<Vec<u8>, Error> {
                self.core.update(data.as_ref())
            }

            /// `update(string, inputEncoding)`.
            ///
            /// # Errors
            /// `ERR_INVALID_ARG_VALUE` for an odd-length `hex` string, and those of `update`.
            pub fn update_str(&mut self, data: &str, encoding: Encoding) -> Result<Vec<u8>, Error> {
                self.core.update_str(data, encoding)
            }

            /// Node's `final()`: the remaining output. The object is finished afterwards,
            /// whether this succeeds or not.
            ///
            /// # Errors
            /// `ERR_CRYPTO_INVALID_STATE` when called twice; for CBC
            /// `ERR_OSSL_WRONG_FINAL_BLOCK_LENGTH` (input not a whole number of blocks when
            /// it must be) and, decrypting, `ERR_OSSL_BAD_DECRYPT` (bad padding); for the
            /// authenticated ciphers, decrypting, a code-less `Error` ("Unsupported state or
            /// unable to authenticate data") when the tag is missing or wrong.
            pub fn finalize(&mut self) -> Result<Vec<u8>, Error> {
                self.core.finish()
            }

            /// `setAutoPadding(padding)`: PKCS#7 padding on or off (CBC; the other modes
            /// ignore it).
            ///
            /// # Errors
            /// `ERR_CRYPTO_INVALID_STATE` after `final`.
            #[doc(alias = "setAutoPadding")]
            pub fn set_auto_padding(&mut self, padding: bool) -> Result<&mut Self, Error> {
                self.core.set_auto_padding(padding)?;
                Ok(self)
            }

            /// `setAAD(buffer)`: additional authenticated data (AEAD ciphers).
            ///
            /// # Errors
            /// `ERR_CRYPTO_INVALID_STATE` for a cipher without AAD, after `final`, and for
            /// GCM once text has been processed.
            #[doc(alias = "setAAD")]
            pub fn set_aad(&mut self, aad: impl AsRef<[u8]>) -> Result<&mut Self, Error> {
                self.core.set_aad(aad.as_ref(), None)?;
                Ok(self)
            }

            /// `setAAD(buffer, { plaintextLength })`: CCM needs the message's length before
            /// its AAD (the other ciphers ignore it).
            ///
            /// # Errors
            /// Those of `set_aad`; for CCM `ERR_MISSING_ARGS` without `plaintext_length`,
            /// `ERR_CRYPTO_INVALID_MESSAGELEN` for a length the nonce cannot count.
            #[doc(alias = "setAAD")]
            pub fn set_aad_with(
                &mut self,
                aad: impl AsRef<[u8]>,
                options: AadOptions,
            ) -> Result<&mut Self, Error> {
                self.core.set_aad(aad.as_ref(), options.plaintext_length)?;
                Ok(self)
            }
        }
    };
}

common_methods!(Cipheriv);
common_methods!(Decipheriv);

impl Cipheriv {
    /// `getAuthTag()`: the tag of an authenticated cipher, after `final`.
    ///
    /// # Errors
    /// `ERR_CRYPTO_INVALID_STATE` before `final` or for a cipher without a tag.
    #[doc(alias = "getAuthTag")]
    pub fn get_auth_tag(&self) -> Result<Vec<u8>, Error> {
        self.core.get_auth_tag()
    }
}

impl Decipheriv {
    /// `setAuthTag(tag)`: the tag to check in `final`.
    ///
    /// # Errors
    /// `ERR_CRYPTO_INVALID_STATE` for a cipher without a tag, after `final`, or when a tag
    /// was already set; `ERR_CRYPTO_INVALID_AUTH_TAG` for a length the cipher refuses (GCM:
    /// 4, 8, 12 to 16, and `authTagLength` when given; ChaCha20-Poly1305: its
    /// `authTagLength`, 16 by default).
    #[doc(alias = "setAuthTag")]
    pub fn set_auth_tag(&mut self, tag: impl AsRef<[u8]>) -> Result<&mut Self, Error> {
        self.core.set_auth_tag(tag.as_ref())?;
        Ok(self)
    }
}
