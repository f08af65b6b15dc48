//! RFC 9162 §2.1 Merkle tree hashing, audit paths (inclusion proofs) and consistency
//! proofs, over any source of leaf hashes and of perfect-subtree hashes.
//!
//! Written here rather than taken from `ct-merkle` or `rs_merkle`: both keep the whole
//! tree in memory, while an audit log grows without bound and lives on disk. The hashing
//! and the two proof algorithms are short and fully specified by the RFC; the property
//! tests in this module check every proof of small trees against the verifiers.

use sha2::{Digest, Sha256};

pub type Hash = [u8; 32];

/// RFC 9162 §2.1.1: the leaf hash, SHA-256(0x00 || entry).
pub fn leaf_hash(entry: &[u8]) -> Hash {
    Sha256::new()
        .chain_update([0u8])
        .chain_update(entry)
        .finalize()
        .into()
}

/// RFC 9162 §2.1.1: an interior node, SHA-256(0x01 || left || right).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    Sha256::new()
        .chain_update([1u8])
        .chain_update(left)
        .chain_update(right)
        .finalize()
        .into()
}

/// The hash of the empty tree, SHA-256 of nothing.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// The largest power of two smaller than `n` (n ≥ 2).
fn split(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1 << (63 - (n - 1).leading_zeros())
}

/// Where hashes come from: the leaves and the perfect subtrees (size 2^level, aligned).
pub trait Nodes {
    type Error;
    /// The hash of the perfect subtree of `2^level` leaves starting at leaf
    /// `index << level` (level 0 is a leaf hash).
    fn perfect(&self, level: u32, index: u64) -> Result<Hash, Self::Error>;
}

/// MTH(D[lo:hi]) — the root of the leaves in `lo..hi`, where `lo` is aligned to the
/// largest power of two not exceeding `hi - lo` (true for every range the RFC's
/// recursion produces).
pub fn subtree_root<N: Nodes>(nodes: &N, lo: u64, hi: u64) -> Result<Hash, N::Error> {
    let n = hi - lo;
    if n.is_power_of_two() && lo.is_multiple_of(n) {
        return nodes.perfect(n.trailing_zeros(), lo >> n.trailing_zeros());
    }
    let k = split(n);
    let left = subtree_root(nodes, lo, lo + k)?;
    let right = subtree_root(nodes, lo + k, hi)?;
    Ok(node_hash(&left, &right))
}

/// MTH of the first `size` leaves.
pub fn root<N: Nodes>(nodes: &N, size: u64) -> Result<Hash, N::Error> {
    if size == 0 {
        Ok(empty_root())
    } else {
        subtree_root(nodes, 0, size)
    }
}

/// RFC 9162 §2.1.3.1: the audit path of leaf `m` in the tree of the first `n` leaves.
pub fn inclusion_proof<N: Nodes>(nodes: &N, m: u64, n: u64) -> Result<Vec<Hash>, N::Error> {
    let mut proof = Vec::new();
    path(nodes, m, 0, n, &mut proof)?;
    Ok(proof)
}

fn path<N: Nodes>(
    nodes: &N,
    m: u64,
    lo: u64,
    hi: u64,
    out: &mut Vec<Hash>,
) -> Result<(), N::Error> {
    let n = hi - lo;
    if n <= 1 {
        return Ok(());
    }
    let k = split(n);
    if m < k {
        path(nodes, m, lo, lo + k, out)?;
        out.push(subtree_root(nodes, lo + k, hi)?);
    } else {
        path(nodes, m - k, lo + k, hi, out)?;
        out.push(subtree_root(nodes, lo, lo + k)?);
    }
    Ok(())
}

/// RFC 9162 §2.1.4.1: the consistency proof between the trees of the first `m` and the
/// first `n` leaves (0 < m ≤ n).
pub fn consistency_proof<N: Nodes>(nodes: &N, m: u64, n: u64) -> Result<Vec<Hash>, N::Error> {
    let mut proof = Vec::new();
    if m > 0 && m < n {
        subproof(nodes, m, 0, n, true, &mut proof)?;
    }
    Ok(proof)
}

fn subproof<N: Nodes>(
    nodes: &N,
    m: u64,
    lo: u64,
    hi: u64,
    complete: bool,
    out: &mut Vec<Hash>,
) -> Result<(), N::Error> {
    let n = hi - lo;
    if m == n {
        if !complete {
            out.push(subtree_root(nodes, lo, hi)?);
        }
        return Ok(());
    }
    let k = split(n);
    if m <= k {
        subproof(nodes, m, lo, lo + k, complete, out)?;
        out.push(subtree_root(nodes, lo + k, hi)?);
    } else {
        subproof(nodes, m - k, lo + k, hi, false, out)?;
        out.push(subtree_root(nodes, lo, lo + k)?);
    }
    Ok(())
}

/// RFC 9162 §2.1.3.2: does `proof` show leaf `index` with `leaf` hash in the tree of
/// `size` leaves with root `root`?
pub fn verify_inclusion(index: u64, size: u64, leaf: &Hash, proof: &[Hash], root: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let (mut fnode, mut snode) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if snode == 0 {
            return false;
        }
        if fnode & 1 == 1 || fnode == snode {
            r = node_hash(p, &r);
            if fnode & 1 == 0 {
                while fnode & 1 == 0 && fnode != 0 {
                    fnode >>= 1;
                    snode >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    snode == 0 && r == *root
}

/// RFC 9162 §2.1.4.2: does `proof` show that the tree of `old_size` leaves with root
/// `old_root` is a prefix of the tree of `new_size` leaves with root `new_root`?
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> bool {
    if old_size > new_size {
        return false;
    }
    if old_size == new_size {
        return proof.is_empty() && old_root == new_root;
    }
    if old_size == 0 {
        return proof.is_empty();
    }
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if old_size.is_power_of_two() {
        path.push(*old_root);
    }
    path.extend_from_slice(proof);
    let Some((first, rest)) = path.split_first() else {
        return false;
    };
    let (mut fnode, mut snode) = (old_size - 1, new_size - 1);
    while fnode & 1 == 1 {
        fnode >>= 1;
        snode >>= 1;
    }
    let (mut fr, mut sr) = (*first, *first);
    for c in rest {
        if snode == 0 {
            return false;
        }
        if fnode & 1 == 1 || fnode == snode {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            if fnode & 1 == 0 {
                while fnode & 1 == 0 && fnode != 0 {
                    fnode >>= 1;
                    snode >>= 1;
                }
            }
        } else {
            sr = node_hash(&sr, c);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    fr == *old_root && sr == *new_root && snode == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::convert::Infallible;

    /// A tree held in memory, computed the slow, obviously-correct way.
    struct Mem(Vec<Hash>);

    impl Nodes for Mem {
        type Error = Infallible;
        fn perfect(&self, level: u32, index: u64) -> Result<Hash, Infallible> {
            let lo = (index << level) as usize;
            Ok(naive(&self.0[lo..lo + (1usize << level)]))
        }
    }

    fn naive(leaves: &[Hash]) -> Hash {
        match leaves.len() {
            0 => empty_root(),
            1 => leaves[0],
            n => {
                let k = split(n as u64) as usize;
                node_hash(&naive(&leaves[..k]), &naive(&leaves[k..]))
            }
        }
    }

    fn tree(n: u64) -> Mem {
        Mem((0..n).map(|i| leaf_hash(&i.to_be_bytes())).collect())
    }

    #[test]
    fn roots_match_the_rfc_definition() {
        for n in 0..40 {
            let t = tree(n);
            assert_eq!(root(&t, n).unwrap(), naive(&t.0), "size {n}");
        }
    }

    #[test]
    fn every_inclusion_proof_of_small_trees_verifies_and_a_changed_one_does_not() {
        for n in 1..34u64 {
            let t = tree(n);
            let r = root(&t, n).unwrap();
            for m in 0..n {
                let p = inclusion_proof(&t, m, n).unwrap();
                assert!(
                    verify_inclusion(m, n, &t.0[m as usize], &p, &r),
                    "m={m} n={n}"
                );
                assert!(!verify_inclusion(m, n, &leaf_hash(b"other"), &p, &r));
                if let Some(first) = p.first() {
                    let mut bad = p.clone();
                    bad[0] = node_hash(first, first);
                    assert!(!verify_inclusion(m, n, &t.0[m as usize], &bad, &r));
                }
            }
        }
    }

    #[test]
    fn every_consistency_proof_of_small_trees_verifies_and_a_forked_one_does_not() {
        for n in 1..34u64 {
            let t = tree(n);
            let rn = root(&t, n).unwrap();
            for m in 1..=n {
                let rm = root(&t, m).unwrap();
                let p = consistency_proof(&t, m, n).unwrap();
                assert!(verify_consistency(m, n, &rm, &rn, &p), "m={m} n={n}");
                let forked = leaf_hash(b"rewritten history");
                assert!(!verify_consistency(m, n, &forked, &rn, &p) || m == n && forked == rn);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn proofs_verify_for_larger_random_trees(n in 2u64..600, seed in 0u64..1000) {
            let t = tree(n);
            let m = seed % n;
            let r = root(&t, n).unwrap();
            proptest::prop_assert!(verify_inclusion(m, n, &t.0[m as usize], &inclusion_proof(&t, m, n).unwrap(), &r));
            let old = m + 1;
            let ro = root(&t, old).unwrap();
            proptest::prop_assert!(verify_consistency(old, n, &ro, &r, &consistency_proof(&t, old, n).unwrap()));
        }
    }
}
