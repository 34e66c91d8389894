//! Full-text search over the postmortems a caller may see.

use super::AppState;
use super::error::ApiResult;
use super::extract::{Args, Caller};
use super::postmortems::filters;
use axum::Json;
use axum::extract::State;
use debrief_wire::api::{Hits, ListQuery};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search))
}

/// Full text (`q`) over the postmortems the caller may see, with the filters of the list.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(ListQuery),
    responses((status = 200, description = "best match first, with snippets", body = Hits)))]
async fn search(
    State(state): State<AppState>,
    Caller(user): Caller,
    Args(query): Args<ListQuery>,
) -> ApiResult<Json<Hits>> {
    let text = query.q.as_deref().unwrap_or_default();
    let hits = state.store.search(&user, text, &filters(&query)?).await?;
    Ok(Json(Hits { hits }))
}
