"""Secrets are masked by default: headers, tokens, passwords."""

from runtime.masking import SecretMasker
from runtime.secrets import mask_headers, mask_secret


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


def test_text_masks_every_scheme_and_every_secret_key_word() -> None:
    """One list of names for keys and for text: a private key or a Token scheme is masked in a line too."""
    masker = SecretMasker(shared=None)
    assert masker.text("Authorization: Token abcdef123456") == "Authorization: Token ****"
    assert masker.text("Authorization: Bearer abcdef123456") == "Authorization: Bearer ****"
    assert masker.text("private_key=abcdef123456&x=1") == "private_key=****&x=1"
    assert masker.text("privateKey: abcdef123456") == "privateKey: ****"
    assert masker.text("Cookie: session=abcdef123456") == "Cookie: ****"
    assert masker.text("user=wow") == "user=wow"
    assert masker.text("new access token saved") == "new access token saved", "a word, not a scheme"
    assert masker.text("Authorization=Token abcdef123456") == "Authorization=Token ****"
