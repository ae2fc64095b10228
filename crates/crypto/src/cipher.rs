//! `createCipheriv` / `createDecipheriv` for AES-CBC, AES-CTR, AES-GCM and
//! ChaCha20-Poly1305, with Node's (OpenSSL 3's) state machine, output chunking and errors.
//!
//! The modes are assembled here from RustCrypto primitives (`aes`, `ctr`, `ghash`,
//! `chacha20`, `poly1305`) because Node's API is streaming: `update` returns output at once
//! (CBC emits whole blocks, holding back the last one when decrypting with padding), GCM
//! accepts any IV length from 1 to 128 bytes, and the MACs are fed byte by byte exactly as
//! OpenSSL feeds them (ChaCha20-Poly1305 even accepts AAD after text).

use aes::cipher::consts::U10;
use aes::cipher::inout::InOutBuf;
use aes::cipher::{
    BlockDecrypt, BlockEncrypt, KeyInit, KeyIvInit, StreamCipher, StreamCipherCore,
    StreamCipherSeekCore,
};
use ghash::universal_hash::UniversalHash;
use subtle::ConstantTimeEq;

use crate::{Encoding, Error, ErrorKind};

type Block = aes::Block;

/// A cipher of `createCipheriv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CipherAlgorithm {
    /// `aes-128-cbc` (alias `aes128`).
    Aes128Cbc,
    /// `aes-192-cbc` (alias `aes192`).
    Aes192Cbc,
    /// `aes-256-cbc` (alias `aes256`).
    Aes256Cbc,
    /// `aes-128-ctr`.
    Aes128Ctr,
    /// `aes-192-ctr`.
    Aes192Ctr,
    /// `aes-256-ctr`.
    Aes256Ctr,
    /// `aes-128-gcm` (alias `id-aes128-GCM`).
    Aes128Gcm,
    /// `aes-192-gcm` (alias `id-aes192-GCM`).
    Aes192Gcm,
    /// `aes-256-gcm` (alias `id-aes256-GCM`).
    Aes256Gcm,
    /// `chacha20-poly1305`.
    ChaCha20Poly1305,
    /// `chacha20`: the stream cipher alone, with OpenSSL's 16-byte IV (a little-endian
    /// 32-bit block counter, then the 12-byte nonce of RFC 7539).
    ChaCha20,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Cbc,
    Ctr,
    Gcm,
    ChaChaPoly,
    ChaCha20,
}

const CIPHER_NAMES: &[(&str, CipherAlgorithm)] = {
    use CipherAlgorithm::*;
    &[
        ("aes-128-cbc", Aes128Cbc),
        ("aes128", Aes128Cbc),
        ("2.16.840.1.101.3.4.1.2", Aes128Cbc),
        ("aes-192-cbc", Aes192Cbc),
        ("aes192", Aes192Cbc),
        ("2.16.840.1.101.3.4.1.22", Aes192Cbc),
        ("aes-256-cbc", Aes256Cbc),
        ("aes256", Aes256Cbc),
        ("2.16.840.1.101.3.4.1.42", Aes256Cbc),
        ("aes-128-ctr", Aes128Ctr),
        ("aes-192-ctr", Aes192Ctr),
        ("aes-256-ctr", Aes256Ctr),
        ("aes-128-gcm", Aes128Gcm),
        ("id-aes128-gcm", Aes128Gcm),
        ("2.16.840.1.101.3.4.1.6", Aes128Gcm),
        ("aes-192-gcm", Aes192Gcm),
        ("id-aes192-gcm", Aes192Gcm),
        ("2.16.840.1.101.3.4.1.26", Aes192Gcm),
        ("aes-256-gcm", Aes256Gcm),
        ("id-aes256-gcm", Aes256Gcm),
        ("2.16.840.1.101.3.4.1.46", Aes256Gcm),
        ("chacha20-poly1305", ChaCha20Poly1305),
        ("chacha20", ChaCha20),
    ]
};

/// The largest GCM IV OpenSSL accepts, in bytes.
const GCM_MAX_IV: usize = 128;

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
    /// `ERR_CRYPTO_UNKNOWN_CIPHER` for other names (including ciphers Node has but this
    /// crate does not implement; see the crate docs).
    pub fn from_name(name: &str) -> Result<CipherAlgorithm, Error> {
        let name = name.split('\0').next().unwrap_or("").to_ascii_lowercase();
        CIPHER_NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, a)| *a)
            .ok_or_else(|| Error::new(ErrorKind::UnknownCipher, "Unknown cipher"))
    }

    /// Node's (lowercase) name of the cipher.
    pub fn name(self) -> &'static str {
        use CipherAlgorithm::*;
        match self {
            Aes128Cbc => "aes-128-cbc",
            Aes192Cbc => "aes-192-cbc",
            Aes256Cbc => "aes-256-cbc",
            Aes128Ctr => "aes-128-ctr",
            Aes192Ctr => "aes-192-ctr",
            Aes256Ctr => "aes-256-ctr",
            Aes128Gcm => "aes-128-gcm",
            Aes192Gcm => "aes-192-gcm",
            Aes256Gcm => "aes-256-gcm",
            ChaCha20Poly1305 => "chacha20-poly1305",
            ChaCha20 => "chacha20",
        }
    }

    /// The key length in bytes.
    pub fn key_len(self) -> usize {
        use CipherAlgorithm::*;
        match self {
            Aes128Cbc | Aes128Ctr | Aes128Gcm => 16,
            Aes192Cbc | Aes192Ctr | Aes192Gcm => 24,
            Aes256Cbc | Aes256Ctr | Aes256Gcm | ChaCha20Poly1305 | ChaCha20 => 32,
        }
    }

    /// The (default) IV length in bytes: 16 for CBC, CTR and ChaCha20, 12 for GCM (which
    /// accepts 1 to 128) and ChaCha20-Poly1305.
    pub fn iv_len(self) -> usize {
        match self.mode() {
            Mode::Cbc | Mode::Ctr | Mode::ChaCha20 => 16,
            Mode::Gcm | Mode::ChaChaPoly => 12,
        }
    }

    /// The block size in bytes: 16 for CBC, 1 for the stream modes.
    pub fn block_size(self) -> usize {
        if self.mode() == Mode::Cbc { 16 } else { 1 }
    }

    /// Whether the cipher is authenticated (GCM, ChaCha20-Poly1305).
    pub fn is_aead(self) -> bool {
        matches!(self.mode(), Mode::Gcm | Mode::ChaChaPoly)
    }

    fn mode(self) -> Mode {
        use CipherAlgorithm::*;
        match self {
            Aes128Cbc | Aes192Cbc | Aes256Cbc => Mode::Cbc,
            Aes128Ctr | Aes192Ctr | Aes256Ctr => Mode::Ctr,
            Aes128Gcm | Aes192Gcm | Aes256Gcm => Mode::Gcm,
            ChaCha20Poly1305 => Mode::ChaChaPoly,
            ChaCha20 => Mode::ChaCha20,
        }
    }
}

impl CipherAlgorithm {
    /// Every cipher this crate implements.
    pub const ALL: &'static [CipherAlgorithm] = {
        use CipherAlgorithm::*;
        &[
            Aes128Cbc,
            Aes192Cbc,
            Aes256Cbc,
            Aes128Ctr,
            Aes192Ctr,
            Aes256Ctr,
            Aes128Gcm,
            Aes192Gcm,
            Aes256Gcm,
            ChaCha20Poly1305,
            ChaCha20,
        ]
    };

    /// OpenSSL's numeric identifier (NID) of the cipher, as `getCipherInfo` reports it.
    pub fn nid(self) -> i32 {
        use CipherAlgorithm::*;
        match self {
            Aes128Cbc => 419,
            Aes192Cbc => 423,
            Aes256Cbc => 427,
            Aes128Ctr => 904,
            Aes192Ctr => 905,
            Aes256Ctr => 906,
            Aes128Gcm => 895,
            Aes192Gcm => 898,
            Aes256Gcm => 901,
            ChaCha20Poly1305 => 1018,
            ChaCha20 => 1019,
        }
    }

    /// The name `getCipherInfo` reports: OpenSSL's short name, lowercase (`id-aes128-gcm`
    /// for `aes-128-gcm`).
    fn info_name(self) -> &'static str {
        use CipherAlgorithm::*;
        match self {
            Aes128Gcm => "id-aes128-gcm",
            Aes192Gcm => "id-aes192-gcm",
            Aes256Gcm => "id-aes256-gcm",
            other => other.name(),
        }
    }
}

/// `crypto.getCiphers()`: the names of every cipher this crate implements, under each name
/// Node lists for it, in Node's (sorted) order. Node's list also names ciphers this crate
/// does not implement; the crate docs list them.
///
/// ```
/// assert!(nodestd_crypto::get_ciphers().contains(&"chacha20"));
/// ```
pub fn get_ciphers() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = CIPHER_NAMES
        .iter()
        .filter(|(n, _)| !n.starts_with(|c: char| c.is_ascii_digit()))
        .map(|(n, _)| match *n {
            // Node lists OpenSSL's spelling of these aliases.
            "id-aes128-gcm" => "id-aes128-GCM",
            "id-aes192-gcm" => "id-aes192-GCM",
            "id-aes256-gcm" => "id-aes256-GCM",
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
/// for an unknown name, for a cipher this crate does not implement, or when `options` asks
/// for a length the cipher refuses.
///
/// ```
/// use nodestd_crypto::{get_cipher_info, CipherInfoOptions};
/// let info = get_cipher_info("chacha20", CipherInfoOptions::default()).unwrap();
/// assert_eq!((info.nid, info.iv_length, info.block_size), (1019, Some(16), None));
/// ```
pub fn get_cipher_info(name: &str, options: CipherInfoOptions) -> Option<CipherInfo> {
    cipher_info(CipherAlgorithm::from_name(name).ok()?, options)
}

/// `crypto.getCipherInfo(nid, options)`: as [`get_cipher_info`], by OpenSSL's numeric
/// identifier.
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
            _ => n == iv_length,
        };
        if !ok {
            return None;
        }
        iv_length = n;
    }
    let (mode_name, block_size) = match mode {
        Mode::Cbc => ("cbc", Some(16)),
        Mode::Ctr => ("ctr", Some(1)),
        Mode::Gcm => ("gcm", Some(1)),
        Mode::ChaChaPoly | Mode::ChaCha20 => ("stream", None),
    };
    Some(CipherInfo {
        name: algorithm.info_name(),
        nid: algorithm.nid(),
        mode: mode_name,
        block_size,
        iv_length: Some(iv_length).filter(|&n| n > 0),
        key_length: algorithm.key_len(),
    })
}

// ---------------------------------------------------------------------------------------
// Primitives.

#[derive(Clone)]
enum Aes {
    A128(aes::Aes128),
    A192(aes::Aes192),
    A256(aes::Aes256),
}

macro_rules! aes_dispatch {
    ($self:expr, $c:ident => $e:expr) => {
        match $self {
            Aes::A128($c) => $e,
            Aes::A192($c) => $e,
            Aes::A256($c) => $e,
        }
    };
}

impl Aes {
    /// `key` has one of the three AES key lengths (checked by the caller).
    fn new(key: &[u8]) -> Aes {
        match key.len() {
            16 => Aes::A128(aes::Aes128::new(Block::from_slice(key))),
            24 => Aes::A192(aes::Aes192::new(key.into())),
            _ => Aes::A256(aes::Aes256::new(key.into())),
        }
    }

    fn encrypt_block(&self, b: &mut Block) {
        aes_dispatch!(self, c => c.encrypt_block(b))
    }

    fn decrypt_blocks_inout(&self, b: InOutBuf<'_, '_, Block>) {
        aes_dispatch!(self, c => c.decrypt_blocks_inout(b))
    }
}

/// An AES counter-mode keystream: the whole 128-bit counter for CTR, the low 32 bits for GCM.
enum AesStream {
    Ctr128(Box<dyn Keystream>),
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

impl AesStream {
    fn ctr128(key: &[u8], iv: &[u8; 16]) -> AesStream {
        let iv = iv.into();
        AesStream::Ctr128(match key.len() {
            16 => Box::new(ctr::Ctr128BE::<aes::Aes128>::new(key.into(), iv)),
            24 => Box::new(ctr::Ctr128BE::<aes::Aes192>::new(key.into(), iv)),
            _ => Box::new(ctr::Ctr128BE::<aes::Aes256>::new(key.into(), iv)),
        })
    }

    fn ctr32(key: &[u8], iv: &[u8; 16]) -> AesStream {
        let iv = iv.into();
        AesStream::Ctr128(match key.len() {
            16 => Box::new(ctr::Ctr32BE::<aes::Aes128>::new(key.into(), iv)),
            24 => Box::new(ctr::Ctr32BE::<aes::Aes192>::new(key.into(), iv)),
            _ => Box::new(ctr::Ctr32BE::<aes::Aes256>::new(key.into(), iv)),
        })
    }

    fn apply(&mut self, data: &mut [u8]) {
        match self {
            AesStream::Ctr128(c) => c.apply(data),
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

struct Cbc {
    aes: Aes,
    prev: Block,
    buf: Vec<u8>,
}

impl Cbc {
    fn update(&mut self, input: &[u8], encrypt: bool, padding: bool) -> Vec<u8> {
        let mut data = std::mem::take(&mut self.buf);
        data.extend_from_slice(input);
        let mut n = data.len() / 16 * 16;
        // OpenSSL holds back a last whole block when decrypting with padding: it may be the
        // padded one, which only `final` may strip.
        if !encrypt && padding && n > 0 && n == data.len() {
            n -= 16;
        }
        self.buf = data.split_off(n);
        if encrypt {
            self.encrypt(&mut data);
        } else {
            self.decrypt(&mut data);
        }
        data
    }

    fn encrypt(&mut self, data: &mut [u8]) {
        for chunk in data.chunks_exact_mut(16) {
            let block = Block::from_mut_slice(chunk);
            block.iter_mut().zip(&self.prev).for_each(|(a, b)| *a ^= b);
            self.aes.encrypt_block(block);
            self.prev = *block;
        }
    }

    fn decrypt(&mut self, data: &mut [u8]) {
        let Some(last) = data.len().checked_sub(16) else {
            return;
        };
        let ciphertext = data.to_vec();
        // Decrypt every block in place (AES-NI pipelines independent blocks), then chain.
        let (blocks, _) = InOutBuf::from(&mut *data).into_chunks();
        self.aes.decrypt_blocks_inout(blocks);
        data[..16]
            .iter_mut()
            .zip(&self.prev)
            .for_each(|(o, p)| *o ^= p);
        data[16..]
            .iter_mut()
            .zip(&ciphertext[..last])
            .for_each(|(o, p)| *o ^= p);
        self.prev.copy_from_slice(&ciphertext[last..]);
    }

    fn finish(mut self, encrypt: bool, padding: bool) -> Result<Vec<u8>, Error> {
        let wrong_length = || {
            Error::new(
                ErrorKind::WrongFinalBlockLength,
                "error:1C80006B:Provider routines::wrong final block length",
            )
        };
        let mut data = std::mem::take(&mut self.buf);
        if !padding {
            return if data.is_empty() {
                Ok(data)
            } else {
                Err(wrong_length())
            };
        }
        if encrypt {
            let pad = 16 - data.len();
            data.resize(16, pad as u8);
            self.encrypt(&mut data);
            return Ok(data);
        }
        if data.len() != 16 {
            return Err(wrong_length());
        }
        self.decrypt(&mut data);
        let pad = usize::from(data[15]);
        let good =
            (1..=16).contains(&pad) && data[16 - pad..].iter().all(|&b| usize::from(b) == pad);
        if !good {
            return Err(Error::new(
                ErrorKind::BadDecrypt,
                "error:1C800064:Provider routines::bad decrypt",
            ));
        }
        data.truncate(16 - pad);
        Ok(data)
    }
}

struct Gcm {
    ctr: AesStream,
    ghash: Streamed<ghash::GHash>,
    tag_mask: Block,
    aad_len: u64,
    text_len: u64,
}

impl Gcm {
    fn new(key: &[u8], iv: &[u8]) -> Gcm {
        let aes = Aes::new(key);
        let mut h = Block::default();
        aes.encrypt_block(&mut h);
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
        aes.encrypt_block(&mut tag_mask);
        // The first counter block for the text is inc32(J0).
        let low = u32::from_be_bytes([j0[12], j0[13], j0[14], j0[15]]).wrapping_add(1);
        j0[12..].copy_from_slice(&low.to_be_bytes());
        Gcm {
            ctr: AesStream::ctr32(key, &j0),
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
    Cbc(Box<Cbc>),
    Ctr(AesStream),
    Gcm(Box<Gcm>),
    ChaChaPoly(Box<ChaChaPoly>),
    ChaCha20(Box<ChaCha20Stream>),
}

// ---------------------------------------------------------------------------------------
// Node's CipherBase.

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
        let algorithm = CipherAlgorithm::from_name(algorithm)?;
        let mode = algorithm.mode();
        // Node's InitIv, then OpenSSL's IV length control, then the tag length, then the key.
        let iv = iv
            .filter(|iv| !iv.is_empty())
            .ok_or_else(Error::invalid_iv)?;
        let iv_ok = match mode {
            Mode::Cbc | Mode::Ctr => iv.len() == 16,
            Mode::Gcm => iv.len() <= GCM_MAX_IV,
            Mode::ChaChaPoly => iv.len() == 12,
            Mode::ChaCha20 => iv.len() == 16,
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
            _ => None,
        };
        if key.len() != algorithm.key_len() {
            return Err(Error::invalid_keylen());
        }
        let engine = match mode {
            Mode::Cbc => Engine::Cbc(Box::new(Cbc {
                aes: Aes::new(key),
                prev: Block::clone_from_slice(iv),
                buf: Vec::new(),
            })),
            Mode::Ctr => {
                let mut counter = [0u8; 16];
                counter.copy_from_slice(iv);
                Engine::Ctr(AesStream::ctr128(key, &counter))
            }
            Mode::Gcm => Engine::Gcm(Box::new(Gcm::new(key, iv))),
            Mode::ChaChaPoly => Engine::ChaChaPoly(Box::new(ChaChaPoly::new(key, iv))),
            Mode::ChaCha20 => Engine::ChaCha20(Box::new(ChaCha20Stream::new(key, iv))),
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
        let engine = self.engine.as_mut().ok_or_else(|| {
            Error::new(
                ErrorKind::UnsupportedState,
                "Trying to add data in unsupported state",
            )
        })?;
        Ok(match engine {
            Engine::Cbc(c) => c.update(data, encrypt, padding),
            Engine::Ctr(c) => {
                let mut out = data.to_vec();
                c.apply(&mut out);
                out
            }
            Engine::Gcm(g) => g.update(data, encrypt),
            Engine::ChaChaPoly(c) => c.update(data, encrypt),
            Engine::ChaCha20(c) => {
                let mut out = data.to_vec();
                c.apply(&mut out);
                out
            }
        })
    }

    fn finish(&mut self) -> Result<Vec<u8>, Error> {
        let engine = self
            .engine
            .take()
            .ok_or_else(|| Error::new(ErrorKind::InvalidState, "Invalid state"))?;
        let tag = match engine {
            Engine::Cbc(c) => return c.finish(self.encrypt, self.auto_padding),
            Engine::Ctr(_) | Engine::ChaCha20(_) => return Ok(Vec::new()),
            Engine::Gcm(g) => g.tag(),
            Engine::ChaChaPoly(c) => c.tag(),
        };
        if self.encrypt {
            let len = self.auth_tag_len.unwrap_or(16);
            self.auth_tag = Some(tag[..len].to_vec());
            return Ok(Vec::new());
        }
        let authentic = self
            .auth_tag
            .as_deref()
            .is_some_and(|given| bool::from(tag[..given.len()].ct_eq(given)));
        if !authentic {
            return Err(Error::new(
                ErrorKind::AuthenticationFailed,
                "Unsupported state or unable to authenticate data",
            ));
        }
        Ok(Vec::new())
    }

    fn set_auto_padding(&mut self, padding: bool) -> Result<(), Error> {
        if self.engine.is_none() {
            return Err(Error::invalid_state("setAutoPadding"));
        }
        self.auto_padding = padding;
        Ok(())
    }

    fn set_aad(&mut self, aad: &[u8]) -> Result<(), Error> {
        match self.engine.as_mut() {
            Some(Engine::Gcm(g)) => g.set_aad(aad),
            Some(Engine::ChaChaPoly(c)) => {
                c.set_aad(aad);
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
        encoding.validate(data)?;
        self.update(&encoding.decode(data))
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
            pub fn set_auto_padding(&mut self, padding: bool) -> Result<&mut Self, Error> {
                self.core.set_auto_padding(padding)?;
                Ok(self)
            }

            /// `setAAD(buffer)`: additional authenticated data (AEAD ciphers).
            ///
            /// # Errors
            /// `ERR_CRYPTO_INVALID_STATE` for a cipher without AAD, after `final`, and for
            /// GCM once text has been processed.
            pub fn set_aad(&mut self, aad: impl AsRef<[u8]>) -> Result<&mut Self, Error> {
                self.core.set_aad(aad.as_ref())?;
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
    pub fn set_auth_tag(&mut self, tag: impl AsRef<[u8]>) -> Result<&mut Self, Error> {
        self.core.set_auth_tag(tag.as_ref())?;
        Ok(self)
    }
}
