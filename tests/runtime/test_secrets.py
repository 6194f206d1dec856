"""Secrets are masked by default: headers, tokens, passwords."""

from runtime.secrets import mask_headers, mask_mapping, mask_secret


def test_bearer_tokens_keep_their_scheme_and_no_character_of_the_secret() -> None:
    assert mask_secret("Bearer abcdefgh12345678") == "Bearer ****"
    assert mask_secret("a-long-password-of-thirty-chars") == "****"
    assert mask_secret("short") == "****"
    assert mask_secret(None) is None


def test_secret_headers_and_keys_are_masked() -> None:
    assert mask_headers({"Authorization": "Basic dXNlcjpwYXNzd29yZA==", "Accept": "x"}) == {
        "Authorization": "Basic ****",
        "Accept": "x",
    }
    assert mask_mapping({"username": "wow", "password": "hunter22", "nested": [{"authToken": "t"}]}) == {
        "username": "wow",
        "password": "****",
        "nested": [{"authToken": "****"}],
    }
