//! The one client both servers are measured with: the same HTTP library, the same requests.
//! It reads each page's envelope just enough to count objects and follow `next`.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::time::Duration;

const TAXII: &str = "application/taxii+json;version=2.1";

pub struct Client {
    http: reqwest::blocking::Client,
    user: String,
    password: String,
}

/// A TAXII envelope read just enough to count its objects and follow `next`.
#[derive(Deserialize)]
pub struct Envelope<'a> {
    #[serde(default)]
    pub more: bool,
    pub next: Option<String>,
    #[serde(borrow, default)]
    pub objects: Vec<&'a RawValue>,
}

impl Client {
    pub fn new(user: &str, password: &str) -> Result<Self> {
        let http = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(3600))
            .build()?;
        Ok(Client {
            http,
            user: user.into(),
            password: password.into(),
        })
    }

    /// POSTs one envelope; fails unless the server answers 202.
    pub fn post(
        &self,
        collection_url: &str,
        envelope: impl Into<reqwest::blocking::Body>,
    ) -> Result<()> {
        let resp = self
            .http
            .post(format!("{collection_url}objects/"))
            .basic_auth(&self.user, Some(&self.password))
            .header("Accept", TAXII)
            .header("Content-Type", TAXII)
            .body(envelope)
            .send()
            .context("POST objects")?;
        if resp.status().as_u16() != 202 {
            bail!(
                "POST answered {}: {}",
                resp.status(),
                resp.text().unwrap_or_default()
            );
        }
        Ok(())
    }

    /// Pages through the whole collection with `limit`; returns how many objects came back.
    pub fn scan(&self, collection_url: &str, limit: usize) -> Result<usize> {
        let mut count = 0;
        self.walk(collection_url, limit, |objects| {
            count += objects.len();
            Ok(())
        })?;
        Ok(count)
    }

    /// Asks for the collection's first object: an answer means the server is serving.
    pub fn first(&self, collection_url: &str) -> Result<()> {
        let resp = self
            .http
            .get(format!("{collection_url}objects/"))
            .basic_auth(&self.user, Some(&self.password))
            .header("Accept", TAXII)
            .query(&[("limit", "1")])
            .send()
            .context("GET objects")?;
        if !resp.status().is_success() {
            bail!("GET answered {}", resp.status());
        }
        Ok(())
    }

    /// Every object of the collection (every version the server serves), parsed.
    pub fn objects(&self, collection_url: &str) -> Result<Vec<serde_json::Value>> {
        let mut all = Vec::new();
        self.walk(collection_url, 1000, |objects| {
            for o in objects {
                all.push(serde_json::from_str(o.get()).context("an object that is not JSON")?);
            }
            Ok(())
        })?;
        Ok(all)
    }

    /// Pages through the whole collection with `limit`, handing each page's objects to `each`.
    fn walk(
        &self,
        collection_url: &str,
        limit: usize,
        mut each: impl FnMut(&[&RawValue]) -> Result<()>,
    ) -> Result<()> {
        let mut next: Option<String> = None;
        loop {
            let mut req = self
                .http
                .get(format!("{collection_url}objects/"))
                .basic_auth(&self.user, Some(&self.password))
                .header("Accept", TAXII)
                .query(&[("limit", limit.to_string())]);
            if let Some(n) = &next {
                req = req.query(&[("next", n)]);
            }
            let resp = req.send().context("GET objects")?;
            if !resp.status().is_success() {
                bail!("GET answered {}", resp.status());
            }
            let bytes = resp.bytes()?;
            let page: Envelope = serde_json::from_slice(&bytes).context("reading a page")?;
            each(&page.objects)?;
            if !page.more || page.objects.is_empty() {
                return Ok(());
            }
            next = Some(page.next.context("more=true without next")?);
        }
    }
}
