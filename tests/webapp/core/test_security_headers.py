from __future__ import annotations


def test_headers_on_public_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_personal_pages_are_not_cached(citizen_client):
    assert citizen_client.get("/settings/profile").headers["Cache-Control"] == "no-store"


def test_session_cookie_flags(client, citizen):
    response = client.post("/login", data={"email": citizen.email, "password": citizen.password})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_unknown_page_is_a_404_page_not_a_trace(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"Traceback" not in response.data
