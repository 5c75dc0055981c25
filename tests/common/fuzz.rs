//! Damaged copies of a file for fuzz runs: bytes overwritten, a run zeroed, or the file cut,
//! at random places.

use proptest::prelude::*;

#[derive(Debug, Clone)]
pub enum Mutation {
    Bytes(Vec<(usize, u8)>),
    Zero(usize, usize),
    Cut(usize),
}

impl Mutation {
    /// `original` damaged.
    pub fn apply(&self, original: &[u8]) -> Vec<u8> {
        let mut bytes = original.to_vec();
        let n = bytes.len();
        match self {
            Mutation::Bytes(edits) => {
                for (at, b) in edits {
                    bytes[at % n] = *b;
                }
            }
            Mutation::Zero(at, len) => {
                let at = at % n;
                let end = (at + len).min(n);
                bytes[at..end].fill(0);
            }
            Mutation::Cut(at) => bytes.truncate(at % n),
        }
        bytes
    }
}

pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        proptest::collection::vec((0usize..1 << 20, any::<u8>()), 1..16).prop_map(Mutation::Bytes),
        (0usize..1 << 20, 1usize..4096).prop_map(|(a, l)| Mutation::Zero(a, l)),
        (0usize..1 << 20).prop_map(Mutation::Cut),
    ]
}

/// Cases per fuzz test: 96 in every test run; SIGNAGE_FUZZ_CASES=5000 for a longer run.
pub fn cases() -> u32 {
    std::env::var("SIGNAGE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(96)
}
