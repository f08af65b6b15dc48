//! Whether a received object's seal proves its origin, and when not, which part failed
//! (`provenance::SealFault`): the signer's key unknown, the signature not the signer's,
//! or the object not the one the seal covers.

mod common;

use store::VersionSel;
use symbolon_core::incident::SealState;
use symbolon_core::provenance::SealFault;
use symbolon_core::{Caller, Want};

#[test]
fn a_seal_that_does_not_verify_says_which_part_failed() {
    let node = common::member();
    let core = &node.core;
    let c = core.create_collection("from-ru", None, None, None).unwrap();
    core.grant("ru", &c.id, true, true).unwrap();
    // Object 1 under RU's own seal; 2 under a seal naming RU made with another key; 3
    // under a seal naming an authority this node knows no key of.
    common::put_sealed(core, &c, 1, "ru-csirt", common::RU_KEY);
    common::put_sealed(core, &c, 2, "ru-csirt", [3; 32]);
    common::put_sealed(core, &c, 3, "xx-csirt", common::RU_KEY);

    let admin = core.principal("admin").unwrap().unwrap();
    let caller = Caller {
        principal: &admin,
        purpose: None,
    };
    let rows = core
        .read(
            &caller,
            "test",
            &c,
            None,
            &Want {
                versions: vec![VersionSel::All],
                with_body: true,
                ..Want::default()
            },
            |p| p.rows.clone(),
        )
        .unwrap();
    let state = |n: u32| {
        let row = rows.iter().find(|r| r.id == common::id(n)).unwrap();
        core.seal_state(&caller, &c, row)
    };
    assert_eq!(
        state(1),
        SealState::Verified {
            signer: "ru-csirt".into()
        }
    );
    assert_eq!(
        state(2),
        SealState::Failed {
            reason: SealFault::NotSigned {
                signer: "ru-csirt".into()
            }
        }
    );
    assert_eq!(
        state(3),
        SealState::Failed {
            reason: SealFault::NoKey {
                signer: "xx-csirt".into()
            }
        }
    );
    // The English the CLI and JSON give.
    assert_eq!(
        serde_json::to_value(state(2)).unwrap(),
        serde_json::json!({"state": "failed", "reason": "the seal is not signed by `ru-csirt`"})
    );
}
