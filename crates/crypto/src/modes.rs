//! The block-cipher modes of `createCipheriv` over any block cipher (AES, ARIA, Camellia,
//! SM4, two- and three-key Triple DES), as OpenSSL 3 runs them: ECB and CBC with PKCS#7
//! padding ([`Padded`]), and the feedback modes CFB (full block), CFB8, CFB1, OFB and CTR
//! ([`Feedback`]), which keep their place inside a block between `update` calls as
//! OpenSSL's `num` does; AES key wrap with and without padding ([`KeyWrap`]), XTS
//! ([`Xts`]), CCM ([`Ccm`]) and OCB ([`Ocb`]), each following OpenSSL's code where Node
//! shows its quirks.
//!
//! AES-CTR and GCM keep their own faster paths in `cipher.rs`; everything here goes a
//! block at a time through [`BlockCipher`].

use aes::cipher::inout::InOutBuf;
use aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};

use crate::{Error, ErrorKind};

/// A block cipher behind a box, so one mode serves every cipher and key size.
pub(crate) trait BlockCipher: Send + Sync {
    /// The block size in bytes (16, or 8 for Triple DES).
    fn block_size(&self) -> usize;
    /// Encrypts whole blocks in place (`data.len()` is a multiple of the block size).
    fn encrypt_blocks(&self, data: &mut [u8]);
    /// Decrypts whole blocks in place.
    fn decrypt_blocks(&self, data: &mut [u8]);
    /// CBC-encrypts whole blocks in place, `prev` the chaining value (here, so that the
    /// serial loop is compiled for each cipher rather than called through the box).
    fn cbc_encrypt(&self, prev: &mut [u8], data: &mut [u8]);
}

impl<C: BlockEncrypt + BlockDecrypt + Send + Sync> BlockCipher for C {
    fn block_size(&self) -> usize {
        C::block_size()
    }

    fn encrypt_blocks(&self, data: &mut [u8]) {
        let (blocks, _) = InOutBuf::from(data).into_chunks();
        self.encrypt_blocks_inout(blocks);
    }

    fn decrypt_blocks(&self, data: &mut [u8]) {
        let (blocks, _) = InOutBuf::from(data).into_chunks();
        self.decrypt_blocks_inout(blocks);
    }

    fn cbc_encrypt(&self, prev: &mut [u8], data: &mut [u8]) {
        self.encrypt_with_backend(CbcEncrypt::<C::BlockSize> {
            prev,
            data,
            size: std::marker::PhantomData,
        });
    }
}

/// CBC encryption's serial loop as a closure given the cipher's backend: AES (`aes`'s
/// autodetection) runs it inside its AES-NI function, so the loop and the rounds are compiled
/// together and the chaining value stays in a register. Against a separate `encrypt_block`
/// per block (before), on the reference machine: the loop alone, AES-128 829 -> 1342 MiB/s
/// and AES-256 667 -> 972 MiB/s; through `Cipheriv` (`examples/cipher_throughput.rs`, best of
/// 40), AES-128-CBC about 720 -> 1130 MiB/s (node 1120-1170) and AES-256-CBC about 560 -> 830
/// (node 650-870).
struct CbcEncrypt<'a, N: aes::cipher::ArrayLength<u8>> {
    prev: &'a mut [u8],
    data: &'a mut [u8],
    size: std::marker::PhantomData<N>,
}

impl<N: aes::cipher::ArrayLength<u8>> aes::cipher::BlockSizeUser for CbcEncrypt<'_, N> {
    type BlockSize = N;
}

impl<N: aes::cipher::ArrayLength<u8>> aes::cipher::BlockClosure for CbcEncrypt<'_, N> {
    #[inline(always)]
    fn call<B: aes::cipher::BlockBackend<BlockSize = N>>(self, backend: &mut B) {
        let mut chain =
            aes::cipher::generic_array::GenericArray::<u8, N>::clone_from_slice(self.prev);
        for block in self.data.chunks_exact_mut(N::USIZE) {
            let block = aes::cipher::generic_array::GenericArray::<u8, N>::from_mut_slice(block);
            block.iter_mut().zip(&chain).for_each(|(b, c)| *b ^= c);
            backend.proc_block(block.into());
            chain.copy_from_slice(block);
        }
        self.prev.copy_from_slice(&chain);
    }
}

/// The block ciphers, each in its key sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    Aes,
    Aria,
    Camellia,
    Sm4,
    /// Three-key Triple DES (`des-ede3`).
    Tdes3,
    /// Two-key Triple DES (`des-ede`, K1 K2 K1).
    Tdes2,
    /// Not a block cipher: ChaCha20's two ciphers.
    ChaCha,
}

impl Family {
    /// The block size in bytes (0 for ChaCha20, which has none).
    pub(crate) fn block_size(self) -> usize {
        match self {
            Family::Tdes3 | Family::Tdes2 => 8,
            Family::ChaCha => 0,
            _ => 16,
        }
    }

    /// The cipher keyed with `key`, whose length was checked against the cipher's.
    pub(crate) fn keyed(self, key: &[u8]) -> Box<dyn BlockCipher> {
        fn boxed<C: KeyInit + BlockCipher + 'static>(key: &[u8]) -> Box<dyn BlockCipher> {
            Box::new(C::new_from_slice(key).expect("key length checked by the caller"))
        }
        match (self, key.len()) {
            (Family::Aes, 16) => boxed::<aes::Aes128>(key),
            (Family::Aes, 24) => boxed::<aes::Aes192>(key),
            (Family::Aes, _) => boxed::<aes::Aes256>(key),
            (Family::Aria, 16) => boxed::<aria::Aria128>(key),
            (Family::Aria, 24) => boxed::<aria::Aria192>(key),
            (Family::Aria, _) => boxed::<aria::Aria256>(key),
            (Family::Camellia, 16) => boxed::<camellia::Camellia128>(key),
            (Family::Camellia, 24) => boxed::<camellia::Camellia192>(key),
            (Family::Camellia, _) => boxed::<camellia::Camellia256>(key),
            (Family::Sm4, _) => boxed::<sm4::Sm4>(key),
            (Family::Tdes3, _) => boxed::<des::TdesEde3>(key),
            (Family::Tdes2 | Family::ChaCha, _) => boxed::<des::TdesEde2>(key),
        }
    }
}

/// ECB and CBC: whole blocks, PKCS#7 padding unless turned off.
pub(crate) struct Padded {
    cipher: Box<dyn BlockCipher>,
    /// CBC's chaining value (the IV, then the last ciphertext block); `None` for ECB.
    chain: Option<Vec<u8>>,
    /// Input not yet processed: less than a block, or (decrypting with padding) the last
    /// whole block, which only `final` may strip.
    buf: Vec<u8>,
}

impl Padded {
    /// ECB when `iv` is `None`, CBC otherwise.
    pub(crate) fn new(cipher: Box<dyn BlockCipher>, iv: Option<&[u8]>) -> Padded {
        Padded {
            cipher,
            chain: iv.map(<[u8]>::to_vec),
            buf: Vec::new(),
        }
    }

    pub(crate) fn update(&mut self, input: &[u8], encrypt: bool, padding: bool) -> Vec<u8> {
        let bs = self.cipher.block_size();
        let mut data = std::mem::take(&mut self.buf);
        data.extend_from_slice(input);
        let mut n = data.len() / bs * bs;
        // OpenSSL holds back a last whole block when decrypting with padding: it may be the
        // padded one, which only `final` may strip.
        if !encrypt && padding && n > 0 && n == data.len() {
            n -= bs;
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
        let Some(prev) = self.chain.as_mut() else {
            self.cipher.encrypt_blocks(data);
            return;
        };
        self.cipher.cbc_encrypt(prev, data);
    }

    fn decrypt(&mut self, data: &mut [u8]) {
        match self.chain.as_mut() {
            Some(prev) => cbc_decrypt(&*self.cipher, prev, data),
            None => self.cipher.decrypt_blocks(data),
        }
    }

    pub(crate) fn finish(mut self, encrypt: bool, padding: bool) -> Result<Vec<u8>, Error> {
        let bs = self.cipher.block_size();
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
            let pad = bs - data.len();
            data.resize(bs, pad as u8);
            self.encrypt(&mut data);
            return Ok(data);
        }
        if data.len() != bs {
            return Err(wrong_length());
        }
        self.decrypt(&mut data);
        let pad = usize::from(data[bs - 1]);
        let good =
            (1..=bs).contains(&pad) && data[bs - pad..].iter().all(|&b| usize::from(b) == pad);
        if !good {
            return Err(Error::new(
                ErrorKind::BadDecrypt,
                "error:1C800064:Provider routines::bad decrypt",
            ));
        }
        data.truncate(bs - pad);
        Ok(data)
    }
}

/// CBC-decrypts whole blocks in place, `prev` the chaining value (left at the last
/// ciphertext block).
fn cbc_decrypt(cipher: &dyn BlockCipher, prev: &mut [u8], data: &mut [u8]) {
    let bs = prev.len();
    let Some(last) = data.len().checked_sub(bs) else {
        return;
    };
    let ciphertext = data.to_vec();
    // Decrypt every block in place (AES-NI pipelines independent blocks), then chain.
    cipher.decrypt_blocks(data);
    data[..bs]
        .iter_mut()
        .zip(prev.iter())
        .for_each(|(o, p)| *o ^= p);
    data[bs..]
        .iter_mut()
        .zip(&ciphertext[..last])
        .for_each(|(o, p)| *o ^= p);
    prev.copy_from_slice(&ciphertext[last..]);
}

/// The feedback modes, which turn a block cipher into a stream cipher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FeedbackMode {
    /// CFB with full-block feedback (OpenSSL's `cfb`, i.e. CFB128 or CFB64).
    Cfb,
    /// CFB with 8-bit feedback.
    Cfb8,
    /// CFB with 1-bit feedback (each byte is eight steps, most significant bit first).
    Cfb1,
    Ofb,
    /// CTR with the whole block as a big-endian counter.
    Ctr,
    /// CTR counting in the block's last 32 bits only (GCM's inc32).
    Ctr32,
}

/// A feedback mode's state.
pub(crate) struct Feedback {
    cipher: Box<dyn BlockCipher>,
    mode: FeedbackMode,
    /// The IV register: CFB's shift register, OFB's last output block, CTR's counter.
    reg: Vec<u8>,
    /// The keystream block in use, and how many of its bytes are spent (OpenSSL's `num`).
    ks: Vec<u8>,
    used: usize,
}

impl Feedback {
    pub(crate) fn new(cipher: Box<dyn BlockCipher>, mode: FeedbackMode, iv: &[u8]) -> Feedback {
        let bs = cipher.block_size();
        Feedback {
            cipher,
            mode,
            reg: iv.to_vec(),
            ks: vec![0; bs],
            used: bs,
        }
    }

    /// The register, encrypted, into `ks`.
    fn next_block(&mut self) {
        self.ks.copy_from_slice(&self.reg);
        self.cipher.encrypt_blocks(&mut self.ks);
    }

    pub(crate) fn apply(&mut self, data: &mut [u8], encrypt: bool) {
        let bs = self.reg.len();
        match self.mode {
            FeedbackMode::Cfb | FeedbackMode::Ofb | FeedbackMode::Ctr | FeedbackMode::Ctr32 => {
                for b in data {
                    if self.used == bs {
                        self.next_block();
                        match self.mode {
                            FeedbackMode::Ofb => self.reg.copy_from_slice(&self.ks),
                            FeedbackMode::Ctr => increment_be(&mut self.reg),
                            FeedbackMode::Ctr32 => increment_be(&mut self.reg[bs - 4..]),
                            _ => {}
                        }
                        self.used = 0;
                    }
                    let input = *b;
                    *b ^= self.ks[self.used];
                    if self.mode == FeedbackMode::Cfb {
                        // The ciphertext byte becomes the register's byte.
                        self.reg[self.used] = if encrypt { *b } else { input };
                    }
                    self.used += 1;
                }
            }
            FeedbackMode::Cfb8 => {
                for b in data {
                    self.next_block();
                    let input = *b;
                    *b ^= self.ks[0];
                    self.reg.rotate_left(1);
                    self.reg[bs - 1] = if encrypt { *b } else { input };
                }
            }
            FeedbackMode::Cfb1 => {
                for b in data {
                    let mut out = 0u8;
                    for bit in (0..8).rev() {
                        self.next_block();
                        let input = (*b >> bit) & 1;
                        let output = input ^ (self.ks[0] >> 7);
                        out |= output << bit;
                        shift_left_one_bit(&mut self.reg, if encrypt { output } else { input });
                    }
                    *b = out;
                }
            }
        }
    }
}

/// Adds one to a big-endian counter of the whole block, wrapping.
fn increment_be(counter: &mut [u8]) {
    for byte in counter.iter_mut().rev() {
        *byte = byte.wrapping_add(1);
        if *byte != 0 {
            break;
        }
    }
}

/// Shifts the register left by one bit, `bit` coming in at the right.
fn shift_left_one_bit(reg: &mut [u8], bit: u8) {
    let mut carry = bit;
    for byte in reg.iter_mut().rev() {
        let out = *byte >> 7;
        *byte = (*byte << 1) | carry;
        carry = out;
    }
}

/// AES key wrap (RFC 3394, OpenSSL's `id-aes*-wrap`) and key wrap with padding (RFC 5649,
/// `id-aes*-wrap-pad`). Each `update` wraps or unwraps its input on its own, as OpenSSL's
/// wrap ciphers do; the IV is the integrity check value (8 bytes, or 4 with padding).
pub(crate) struct KeyWrap {
    cipher: Box<dyn BlockCipher>,
    iv: Vec<u8>,
    pad: bool,
}

impl KeyWrap {
    pub(crate) fn new(cipher: Box<dyn BlockCipher>, iv: &[u8], pad: bool) -> KeyWrap {
        KeyWrap {
            cipher,
            iv: iv.to_vec(),
            pad,
        }
    }

    /// Wraps or unwraps one `update`'s input; `None` when OpenSSL refuses it (a length it
    /// does not take, or an unwrap whose check fails).
    pub(crate) fn apply(&self, input: &[u8], encrypt: bool) -> Option<Vec<u8>> {
        // OpenSSL's EVP layer returns before the cipher sees an empty input.
        if input.is_empty() {
            return Some(Vec::new());
        }
        match (encrypt, self.pad) {
            (true, false) => {
                (input.len() % 8 == 0 && input.len() >= 16).then(|| self.wrap(&self.iv, input))
            }
            (true, true) => {
                let mut aiv = self.iv.clone();
                aiv.extend_from_slice(&u32::try_from(input.len()).ok()?.to_be_bytes());
                let mut padded = input.to_vec();
                padded.resize(input.len().div_ceil(8) * 8, 0);
                if padded.len() == 8 {
                    let mut block = aiv;
                    block.extend_from_slice(&padded);
                    self.cipher.encrypt_blocks(&mut block);
                    return Some(block);
                }
                Some(self.wrap(&aiv, &padded))
            }
            (false, _) if input.len() % 8 != 0 || input.len() < 16 => None,
            (false, false) => {
                if input.len() < 24 {
                    return None;
                }
                let (a, plain) = self.unwrap(input)?;
                (a == self.iv).then_some(plain)
            }
            (false, true) => {
                let (a, mut plain) = if input.len() == 16 {
                    let mut block = input.to_vec();
                    self.cipher.decrypt_blocks(&mut block);
                    let plain = block.split_off(8);
                    (block, plain)
                } else {
                    self.unwrap(input)?
                };
                let mli = u32::from_be_bytes([a[4], a[5], a[6], a[7]]) as usize;
                let fits = mli <= plain.len() && mli + 8 > plain.len();
                if a[..4] != self.iv[..] || !fits || plain[mli..].iter().any(|&b| b != 0) {
                    return None;
                }
                plain.truncate(mli);
                Some(plain)
            }
        }
    }

    /// RFC 3394's W: six passes over the 64-bit blocks, `a` the initial value.
    fn wrap(&self, a: &[u8], plain: &[u8]) -> Vec<u8> {
        let n = plain.len() / 8;
        let mut out = a.to_vec();
        out.extend_from_slice(plain);
        let mut block = [0u8; 16];
        for j in 0..6 {
            for i in 1..=n {
                block[..8].copy_from_slice(&out[..8]);
                block[8..].copy_from_slice(&out[i * 8..i * 8 + 8]);
                self.cipher.encrypt_blocks(&mut block);
                let t = (n * j + i) as u64;
                let msb = u64::from_be_bytes(block[..8].try_into().expect("8 bytes")) ^ t;
                out[..8].copy_from_slice(&msb.to_be_bytes());
                out[i * 8..i * 8 + 8].copy_from_slice(&block[8..]);
            }
        }
        out
    }

    /// RFC 3394's W⁻¹: the recovered initial value and the plaintext.
    fn unwrap(&self, wrapped: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
        let n = wrapped.len() / 8 - 1;
        let mut a = u64::from_be_bytes(wrapped[..8].try_into().ok()?);
        let mut r = wrapped[8..].to_vec();
        let mut block = [0u8; 16];
        for j in (0..6).rev() {
            for i in (1..=n).rev() {
                let t = (n * j + i) as u64;
                block[..8].copy_from_slice(&(a ^ t).to_be_bytes());
                block[8..].copy_from_slice(&r[(i - 1) * 8..i * 8]);
                self.cipher.decrypt_blocks(&mut block);
                a = u64::from_be_bytes(block[..8].try_into().ok()?);
                r[(i - 1) * 8..i * 8].copy_from_slice(&block[8..]);
            }
        }
        Some((a.to_be_bytes().to_vec(), r))
    }
}

/// The most an XTS `update` may take: 2^20 blocks per data unit (IEEE Std 1619-2018, which
/// OpenSSL enforces).
const XTS_MAX_BYTES: usize = (1 << 20) * 16;

/// AES-XTS (IEEE Std 1619) with ciphertext stealing, as OpenSSL's `CRYPTO_xts128_encrypt`.
/// The key is two AES keys, for the data and for the tweak. Each `update` is a data unit of
/// its own, all of them under the same IV (OpenSSL does not advance it).
pub(crate) struct Xts {
    data: Box<dyn BlockCipher>,
    tweak: Box<dyn BlockCipher>,
    iv: [u8; 16],
}

impl Xts {
    /// `key` holds the two keys, `iv` is 16 bytes (both checked by the caller).
    pub(crate) fn new(family: Family, key: &[u8], iv: &[u8]) -> Xts {
        let (k1, k2) = key.split_at(key.len() / 2);
        let mut tweak_iv = [0u8; 16];
        tweak_iv.copy_from_slice(iv);
        Xts {
            data: family.keyed(k1),
            tweak: family.keyed(k2),
            iv: tweak_iv,
        }
    }

    /// One data unit; `None` when OpenSSL refuses its length (under a block, or over
    /// [`XTS_MAX_BYTES`]).
    pub(crate) fn apply(&self, input: &[u8], encrypt: bool) -> Option<Vec<u8>> {
        if input.len() < 16 || input.len() > XTS_MAX_BYTES {
            return None;
        }
        let crypt = |block: &mut [u8], tweak: &[u8; 16]| {
            block.iter_mut().zip(tweak).for_each(|(b, t)| *b ^= t);
            if encrypt {
                self.data.encrypt_blocks(block);
            } else {
                self.data.decrypt_blocks(block);
            }
            block.iter_mut().zip(tweak).for_each(|(b, t)| *b ^= t);
        };
        let mut out = input.to_vec();
        let mut tweak = self.iv;
        self.tweak.encrypt_blocks(&mut tweak);
        let tail = input.len() % 16;
        // Decrypting with stealing, the last whole block waits for the tweak after its own.
        let whole = input.len() / 16 - usize::from(!encrypt && tail > 0);
        for i in 0..whole {
            crypt(&mut out[i * 16..i * 16 + 16], &tweak);
            if (i + 1) * 16 < input.len() {
                tweak = xts_double(tweak);
            }
        }
        if tail == 0 {
            return Some(out);
        }
        let last = input.len() - tail;
        if encrypt {
            // The partial block takes the head of the last whole ciphertext block, whose
            // place gets the partial plaintext padded with that block's tail, encrypted.
            let mut scratch = [0u8; 16];
            scratch.copy_from_slice(&out[last - 16..last]);
            out[last..].copy_from_slice(&scratch[..tail]);
            scratch[..tail].copy_from_slice(&input[last..]);
            crypt(&mut scratch, &tweak);
            out[last - 16..last].copy_from_slice(&scratch);
        } else {
            let next = xts_double(tweak);
            let mut scratch = [0u8; 16];
            scratch.copy_from_slice(&input[last - 16..last]);
            crypt(&mut scratch, &next);
            out[last..].copy_from_slice(&scratch[..tail]);
            scratch[..tail].copy_from_slice(&input[last..]);
            crypt(&mut scratch, &tweak);
            out[last - 16..last].copy_from_slice(&scratch);
        }
        Some(out)
    }
}

/// The tweak times x in GF(2^128), the block read as a little-endian number.
fn xts_double(tweak: [u8; 16]) -> [u8; 16] {
    let t = u128::from_le_bytes(tweak);
    let reduced = (t << 1) ^ if t >> 127 == 1 { 0x87 } else { 0 };
    reduced.to_le_bytes()
}

/// OCB (RFC 7253) over a 16-byte block cipher, streaming as OpenSSL runs it: whole blocks of
/// text leave at once and a partial one waits for more text or `final`; AAD may come at any
/// time, since it is hashed apart from the text (and likewise buffered by whole blocks).
pub(crate) struct Ocb {
    cipher: Box<dyn BlockCipher>,
    l_star: [u8; 16],
    l_dollar: [u8; 16],
    /// L_0, L_1 …, extended as the block count needs them.
    l: Vec<[u8; 16]>,
    text: OcbLane,
    aad: OcbLane,
    checksum: [u8; 16],
}

/// The running state of one of OCB's two streams (text or AAD): its offset, block count,
/// partial block, and for AAD the running sum.
#[derive(Default)]
struct OcbLane {
    offset: [u8; 16],
    blocks: u64,
    buf: Vec<u8>,
    sum: [u8; 16],
}

fn xor16(a: &mut [u8; 16], b: &[u8]) {
    a.iter_mut().zip(b).for_each(|(x, y)| *x ^= y);
}

/// Doubling in GF(2^128), the block read as a big-endian number.
fn ocb_double(x: [u8; 16]) -> [u8; 16] {
    let v = u128::from_be_bytes(x);
    ((v << 1) ^ if v >> 127 == 1 { 0x87 } else { 0 }).to_be_bytes()
}

impl Ocb {
    /// `nonce` is 1 to 15 bytes and `tag_len` 1 to 16 (checked by the caller).
    pub(crate) fn new(cipher: Box<dyn BlockCipher>, nonce: &[u8], tag_len: usize) -> Ocb {
        let mut l_star = [0u8; 16];
        cipher.encrypt_blocks(&mut l_star);
        let l_dollar = ocb_double(l_star);
        let mut block = [0u8; 16];
        block[0] = (((tag_len * 8) % 128) as u8) << 1;
        block[15 - nonce.len()] |= 1;
        block[16 - nonce.len()..].copy_from_slice(nonce);
        let bottom = usize::from(block[15] & 63);
        block[15] &= 0xc0;
        cipher.encrypt_blocks(&mut block);
        let mut stretch = [0u8; 24];
        stretch[..16].copy_from_slice(&block);
        for i in 0..8 {
            stretch[16 + i] = block[i] ^ block[i + 1];
        }
        // Offset_0: the 128 bits of the stretch that start at bit `bottom`.
        let mut offset = [0u8; 16];
        let (byte, bit) = (bottom / 8, bottom % 8);
        for (i, o) in offset.iter_mut().enumerate() {
            let hi = stretch[byte + i] << bit;
            let lo = if bit == 0 {
                0
            } else {
                stretch[byte + i + 1] >> (8 - bit)
            };
            *o = hi | lo;
        }
        Ocb {
            cipher,
            l_star,
            l_dollar,
            l: vec![ocb_double(l_dollar)],
            text: OcbLane {
                offset,
                ..OcbLane::default()
            },
            aad: OcbLane::default(),
            checksum: [0; 16],
        }
    }

    /// The offset step of block number `i` (from 1): L_ntz(i).
    fn l_for(&mut self, i: u64) -> [u8; 16] {
        let ntz = i.trailing_zeros() as usize;
        while self.l.len() <= ntz {
            let next = ocb_double(self.l[self.l.len() - 1]);
            self.l.push(next);
        }
        self.l[ntz]
    }

    /// Additional data, in any pieces.
    pub(crate) fn add_aad(&mut self, data: &[u8]) {
        self.aad.buf.extend_from_slice(data);
        let whole = self.aad.buf.len() / 16 * 16;
        let blocks: Vec<u8> = self.aad.buf.drain(..whole).collect();
        for chunk in blocks.chunks_exact(16) {
            self.aad.blocks += 1;
            let step = self.l_for(self.aad.blocks);
            xor16(&mut self.aad.offset, &step);
            let mut b = self.aad.offset;
            xor16(&mut b, chunk);
            self.cipher.encrypt_blocks(&mut b);
            xor16(&mut self.aad.sum, &b);
        }
    }

    /// Text: the whole blocks it completes, processed.
    pub(crate) fn update(&mut self, input: &[u8], encrypt: bool) -> Vec<u8> {
        self.text.buf.extend_from_slice(input);
        let whole = self.text.buf.len() / 16 * 16;
        let mut out: Vec<u8> = self.text.buf.drain(..whole).collect();
        for chunk in out.chunks_exact_mut(16) {
            self.text.blocks += 1;
            let step = self.l_for(self.text.blocks);
            xor16(&mut self.text.offset, &step);
            if encrypt {
                xor16(&mut self.checksum, chunk);
            }
            xor16(
                (&mut *chunk).try_into().expect("16 bytes"),
                &self.text.offset,
            );
            if encrypt {
                self.cipher.encrypt_blocks(chunk);
            } else {
                self.cipher.decrypt_blocks(chunk);
            }
            xor16(chunk.try_into().expect("16 bytes"), &self.text.offset);
            if !encrypt {
                xor16(&mut self.checksum, chunk);
            }
        }
        out
    }

    /// `final`: the partial block's output and the full 16-byte tag.
    pub(crate) fn finish(mut self, encrypt: bool) -> (Vec<u8>, [u8; 16]) {
        let mut out = std::mem::take(&mut self.text.buf);
        if !out.is_empty() {
            xor16(&mut self.text.offset, &self.l_star);
            let mut pad = self.text.offset;
            self.cipher.encrypt_blocks(&mut pad);
            let mut padded = [0u8; 16];
            if encrypt {
                padded[..out.len()].copy_from_slice(&out);
            }
            out.iter_mut().zip(&pad).for_each(|(o, p)| *o ^= p);
            if !encrypt {
                padded[..out.len()].copy_from_slice(&out);
            }
            padded[out.len()] = 0x80;
            xor16(&mut self.checksum, &padded);
        }
        if !self.aad.buf.is_empty() {
            xor16(&mut self.aad.offset, &self.l_star);
            let mut padded = [0u8; 16];
            padded[..self.aad.buf.len()].copy_from_slice(&self.aad.buf);
            padded[self.aad.buf.len()] = 0x80;
            xor16(&mut padded, &self.aad.offset);
            self.cipher.encrypt_blocks(&mut padded);
            xor16(&mut self.aad.sum, &padded);
        }
        let mut tag = self.checksum;
        xor16(&mut tag, &self.text.offset);
        xor16(&mut tag, &self.l_dollar);
        self.cipher.encrypt_blocks(&mut tag);
        xor16(&mut tag, &self.aad.sum);
        (out, tag)
    }
}

/// CCM as OpenSSL 3 runs it: `CRYPTO_ccm128` (the CBC-MAC and the counter share the nonce
/// block, whose length field is cleared after a message) under the provider's flags (IV,
/// length and tag set or not). Node's quirks follow from it: the whole message goes in one
/// `update`, the plaintext length comes first (from `setAAD`'s `plaintextLength` or the
/// `update` itself), a second AAD restarts the MAC, a decryption checks its tag in `update`.
pub(crate) struct Ccm {
    cipher: Box<dyn BlockCipher>,
    /// The IV (nonce) as given, 7 to 13 bytes.
    iv: Vec<u8>,
    /// OpenSSL's `nonce` block: flags, nonce, then the message length or the counter.
    nonce: [u8; 16],
    cmac: [u8; 16],
    tag_len: usize,
    iv_set: bool,
    len_set: bool,
    tag_set: bool,
    /// The expected tag (decrypting), once Node has passed it to OpenSSL.
    expected: Option<Vec<u8>>,
}

impl Ccm {
    /// `iv` is 7 to 13 bytes and `tag_len` even, 4 to 16 (checked by the caller).
    pub(crate) fn new(cipher: Box<dyn BlockCipher>, iv: &[u8], tag_len: usize) -> Ccm {
        let l = 15 - iv.len();
        let mut nonce = [0u8; 16];
        nonce[0] = (((l - 1) & 7) as u8) | ((((tag_len - 2) / 2) & 7) as u8) << 3;
        Ccm {
            cipher,
            iv: iv.to_vec(),
            nonce,
            cmac: [0; 16],
            tag_len,
            iv_set: true,
            len_set: false,
            tag_set: false,
            expected: None,
        }
    }

    /// The size of the message-length field (OpenSSL's L).
    fn l(&self) -> usize {
        usize::from(self.nonce[0] & 7) + 1
    }

    /// The largest message Node lets through (`max_message_size_`).
    pub(crate) fn max_message(&self) -> usize {
        let bits = 8 * (15 - self.iv.len());
        if bits >= 31 {
            i32::MAX as usize
        } else {
            (1 << bits) - 1
        }
    }

    /// `CRYPTO_ccm128_setiv`: the nonce and the message length.
    fn set_length(&mut self, len: usize) {
        let l = self.l();
        let len = (len as u64).to_be_bytes();
        self.nonce[8..].copy_from_slice(&len);
        self.nonce[0] &= !0x40;
        self.nonce[1..1 + 14 - (l - 1)].copy_from_slice(&self.iv[..15 - l]);
        self.len_set = true;
    }

    fn encrypt_block(&self, block: &mut [u8; 16]) {
        self.cipher.encrypt_blocks(block);
    }

    /// Node's `MaybePassAuthTagToOpenSSL` (decrypting): the tag, when one was given.
    pub(crate) fn pass_tag(&mut self, tag: Option<&[u8]>) {
        if let (false, Some(t)) = (self.tag_set, tag) {
            self.expected = Some(t.to_vec());
            self.tag_set = true;
        }
    }

    /// Node's `setAAD` for CCM: the plaintext length, then the AAD (`CRYPTO_ccm128_aad`).
    pub(crate) fn set_aad(&mut self, aad: &[u8], plaintext_length: usize) -> bool {
        if !self.iv_set {
            return false;
        }
        self.set_length(plaintext_length);
        if aad.is_empty() {
            return true;
        }
        self.nonce[0] |= 0x40;
        let mut cmac = self.nonce;
        self.encrypt_block(&mut cmac);
        let n = aad.len();
        let header: Vec<u8> = if n < 0x10000 - 0x100 {
            (n as u16).to_be_bytes().to_vec()
        } else if n as u64 >= 1 << 32 {
            [&[0xff, 0xff][..], &(n as u64).to_be_bytes()].concat()
        } else {
            [&[0xff, 0xfe][..], &(n as u32).to_be_bytes()].concat()
        };
        let mut data = header;
        data.extend_from_slice(aad);
        for chunk in data.chunks(16) {
            xor16(&mut cmac, chunk);
            self.encrypt_block(&mut cmac);
        }
        self.cmac = cmac;
        true
    }

    /// One `update`: the output, or `None` when OpenSSL refuses (for a decryption, Node
    /// then reports the failure at `final`).
    pub(crate) fn update(&mut self, input: &[u8], encrypt: bool) -> Option<Vec<u8>> {
        if !self.iv_set || (!encrypt && !self.tag_set) {
            return None;
        }
        if !self.len_set {
            self.set_length(input.len());
        }
        let mut out = input.to_vec();
        let l = self.l();
        let flags0 = self.nonce[0];
        if flags0 & 0x40 == 0 {
            let mut cmac = self.nonce;
            self.encrypt_block(&mut cmac);
            self.cmac = cmac;
        }
        self.nonce[0] = flags0 & 7;
        let mut n: u64 = 0;
        for i in 15 - l + 1..16 {
            n = (n << 8) | u64::from(self.nonce[i]);
            self.nonce[i] = 0;
        }
        self.nonce[15] = 1;
        if n != input.len() as u64 {
            // OpenSSL returns here, leaving the flags byte without its flags.
            return None;
        }
        {
            for chunk in out.chunks_mut(16) {
                let mut pad = self.nonce;
                self.encrypt_block(&mut pad);
                increment_be(&mut self.nonce[8..]);
                if encrypt {
                    xor16(&mut self.cmac, chunk);
                }
                chunk.iter_mut().zip(&pad).for_each(|(c, p)| *c ^= p);
                if !encrypt {
                    xor16(&mut self.cmac, chunk);
                }
                let mut cmac = self.cmac;
                self.encrypt_block(&mut cmac);
                self.cmac = cmac;
            }
            for b in &mut self.nonce[15 - l + 1..] {
                *b = 0;
            }
            let mut s0 = self.nonce;
            self.encrypt_block(&mut s0);
            xor16(&mut self.cmac, &s0);
        }
        self.nonce[0] = flags0;
        if encrypt {
            self.tag_set = true;
            return Some(out);
        }
        let good = self
            .expected
            .as_deref()
            .is_some_and(|t| t.len() == self.tag_len && t == &self.cmac[..self.tag_len]);
        if good {
            // A message is done: OpenSSL refuses another until the context is set up again.
            self.iv_set = false;
            self.tag_set = false;
            self.len_set = false;
        }
        good.then_some(out)
    }

    /// The tag after `final` (encrypting), or `None` (`ERR_OSSL_TAG_NOT_SET`) when no
    /// message was processed.
    pub(crate) fn tag(&self) -> Option<Vec<u8>> {
        self.tag_set.then(|| self.cmac[..self.tag_len].to_vec())
    }
}

/// The second-pass IV of the CMS Triple-DES key wrap (RFC 3217).
const CMS3DES_WRAP_IV: [u8; 8] = [0x4a, 0xdd, 0xa2, 0x2c, 0x79, 0xe8, 0x21, 0x05];

/// The CMS Triple-DES key wrap (RFC 3217, OpenSSL's `des3-wrap`): the key and the first
/// eight bytes of its SHA-1, CBC-encrypted under a random IV, that IV prepended, all of it
/// reversed and CBC-encrypted again under a fixed IV. Each `update` is a wrap of its own.
pub(crate) struct Cms3DesWrap {
    cipher: Box<dyn BlockCipher>,
}

impl Cms3DesWrap {
    pub(crate) fn new(cipher: Box<dyn BlockCipher>) -> Cms3DesWrap {
        Cms3DesWrap { cipher }
    }

    /// One `update`; `None` when OpenSSL refuses (a length that is not whole 8-byte blocks,
    /// an unwrap under 24 bytes or whose check value is wrong).
    pub(crate) fn apply(&self, input: &[u8], encrypt: bool) -> Option<Vec<u8>> {
        use sha1::Digest;
        // OpenSSL's EVP layer returns before the cipher sees an empty input.
        if input.is_empty() {
            return Some(Vec::new());
        }
        if input.len() % 8 != 0 {
            return None;
        }
        if encrypt {
            let mut iv = [0u8; 8];
            getrandom::fill(&mut iv).ok()?;
            let mut out = iv.to_vec();
            let mut body = input.to_vec();
            body.extend_from_slice(&sha1::Sha1::digest(input)[..8]);
            self.cipher.cbc_encrypt(&mut iv, &mut body);
            out.extend_from_slice(&body);
            out.reverse();
            self.cipher
                .cbc_encrypt(&mut CMS3DES_WRAP_IV.clone(), &mut out);
            return Some(out);
        }
        if input.len() < 24 {
            return None;
        }
        let mut temp = input.to_vec();
        cbc_decrypt(&*self.cipher, &mut CMS3DES_WRAP_IV.clone(), &mut temp);
        temp.reverse();
        let (iv, rest) = temp.split_at_mut(8);
        cbc_decrypt(&*self.cipher, iv, rest);
        let (key, icv) = rest.split_at(rest.len() - 8);
        (sha1::Sha1::digest(key)[..8] == *icv).then(|| key.to_vec())
    }
}
