//! Hash keys: how a build tells whether something changed since the last one.
//!
//! [`key`] hashes anything hashable into 64 bits, [`mix`] folds keys already made, and
//! [`ByKey`] is a map whose keys are such hashes, used as they are. These keys live only as
//! long as one run (the preview's caches); the disk cache keys its entries with SHA-256.

/// A 64-bit key of `parts`, to tell whether something changed between two builds of one run.
/// It may differ between Rust versions: where one reaches the image cache's key (through
/// [`crate::figure::Figure::hash`]), a new compiler only costs a cache miss.
pub fn key(parts: impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

/// Keys already made by [`key`], folded into one. Much cheaper than hashing them again, which
/// matters where it runs for every page on every edit in the preview.
pub fn mix(keys: &[u64]) -> u64 {
    keys.iter().fold(0x9E37_79B9_7F4A_7C15u64, |acc, k| {
        let x = (acc ^ k).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        (x ^ (x >> 31)).wrapping_mul(0x94D0_49BB_1331_11EB).rotate_left(17)
    })
}

/// A map keyed by a [`key`]: the key is already a hash, so it is used as it is.
pub type ByKey<V> = std::collections::HashMap<u64, V, std::hash::BuildHasherDefault<KeyHasher>>;

#[derive(Default)]
pub struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8 | u64::from(*b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn mixed_keys_depend_on_every_key_and_its_place() {
        let base = super::mix(&[1, 2, 3]);
        assert_ne!(base, super::mix(&[1, 2, 4]));
        assert_ne!(base, super::mix(&[3, 2, 1]));
        assert_ne!(base, super::mix(&[1, 2]));
        assert_eq!(base, super::mix(&[1, 2, 3]));
    }
}
