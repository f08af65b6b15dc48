//! The node's side of the agreement's ledger (`policy::ledger`): making and signing consent
//! requests, consents, revocations and confidentiality notices. Keeping a record (this
//! node's or another's) is [`Core::keep_record`]: checked against its signer's key, stored
//! with its audit entry, applied by the policy at the next request of every door.

use crate::mistake::Mistake;
use crate::{Core, CoreError, Result};
use policy::Kind;
use policy::ledger::{
    Consent, ConsentRequest, ConsentTerms, Decline, Notice, NoticeReach, Record, Revocation, Scope,
    Signed,
};
use policy::lifecycle::Day;

/// What a consent request asks for.
#[derive(Debug, Clone)]
pub struct Ask {
    pub originator: String,
    pub recipient: String,
    pub purpose: String,
    pub scope: Scope,
    pub expires: Day,
    pub note: Option<String>,
}

fn new_id(kind: &str) -> String {
    format!("{kind}--{}", uuid::Uuid::new_v4())
}

impl Core {
    fn terms(&self) -> Result<policy::Terms> {
        self.policy()?
            .terms()
            .cloned()
            .ok_or_else(|| Mistake::NotUnderAgreement.into())
    }

    fn sign_and_keep(&self, record: Record) -> Result<Signed> {
        let signed = Signed::sign(record, self.key())?;
        self.keep_record(&signed)?;
        Ok(signed)
    }

    /// Art. 6.2, the holder's side: asks the originator to let information go to a third
    /// party. The signed request is kept here and returned for the originator's node.
    pub fn request_consent(&self, ask: Ask) -> Result<Signed> {
        let t = self.terms()?;
        t.known_authority(&ask.originator)?;
        if ask.originator == t.authority {
            return Err(Mistake::OwnAuthority {
                authority: ask.originator,
            }
            .into());
        }
        let recipient = self.user(&ask.recipient)?.ok_or_else(|| {
            CoreError::NotFound(format!(
                "--recipient: no user `{}` on this node",
                ask.recipient
            ))
        })?;
        if recipient.kind != Kind::ThirdParty {
            return Err(Mistake::NotThirdParty {
                recipient: ask.recipient,
                kind: recipient.kind.to_string(),
            }
            .into());
        }
        // A collection named by alias becomes its TAXII id: the consent must name it
        // unambiguously.
        let scope = match ask.scope {
            Scope::Collection(c) => Scope::Collection(self.collection(&c)?.id),
            s => s,
        };
        self.sign_and_keep(Record::ConsentRequest(ConsentRequest {
            id: new_id("consent-request"),
            agreement: t.agreement.clone(),
            terms: ConsentTerms {
                originator: ask.originator,
                holder: t.authority.clone(),
                recipient: ask.recipient,
                purpose: ask.purpose,
                scope,
                expires: ask.expires,
            },
            requested_at: crate::events::now(),
            note: ask.note,
        }))
    }

    /// The consent request in `asked`, if it asks this node's authority (the originator's
    /// side of Art. 6.2), with the agreement's terms.
    fn asked_of_this_authority<'a>(
        &self,
        asked: &'a Signed,
    ) -> Result<(policy::Terms, &'a ConsentRequest)> {
        let t = self.terms()?;
        let Record::ConsentRequest(req) = &asked.record else {
            return Err(Mistake::NotARequest {
                kind: asked.record.kind(),
            }
            .into());
        };
        if req.terms.originator != t.authority {
            return Err(Mistake::AskedOther {
                asked: req.terms.originator.clone(),
                me: t.authority.clone(),
            }
            .into());
        }
        Ok((t, req))
    }

    /// A consent request this node holds, by id (one sent here with the agreement's
    /// records, or kept from a file).
    pub fn consent_request(&self, id: &str) -> Result<Option<Signed>> {
        Ok(self
            .records()?
            .into_iter()
            .find(|s| matches!(&s.record, Record::ConsentRequest(r) if r.id == id)))
    }

    /// Art. 6.2, the originator's side: grants a request signed by the holder. `expires`
    /// may shorten (never lengthen) what was asked.
    pub fn grant_consent(&self, asked: &Signed, expires: Option<Day>) -> Result<Signed> {
        let (t, req) = self.asked_of_this_authority(asked)?;
        let mut terms = req.terms.clone();
        if let Some(e) = expires {
            if e > terms.expires {
                return Err(Mistake::LongerThanAsked {
                    expires: e,
                    asked: terms.expires,
                }
                .into());
            }
            terms.expires = e;
        }
        // Keeping the request checks its signature (the holder's) and contents.
        self.keep_record(asked)?;
        self.sign_and_keep(Record::Consent(Consent {
            id: new_id("consent"),
            agreement: t.agreement.clone(),
            terms,
            granted_at: crate::events::now(),
            request: Some(req.id.clone()),
        }))
    }

    /// Art. 6.2, the originator's side: declines a request signed by the holder, saying
    /// why if it wishes. The signed refusal travels to the holder like a consent; a request
    /// already granted is revoked instead (`revoke_consent`).
    pub fn decline_consent(&self, asked: &Signed, reason: Option<String>) -> Result<Signed> {
        let (t, req) = self.asked_of_this_authority(asked)?;
        for held in self.records()? {
            match &held.record {
                Record::Consent(c) if c.request.as_deref() == Some(req.id.as_str()) => {
                    return Err(Mistake::AlreadyGranted {
                        request: req.id.clone(),
                        consent: c.id.clone(),
                    }
                    .into());
                }
                Record::Decline(d) if d.request == req.id => {
                    return Err(Mistake::AlreadyDeclined {
                        request: req.id.clone(),
                        decline: d.id.clone(),
                    }
                    .into());
                }
                _ => {}
            }
        }
        self.keep_record(asked)?;
        self.sign_and_keep(Record::Decline(Decline {
            id: new_id("decline"),
            agreement: t.agreement.clone(),
            request: req.id.clone(),
            originator: t.authority.clone(),
            declined_at: crate::events::now(),
            reason: reason.filter(|r| !r.trim().is_empty()),
        }))
    }

    /// Revokes a consent this node's authority granted; takes effect wherever it is
    /// accepted.
    pub fn revoke_consent(&self, consent: &str) -> Result<Signed> {
        let t = self.terms()?;
        let ours = self
            .policy()?
            .held()
            .consents_on(Day::today())
            .into_iter()
            .any(|(terms, id, _)| id == consent && terms.originator == t.authority);
        if !ours {
            return Err(CoreError::NotFound(format!(
                "no consent `{consent}` granted by `{}` is held here",
                t.authority
            )));
        }
        self.sign_and_keep(Record::Revocation(Revocation {
            id: new_id("revocation"),
            agreement: t.agreement.clone(),
            consent: consent.to_owned(),
            originator: t.authority.clone(),
            revoked_at: crate::events::now(),
        }))
    }

    /// Art. 6.3: raises the protection of this authority's objects (or parts of them) on
    /// every node that holds copies; here it applies at once.
    pub fn issue_notice(
        &self,
        objects: Vec<String>,
        properties: Vec<String>,
        reach: NoticeReach,
        reason: Option<String>,
    ) -> Result<Signed> {
        let t = self.terms()?;
        self.sign_and_keep(Record::Notice(Notice {
            id: new_id("notice"),
            agreement: t.agreement.clone(),
            originator: t.authority.clone(),
            objects,
            properties,
            reach,
            issued_at: crate::events::now(),
            reason,
        }))
    }

    /// Every record of the agreement's ledger this node holds (requests, consents,
    /// revocations, notices, notifications), oldest first, in one read: what `notice list`
    /// and the workspace show. Records that do not read back are left out (the policy
    /// refuses them when it reads them, and `consents` reports them).
    pub fn records(&self) -> Result<Vec<Signed>> {
        Ok(self
            .store()
            .records_after(i64::MIN)?
            .into_iter()
            .filter_map(|(_, r)| serde_json::from_str::<Signed>(&r.json).ok())
            .collect())
    }

    /// Consents held, with their state today, and the records refused.
    pub fn consents(&self) -> Result<Consents> {
        let policy = self.policy()?;
        let held = policy.held();
        Ok(Consents {
            held: held.consents_on(Day::today()),
            refused: held
                .refused
                .iter()
                .cloned()
                .chain(policy.refused_notifications().iter().cloned())
                .collect(),
        })
    }
}

/// Consents held (terms, id, `valid`/`expired`/`revoked`) and records refused (id, why).
#[derive(Debug, Clone)]
pub struct Consents {
    pub held: Vec<(ConsentTerms, String, &'static str)>,
    pub refused: Vec<(String, policy::ledger::LedgerError)>,
}
