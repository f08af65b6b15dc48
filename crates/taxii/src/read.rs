//! The one read loop shared by objects, object, versions and manifest: scan the store in
//! date_added order, ask the policy about each object, fill a page. Authorisation is
//! re-evaluated on every page because every page runs this loop afresh; `next` is only a
//! position in date_added order, never a grant.

use crate::error::TaxiiError;
use crate::params::Query;
use policy::{Access, Policy, Served};
use std::ops::ControlFlow;
use store::{CollectionKey, Row, Store};

pub struct Page {
    pub rows: Vec<Row>,
    pub more: bool,
    /// What the policy decided about every row this page looked at (for the audit log).
    pub decisions: crate::decisions::Decisions,
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
    let mut decisions = crate::decisions::Decisions::default();
    store.scan(coll, &query.filter, &mut |mut row| {
        let served = policy.serve(access, &mut row);
        if rows.len() == query.limit {
            // A further servable row makes `more`; it is decided again on the next page,
            // so only rows of this page are counted.
            if served.article().is_none() {
                more = true;
                return ControlFlow::Break(());
            }
            return ControlFlow::Continue(());
        }
        match served.article() {
            Some(article) => decisions.withhold(article),
            None => {
                decisions.serve(&row.id, &row.version, served == Served::Redacted);
                rows.push(row);
            }
        }
        ControlFlow::Continue(())
    })?;
    Ok(Page {
        rows,
        more,
        decisions,
    })
}
