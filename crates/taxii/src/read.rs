//! The one read loop shared by objects, object, versions and manifest: scan the store in
//! date_added order, ask the policy about each object, fill a page. Authorisation is
//! re-evaluated on every page because every page runs this loop afresh; `next` is only a
//! position in date_added order, never a grant.

use crate::error::TaxiiError;
use crate::params::Query;
use policy::{Access, ObjectFacts, Policy};
use std::ops::ControlFlow;
use store::{CollectionKey, Row, Store};

pub struct Page {
    pub rows: Vec<Row>,
    pub more: bool,
}

impl Page {
    /// The `next` value for the following page.
    pub fn next(&self) -> Option<String> {
        if self.more {
            self.rows.last().map(|r| r.date_added.to_string())
        } else {
            None
        }
    }
}

pub fn page(
    store: &dyn Store,
    policy: &Policy,
    access: &Access,
    coll: CollectionKey,
    query: &Query,
) -> Result<Page, TaxiiError> {
    policy.refresh(store)?;
    let mut rows = Vec::with_capacity(query.limit.min(1024));
    let mut more = false;
    store.scan(coll, &query.filter, &mut |row| {
        let facts = ObjectFacts {
            id: &row.id,
            object_type: &row.object_type,
            marking_refs: &row.marking_refs,
            origin: row.origin.as_deref(),
        };
        if !policy.decide(access, &facts).is_allowed() {
            return ControlFlow::Continue(());
        }
        if rows.len() == query.limit {
            more = true;
            return ControlFlow::Break(());
        }
        rows.push(row);
        ControlFlow::Continue(())
    })?;
    Ok(Page { rows, more })
}
