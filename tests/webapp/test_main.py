"""python -m webapp --port sets the default PUBLIC_URL, so e-mailed links reach the port
the site runs on."""

from webapp.__main__ import local_public_url


def test_port_sets_the_default_public_url():
    assert local_public_url("127.0.0.1", 8123, {}) == "http://127.0.0.1:8123"
    assert local_public_url("0.0.0.0", 8080, {}) == "http://127.0.0.1:8080"


def test_an_explicit_public_url_wins():
    assert local_public_url("127.0.0.1", 8123, {"PUBLIC_URL": "https://x.example"}) is None
