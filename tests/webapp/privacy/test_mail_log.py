"""instance/outbox.log (the development mail log) forgets a deleted user's e-mails."""

from tests.factories import mailed_messages


def test_deleting_an_account_removes_its_mails_from_the_outbox_log(app, factories, client):
    keep = factories.account("citizen")
    gone = factories.account("citizen")
    for account in (keep, gone):
        client.post("/api/v1/password-reset", json={"email": account.email})
    assert mailed_messages(app, gone.email) and mailed_messages(app, keep.email)
    headers = factories.token(client, gone)
    assert (
        client.delete("/api/v1/me", json={"password": gone.password}, headers=headers).status_code
        == 204
    )
    assert mailed_messages(app, gone.email) == []
    assert mailed_messages(app, keep.email)
