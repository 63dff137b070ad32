//! Random identifiers and secrets shaped like the ones IVS hands out.

use rand_core::{OsRng, RngCore};

const ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX: &[u8] = b"0123456789abcdef";

fn random_from(alphabet: &[u8], length: usize) -> String {
    // 256 is not a multiple of 62, so a plain modulo would favour the first letters; bytes past
    // the last whole multiple are skipped to keep the ids uniform.
    let limit = 256 - 256 % alphabet.len();
    let mut text = String::with_capacity(length);
    let mut random = [0u8; 64];
    while text.len() < length {
        OsRng.fill_bytes(&mut random);
        for byte in random.iter().map(|byte| usize::from(*byte)) {
            if byte < limit && text.len() < length {
                text.push(char::from(alphabet[byte % alphabet.len()]));
            }
        }
    }
    text
}

pub fn alphanumeric(length: usize) -> String {
    random_from(ALPHANUMERIC, length)
}

pub fn hex(length: usize) -> String {
    random_from(HEX, length)
}

/// A resource id as in `arn:aws:ivs:us-west-2:123456789012:channel/AbCdEfGhIjKl`.
pub fn resource_id() -> String {
    alphanumeric(12)
}

/// A stream id: `st-` and 23 letters or digits, 26 characters in all.
pub fn stream_id() -> String {
    format!("st-{}", alphanumeric(23))
}

/// A stream key's value as IVS shapes it: `sk_<region>_<12 characters>_<30 characters>`.
pub fn stream_key_value(region: &str) -> String {
    format!("sk_{region}_{}_{}", alphanumeric(12), alphanumeric(30))
}

/// An SRT passphrase, as long as IVS's (about 70 characters).
pub fn srt_passphrase() -> String {
    alphanumeric(70)
}

/// A UUID v4 for `x-amzn-RequestId`. Request ids need to be unique, not unpredictable, so they
/// come from a per-thread generator seeded once from the OS rather than a system call per
/// response.
pub fn request_id() -> String {
    use std::cell::Cell;
    thread_local! {
        static STATE: Cell<u64> = Cell::new(OsRng.next_u64());
    }
    // SplitMix64: a tiny generator with good statistical quality.
    let next = || {
        STATE.with(|state| {
            let value = state.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
            state.set(value);
            let mut mixed = value;
            mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            mixed ^ (mixed >> 31)
        })
    };
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&next().to_le_bytes());
    bytes[8..].copy_from_slice(&next().to_le_bytes());
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_have_the_ivs_shapes() {
        let stream = super::stream_id();
        assert_eq!(stream.len(), 26);
        assert!(stream.starts_with("st-"));
        let key = super::stream_key_value("us-west-2");
        let parts: Vec<&str> = key.split('_').collect();
        assert_eq!(parts.len(), 4);
        assert_eq!((parts[0], parts[1]), ("sk", "us-west-2"));
        assert_eq!((parts[2].len(), parts[3].len()), (12, 30));
        assert_eq!(super::srt_passphrase().len(), 70);
        assert!(super::hex(12).bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(super::resource_id()
            .bytes()
            .all(|b| b.is_ascii_alphanumeric()));
    }
}
