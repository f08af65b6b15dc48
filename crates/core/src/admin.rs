//! The node's own administration: API roots, collections, users and their rights. Every
//! change is stored with its audit entry; every view a door shows of them is what the
//! asker may know (a collection without rights does not exist for its asker).

use crate::events::Event;
use crate::{Core, CoreError, Result};
use policy::{Kind, Principal, Rights};
use store::{ApiRoot, Collection, Grant, NewCollection, StatusRecord, User};

/// A change to a user (`symbolon user add`, the workspace's user form).
#[derive(Debug, Clone, Default)]
pub struct UserChange {
    /// The new password; `None` keeps the current one (a new user gets a generated one).
    pub password: Option<String>,
    /// Make the user an administrator (only ever grants the role; a user who has it keeps
    /// it).
    pub admin: bool,
    /// Who the user is under the agreement; `None` keeps it (a new user: local).
    pub kind: Option<Kind>,
    /// The purposes the user may declare (Art. 6.4), the first its default; `None` keeps
    /// them.
    pub purposes: Option<Vec<String>>,
}

/// What saving a user did.
#[derive(Debug)]
pub struct SavedUser {
    pub user: User,
    /// The password generated for a new user given none, to be shown once.
    pub generated_password: Option<String>,
}

impl Core {
    /// API roots, in the order they were created; the first is the default.
    pub fn api_roots(&self) -> Result<Vec<ApiRoot>> {
        Ok(self.store().api_roots()?)
    }

    /// One API root by its path segment.
    pub fn api_root(&self, name: &str) -> Result<ApiRoot> {
        self.api_roots()?
            .into_iter()
            .find(|r| r.name == name)
            .ok_or_else(|| CoreError::NotFound(format!("API root `{name}` does not exist")))
    }

    /// Creates an API root or changes its title, description and limit.
    pub fn set_api_root(&self, root: &ApiRoot) -> Result<()> {
        let name = &root.name;
        if name.is_empty()
            || name.contains('/')
            || name == "taxii2"
            || name == "symbolon"
            || name == "ui"
        {
            return Err(CoreError::Invalid(format!(
                "API root name `{name}` must be a non-empty path segment other than `taxii2`, `symbolon` and `ui`"
            )));
        }
        self.store().create_api_root(
            root,
            &Event::ApiRootSaved {
                at: crate::events::now(),
                principal: &self.operator().name,
                api_root: name,
                title: &root.title,
                max_content_length: root.max_content_length,
            }
            .canonical()?,
        )?;
        self.written()
    }

    /// Every collection (the operator's view).
    pub fn collections(&self) -> Result<Vec<Collection>> {
        Ok(self.store().collections()?)
    }

    /// A collection by id or alias, in any API root (the operator's view).
    pub fn collection(&self, id_or_alias: &str) -> Result<Collection> {
        self.store().collection(None, id_or_alias)?.ok_or_else(|| {
            CoreError::NotFound(format!("no collection with id or alias `{id_or_alias}`"))
        })
    }

    /// Creates a collection; returns it with its new id.
    pub fn create_collection(
        &self,
        title: &str,
        alias: Option<&str>,
        description: Option<&str>,
        api_root: Option<&str>,
    ) -> Result<Collection> {
        self.create_collection_with_id(
            &uuid::Uuid::new_v4().to_string(),
            title,
            alias,
            description,
            api_root,
        )
    }

    /// Creates a collection with a chosen id (a peer's collection mirrored here).
    pub fn create_collection_with_id(
        &self,
        id: &str,
        title: &str,
        alias: Option<&str>,
        description: Option<&str>,
        api_root: Option<&str>,
    ) -> Result<Collection> {
        let c = self.store().create_collection(
            &NewCollection {
                id: id.to_owned(),
                api_root: api_root.map(str::to_owned),
                title: title.to_owned(),
                description: description.map(str::to_owned),
                alias: alias.map(str::to_owned),
            },
            &Event::CollectionCreated {
                at: crate::events::now(),
                principal: &self.operator().name,
                collection: id,
                title,
            }
            .canonical()?,
        )?;
        self.written()?;
        Ok(c)
    }

    /// Deletes a collection and everything stored in it (the operator's act), with an audit
    /// entry saying how many versions went and their digest, so that `audit verify` still
    /// accounts for every entry; returns the collection and that count. A collection synced
    /// with a peer is refused: the peer's next sync would fill it again.
    pub fn delete_collection(&self, id_or_alias: &str) -> Result<(Collection, u64)> {
        let c = self.collection(id_or_alias)?;
        for peer in self.store().peers()? {
            if self
                .store()
                .cursors(&peer.id)?
                .iter()
                .any(|k| k.local == c.key)
            {
                return Err(CoreError::Invalid(format!(
                    "collection `{}` is synced with peer `{}`: remove the peer first (`symbolon peer remove {}`), or its next sync fills the collection again",
                    c.id, peer.id, peer.id
                )));
            }
        }
        let operator = self.operator().name.clone();
        let mut describe = |versions: u64, sha256: &str| {
            crate::events::entry(&Event::CollectionDeleted {
                at: crate::events::now(),
                principal: &operator,
                collection: &c.id,
                title: &c.title,
                versions,
                sha256,
            })
        };
        let versions = self
            .store()
            .delete_collection(c.key, &mut describe)?
            .ok_or_else(|| {
                CoreError::NotFound(format!("no collection with id or alias `{id_or_alias}`"))
            })?;
        self.written()?;
        Ok((c, versions))
    }

    /// The collections of `root` the principal may read or write, with its rights there
    /// (the others do not exist for it).
    pub fn collections_for(
        &self,
        principal: &Principal,
        root: &str,
    ) -> Result<Vec<(Collection, Rights)>> {
        self.api_root(root)?;
        let policy = self.policy()?;
        Ok(self
            .store()
            .collections()?
            .into_iter()
            .filter(|c| c.api_root == root)
            .filter_map(|c| {
                let rights = policy.rights(principal, c.key);
                (rights.can_read || rights.can_write).then_some((c, rights))
            })
            .collect())
    }

    /// `rights` as the principal can use them for the purpose a request declares (Art.
    /// 6.4): none when the purpose is refused (no purpose bound and none declared, or one
    /// not the principal's), so a collection resource never says `can_read` to a user
    /// whose reads would all be refused.
    pub fn usable_rights(
        &self,
        principal: &Principal,
        declared: Option<&str>,
        rights: Rights,
    ) -> Result<Rights> {
        let policy = self.policy()?;
        Ok(
            if policy.purpose_allowed(principal, declared).is_allowed() {
                rights
            } else {
                Rights::default()
            },
        )
    }

    /// One collection of `root` the principal may read or write; one it has no rights on
    /// is reported exactly like one that does not exist.
    pub fn collection_for(
        &self,
        principal: &Principal,
        root: &str,
        id_or_alias: &str,
    ) -> Result<(Collection, Rights)> {
        self.api_root(root)?;
        self.visible_collection(principal, Some(root), id_or_alias)
    }

    /// A collection (of `root`, or of any API root) as `principal` may know of it: one it
    /// has no rights on is reported exactly like one that does not exist.
    pub fn visible_collection(
        &self,
        principal: &Principal,
        root: Option<&str>,
        id_or_alias: &str,
    ) -> Result<(Collection, Rights)> {
        let unknown = || {
            CoreError::NotFound(match root {
                Some(root) => {
                    format!("collection `{id_or_alias}` does not exist in API root `{root}`")
                }
                None => format!("no collection `{id_or_alias}`"),
            })
        };
        let c = self
            .store()
            .collection(root, id_or_alias)?
            .ok_or_else(unknown)?;
        let rights = self.policy()?.rights(principal, c.key);
        if !rights.can_read && !rights.can_write {
            return Err(unknown());
        }
        Ok((c, rights))
    }

    pub fn users(&self) -> Result<Vec<User>> {
        Ok(self.store().users()?)
    }

    pub fn user(&self, name: &str) -> Result<Option<User>> {
        Ok(self.user_and_principal(name)?.map(|(u, _)| u))
    }

    /// The principal a user acts as: the user and its grants.
    pub fn principal(&self, name: &str) -> Result<Option<Principal>> {
        Ok(self.user_and_principal(name)?.map(|(_, p)| p))
    }

    /// A user (its stored record, for checking its password) and the principal it acts
    /// as, in one question to the store in the common case (nothing changed).
    pub fn user_and_principal(&self, name: &str) -> Result<Option<(User, Principal)>> {
        let marks = self.marks()?;
        self.admin_at(&marks)?.user(self.store(), name)
    }

    /// Creates or changes a user.
    pub fn save_user(&self, name: &str, change: UserChange) -> Result<SavedUser> {
        self.save_user_as(name, change, false)
    }

    /// [`Core::save_user`]; `for_peer`: the user a peer node acts as, which may be another
    /// authority's even on a node under no agreement (it then knows no authorities to
    /// check it against).
    pub(crate) fn save_user_as(
        &self,
        name: &str,
        change: UserChange,
        for_peer: bool,
    ) -> Result<SavedUser> {
        if name.trim().is_empty() || name.contains(':') {
            return Err(CoreError::Invalid(format!(
                "a user name is a non-empty word without `:`, not `{name}`"
            )));
        }
        let existing = self.store().user(name)?;
        let policy = self.policy()?;
        let kind = match change.kind {
            Some(Kind::Authority(a)) if for_peer && policy.terms().is_none() => Kind::Authority(a),
            Some(Kind::Authority(a)) => {
                let terms = policy.terms().ok_or_else(|| {
                    CoreError::Invalid(
                        "--authority needs a node under an agreement (`symbolon agreement init`)"
                            .into(),
                    )
                })?;
                terms.known_authority(&a)?;
                Kind::Authority(a)
            }
            Some(k) => k,
            None => existing.as_ref().map_or(Kind::Local, |u| u.kind.clone()),
        };
        let purposes = match change.purposes {
            Some(p) if !p.is_empty() => {
                let terms = policy.terms().ok_or_else(|| {
                    CoreError::Invalid(
                        "--purpose needs a node under an agreement (`symbolon agreement init`)"
                            .into(),
                    )
                })?;
                for purpose in &p {
                    terms.known_purpose(purpose)?;
                }
                p
            }
            _ => existing
                .as_ref()
                .map(|u| u.purposes.clone())
                .unwrap_or_default(),
        };
        // A password change keeps an administrator an administrator; the role is only ever
        // granted here, never revoked as a side effect.
        let admin = change.admin || existing.as_ref().is_some_and(|u| u.is_admin);
        if admin && kind != Kind::Local {
            return Err(CoreError::Invalid(format!(
                "an administrator is a user of this authority; `{name}` is not"
            )));
        }
        let mut generated = None;
        let (password_hash, changed) = match (change.password, &existing) {
            (Some(p), _) => {
                if p.is_empty() {
                    return Err(CoreError::Invalid("the password is empty".into()));
                }
                (hash(&p)?, true)
            }
            (None, Some(u)) => (u.password_hash.clone(), false),
            (None, None) => {
                let p = policy::password::generate();
                let h = hash(&p)?;
                generated = Some(p);
                (h, true)
            }
        };
        let user = User {
            name: name.to_owned(),
            password_hash,
            is_admin: admin,
            kind,
            purposes,
        };
        self.store().put_user(
            &user,
            &Event::UserSaved {
                at: crate::events::now(),
                principal: &self.operator().name,
                user: name,
                admin,
                kind: &user.kind.text(),
                purposes: &user.purposes,
                password_changed: changed,
            }
            .canonical()?,
        )?;
        self.written()?;
        Ok(SavedUser {
            user,
            generated_password: generated,
        })
    }

    /// Removes a user and its grants. This node's operator cannot be removed; a peer's user
    /// goes with `remove_peer`.
    pub fn remove_user(&self, name: &str) -> Result<()> {
        if name == self.operator().name {
            return Err(CoreError::Invalid(format!(
                "`{name}` is this node's operator and cannot be removed"
            )));
        }
        if self.store().peer(name)?.is_some() {
            return Err(CoreError::Invalid(format!(
                "`{name}` is a peer's user: remove the peer (`symbolon peer remove {name}`)"
            )));
        }
        let removed = self.store().remove_user(
            name,
            &Event::UserRemoved {
                at: crate::events::now(),
                principal: &self.operator().name,
                user: name,
            }
            .canonical()?,
        )?;
        if !removed {
            return Err(CoreError::NotFound(format!(
                "no user `{name}` on this node (see `symbolon user list`)"
            )));
        }
        self.written()
    }

    /// Sets a user's rights on a collection (no right: none).
    pub fn grant(
        &self,
        user: &str,
        collection: &str,
        can_read: bool,
        can_write: bool,
    ) -> Result<()> {
        if self.store().user(user)?.is_none() {
            return Err(CoreError::NotFound(format!(
                "no user `{user}` on this node (see `symbolon user list`)"
            )));
        }
        let c = self.collection(collection)?;
        self.store().set_grant(
            &Grant {
                user: user.to_owned(),
                collection: c.key,
                can_read,
                can_write,
            },
            &Event::GrantSet {
                at: crate::events::now(),
                principal: &self.operator().name,
                user,
                collection: &c.id,
                can_read,
                can_write,
            }
            .canonical()?,
        )?;
        self.written()
    }

    /// Keeps a TAXII status resource (bookkeeping of a write already recorded).
    pub fn put_status(&self, status: &StatusRecord) -> Result<()> {
        Ok(self.store().put_status(status)?)
    }

    /// A status resource the principal may read: only the user whose request made it, or
    /// an administrator (a status lists object ids the asker may not otherwise see).
    pub fn status_for(&self, principal: &Principal, root: &str, id: &str) -> Result<StatusRecord> {
        self.api_root(root)?;
        let policy = self.policy()?;
        self.store()
            .status(root, id)?
            .filter(|s| policy.may_read_status(principal, &s.owner))
            .ok_or_else(|| CoreError::NotFound("no such status resource".into()))
    }
}

fn hash(password: &str) -> Result<String> {
    policy::password::hash(password)
        .map_err(|e| CoreError::Failed(format!("hashing a password: {e}")))
}
