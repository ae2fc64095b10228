//! Property tests: no input panics a decompressor (any bytes, any chunk size, window and
//! flush), what the compressors produce decompresses to the input, and an engine fed in
//! pieces answers as one call does.

use nodestd_zlib::{Mode, Options, Zlib, constants::*, sync};
use proptest::prelude::*;

const DECOMPRESSORS: [Mode; 5] = [
    Mode::Inflate,
    Mode::Gunzip,
    Mode::InflateRaw,
    Mode::Unzip,
    Mode::BrotliDecode,
];
const COMPRESSORS: [Mode; 4] = [
    Mode::Deflate,
    Mode::Gzip,
    Mode::DeflateRaw,
    Mode::BrotliEncode,
];

fn undo(mode: Mode) -> Mode {
    match mode {
        Mode::Deflate => Mode::Inflate,
        Mode::Gzip => Mode::Gunzip,
        Mode::DeflateRaw => Mode::InflateRaw,
        _ => Mode::BrotliDecode,
    }
}

/// Bytes that often look like a real stream: a valid compressed prefix, then noise.
fn stream_like() -> impl Strategy<Value = Vec<u8>> {
    (
        0usize..4,
        proptest::collection::vec(any::<u8>(), 0..200),
        proptest::collection::vec(any::<u8>(), 0..40),
    )
        .prop_map(|(m, data, noise)| {
            let mut packed = sync(COMPRESSORS[m], &data, &Options::default()).unwrap();
            let cut = noise
                .first()
                .map_or(packed.len(), |&n| packed.len() * usize::from(n) / 255);
            packed.truncate(cut);
            packed.extend(noise);
            packed
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn decompressors_never_panic(
        data in prop_oneof![proptest::collection::vec(any::<u8>(), 0..300), stream_like()],
        which in 0usize..5,
        window in prop::option::of(8i32..=15),
        chunk in prop::option::of(64usize..300),
        max in prop::option::of(1u64..500),
        sync_flush in any::<bool>(),
        dict in prop::option::of(proptest::collection::vec(any::<u8>(), 0..40)),
    ) {
        let mode = DECOMPRESSORS[which];
        let brotli = mode == Mode::BrotliDecode;
        let opts = Options {
            window_bits: if brotli { None } else { window },
            chunk_size: chunk,
            max_output_length: max,
            finish_flush: sync_flush.then_some(if brotli { BROTLI_OPERATION_FLUSH } else { Z_SYNC_FLUSH }),
            dictionary: if brotli { None } else { dict },
            ..Options::default()
        };
        if let Err(e) = sync(mode, &data, &opts) {
            // Every error is one of Node's, with a message.
            prop_assert!(!e.message().is_empty());
            prop_assert!(e.code().starts_with("Z_") || e.code().starts_with("ERR_"));
        }
    }

    #[test]
    fn compressed_data_comes_back(
        data in proptest::collection::vec(any::<u8>(), 0..2000),
        which in 0usize..4,
        level in -1i32..=9,
        strategy in 0i32..=4,
        mem_level in 1i32..=9,
        window in 9i32..=15,
        quality in 0u32..=9,
    ) {
        let mode = COMPRESSORS[which];
        let opts = if mode.is_brotli() {
            Options { params: vec![(BROTLI_PARAM_QUALITY, quality)], ..Options::default() }
        } else {
            Options {
                level: Some(level),
                strategy: Some(strategy),
                mem_level: Some(mem_level),
                window_bits: Some(window),
                ..Options::default()
            }
        };
        let packed = sync(mode, &data, &opts).unwrap();
        let back_opts = Options {
            window_bits: opts.window_bits,
            ..Options::default()
        };
        prop_assert_eq!(sync(undo(mode), &packed, &back_opts).unwrap(), data);
    }

    #[test]
    fn pieces_decode_like_one_call(
        data in proptest::collection::vec(any::<u8>(), 0..3000),
        which in 0usize..4,
        cuts in proptest::collection::vec(1usize..400, 1..20),
    ) {
        let mode = COMPRESSORS[which];
        let packed = sync(mode, &data, &Options::default()).unwrap();
        let mut z = Zlib::new(undo(mode), &Options::default()).unwrap();
        let mut out = Vec::new();
        let mut at = 0;
        for cut in cuts.iter().cycle() {
            if at >= packed.len() {
                break;
            }
            let end = (at + cut).min(packed.len());
            out.extend(z.process_sync(&packed[at..end], z.flush_flag()).unwrap());
            at = end;
        }
        out.extend(z.process_sync(&[], z.finish_flush_flag()).unwrap());
        prop_assert_eq!(out, data);
    }
}
