"""Error pages speak the person's language, sit in the site layout and offer a way on."""

from __future__ import annotations

import re

import pytest

ZH = {"Accept-Language": "zh-CN"}
HANT = {"Accept-Language": "zh-TW"}
EN = {"Accept-Language": "en"}
ENGLISH_STATUS = ("Not Found", "Forbidden", "Bad Request", "Method Not Allowed", "CSRF")


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize(
    ("path", "method", "status", "zh_title"),
    [
        ("/no-such-page", "get", 404, "找不到页面"),
        ("/login", "delete", 405, "此页面不支持这种操作"),
    ],
)
def test_error_page_is_chinese_in_layout(client, path, method, status, zh_title):
    response = getattr(client, method)(path, headers=ZH)
    assert response.status_code == status
    html = response.data.decode()
    assert zh_title in html
    assert 'class="site-header"' in html and 'href="/"' in html
    assert not any(word in _text(html) for word in ENGLISH_STATUS)


def test_error_page_in_traditional_and_english(client):
    assert "找不到頁面" in client.get("/nope", headers=HANT).data.decode()
    assert "Page not found" in client.get("/nope", headers=EN).data.decode()


def test_forbidden_page_is_chinese(citizen_client):
    response = citizen_client.get("/admin/", headers=ZH)
    assert response.status_code == 403
    assert "您无权打开此页面" in response.data.decode()
    assert "Forbidden" not in _text(response.data.decode())


def test_api_errors_stay_json(client):
    response = client.get("/api/v1/no-such-thing", headers=ZH)
    assert response.status_code == 404
    assert response.is_json and response.json["error"]["code"] == "not_found"


def test_too_many_requests_is_chinese(request, tmp_path, app, citizen):
    from webapp import create_app

    throttled = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": app.config["DATABASE_URL"],
            "INSTANCE_PATH": str(tmp_path),
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": True,
            "SIGNUP_LIMIT_PER_ADDRESS": "1 per minute",
        }
    )
    request.addfinalizer(throttled.extensions["db_engine"].dispose)
    client = throttled.test_client()
    for n in range(2):
        response = client.post(
            "/signup",
            data={
                "email": f"n{n}@example.test",
                "password": "a-long-pass-phrase",
                "kind": "citizen",
            },
            headers=ZH,
        )
    assert response.status_code == 429
    text = _text(response.data.decode())
    assert "尝试次数过多" in text and "per 1 minute" not in text and "Too Many" not in text


def _strict_client(request, tmp_path, app):
    from webapp import create_app

    strict = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": app.config["DATABASE_URL"],
            "INSTANCE_PATH": str(tmp_path),
            "RATELIMIT_ENABLED": False,
        }
    )
    request.addfinalizer(strict.extensions["db_engine"].dispose)
    return strict.test_client()


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_expired_form_signed_out_offers_sign_in(request, tmp_path, app, citizen):
    client = _strict_client(request, tmp_path, app)
    response = client.post(
        "/login",
        data={"email": citizen.email, "password": citizen.password, "csrf_token": "stale"},
        headers={**ZH, "Referer": "http://localhost/login?next=/duties/"},
    )
    assert response.status_code == 400
    html = response.data.decode()
    assert "表单已过期" in html and "重新登录" in html
    assert "CSRF" not in _text(html) and "Bad Request" not in html
    assert citizen.password not in html


def test_expired_form_signed_in_keeps_what_was_typed_but_not_passwords(
    request, tmp_path, app, citizen
):
    client = _strict_client(request, tmp_path, app)
    token = _token(client.get("/login").data.decode())
    client.post(
        "/login", data={"email": citizen.email, "password": citizen.password, "csrf_token": token}
    )
    response = client.post(
        "/settings/password",
        data={
            "current_password": citizen.password,
            "new_password": "another-long-phrase",
            "display_name": "王小明",
            "csrf_token": "stale",
        },
        headers=ZH,
    )
    assert response.status_code == 400
    html = response.data.decode()
    assert "重新提交" in html
    assert 'name="display_name" value="王小明"' in html
    assert citizen.password not in html and "another-long-phrase" not in html
    assert 'action="/settings/password"' in html
