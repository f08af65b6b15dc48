//! What the pages need besides themselves, served by the node (air-gapped sites reach no
//! CDN): the stylesheet, the Persian font (Vazirmatn, SIL Open Font License 1.1, its
//! licence served beside it).

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

const FILES: &[(&str, &str, &[u8])] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../static/app.css"),
    ),
    (
        "vazirmatn.woff2",
        "font/woff2",
        include_bytes!("../static/vazirmatn.woff2"),
    ),
    (
        "vazirmatn-licence.txt",
        "text/plain; charset=utf-8",
        include_bytes!("../static/vazirmatn-OFL.txt"),
    ),
];

pub async fn serve(Path(file): Path<String>) -> Response {
    match FILES.iter().find(|(name, _, _)| *name == file) {
        Some((_, media, body)) => (
            [
                (header::CONTENT_TYPE, *media),
                // Served with the binary: a new release is a new process (and the pages
                // are never cached), so an hour is safe.
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            *body,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such file").into_response(),
    }
}
