//! The seller's session: who is logged in, the demo login, logout.

use super::*;

/// The logged-in seller.
#[utoipa::path(get, path = "/api/session", tag = "session",
    responses((status = 200, body = Session), (status = 401, body = ApiError)))]
pub async fn session(seller: SellerAuth) -> Json<Session> {
    Json(Session {
        seller: seller.name,
    })
}

/// Demo mode only: log in as any seller (created if new); sets the session cookie.
#[utoipa::path(post, path = "/api/dev/login", tag = "session", request_body = LoginRequest, security(()),
    params(("X-Requested-With" = String, Header, pattern = "^seller-support$", description = "CSRF defence: must be `seller-support`")),
    responses((status = 200, body = Session, headers(("Set-Cookie" = String, description = "support_session=…; HttpOnly; SameSite=Lax"))),
        (status = 400, body = ApiError), (status = 403, body = ApiError),
        (status = 404, description = "Not in demo mode", body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError), (status = 422, body = ApiError),
        (status = 429, description = "Rate limited: `Retry-After` says how many seconds to wait", body = ApiError, headers(("Retry-After" = u64, description = "Seconds to wait"))),))]
pub async fn dev_login(State(state): State<AppState>, req: Request) -> AppResult<Response> {
    if !state.config.demo {
        return Err(api_not_found().await);
    }
    let body: LoginRequest = json_body(req, &state).await?;
    let name = validate_seller(&body.seller)
        .map_err(|e| AppError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: e,
        })?
        .to_string();
    if let Err(wait) = crate::limits::check_login_name(state.limiters.as_ref(), &name) {
        return Ok(crate::limits::rate_limited(wait));
    }
    let token = state.store.login(&name, state.now()).await?;
    let mut res = Json(Session { seller: name }).into_response();
    res.headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&state.config, &token));
    Ok(res)
}

/// Ends the session and clears the cookie.
#[utoipa::path(post, path = "/api/logout", tag = "session", security(()),
    params(("X-Requested-With" = String, Header, pattern = "^seller-support$", description = "CSRF defence: must be `seller-support`")),
    responses((status = 204, description = "Logged out"), (status = 403, body = ApiError)))]
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    if let Some(token) = crate::auth::session_token(&headers, state.config.cookie_name()) {
        state.store.delete_session(&token).await?;
    }
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut()
        .insert(header::SET_COOKIE, clear_cookie(&state.config));
    Ok(res)
}
