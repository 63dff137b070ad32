"""Private channels end to end in Python: tokens signed by libivs play a private channel on the
emulator, wrong keys / expired tokens / other channels / revoked sessions are refused, and libivs
tokens interoperate with PyJWT (an independent implementation on ``cryptography``)."""

import time
import urllib.error
import urllib.request

import jwt
import pytest

import libivs


def play(url, token=None):
    full = f"{url}?token={token}" if token else url
    try:
        with urllib.request.urlopen(full, timeout=10) as response:
            body = response.read().decode()
            assert body.startswith("#EXTM3U")
            return response.status
    except urllib.error.HTTPError as refused:
        return refused.code


@pytest.fixture
def private(emu):
    ivs = emu.client()
    keys = libivs.generate_playback_key_pair()
    ivs.import_playback_key_pair(publicKeyMaterial=keys.public_key_pem, name="viewers")
    channels = []
    for name in ("private", "other"):
        created = ivs.create_channel(name=name, authorized=True)
        emu.start_stream(created["streamKey"]["value"])
        channels.append((created["channel"]["arn"], emu.playback_url(created["channel"]["playbackUrl"])))
    return ivs, keys, channels


def test_signed_tokens_play_and_bad_ones_are_refused(private):
    ivs, keys, [(arn, url), (other_arn, other_url)] = private
    token = libivs.sign_playback_token(keys.private_key_pem, arn, expires_in=300)
    assert libivs.verify_playback_token(keys.public_key_pem, token)["aws:channel-arn"] == arn
    assert play(url, token) == 200
    assert play(url) == 403

    stranger = libivs.generate_playback_key_pair()
    assert play(url, libivs.sign_playback_token(stranger.private_key_pem, arn)) == 403
    assert play(url, libivs.sign_playback_token(keys.private_key_pem, arn, expires_at=1_000_000_000)) == 403
    other = libivs.sign_playback_token(keys.private_key_pem, other_arn)
    assert play(url, other) == 403
    assert play(other_url, other) == 200


def test_revoked_viewer_sessions_are_refused(private):
    ivs, keys, [(arn, url), _] = private
    def viewer(version):
        return libivs.sign_playback_token(
            keys.private_key_pem, arn, viewer_id="viewer-9", viewer_session_version=version, expires_in=120
        )
    assert play(url, viewer(2)) == 200
    ivs.start_viewer_session_revocation(channelArn=arn, viewerId="viewer-9", viewerSessionVersionsLessThanOrEqualTo=2)
    assert play(url, viewer(2)) == 403
    assert play(url, viewer(3)) == 200


def test_tokens_interoperate_with_pyjwt(private):
    _, keys, [(arn, url), _] = private
    token = libivs.sign_playback_token(keys.private_key_pem, arn, viewer_id="v1", expires_in=60)
    assert jwt.get_unverified_header(token) == {"alg": "ES384", "typ": "JWT"}
    claims = jwt.decode(token, keys.public_key_pem, algorithms=["ES384"])
    assert claims["aws:channel-arn"] == arn and claims["aws:viewer-id"] == "v1"
    assert 0 < claims["exp"] - time.time() <= 61, "exp is in seconds"

    foreign = jwt.encode({"aws:channel-arn": arn, "exp": int(time.time()) + 60}, keys.private_key_pem, algorithm="ES384")
    assert play(url, foreign) == 200
    assert libivs.verify_playback_token(keys.public_key_pem, foreign)["aws:channel-arn"] == arn


def test_bad_keys_claims_and_tokens_are_typed_errors(private):
    _, keys, [(arn, _), _] = private
    with pytest.raises(libivs.PlaybackTokenError) as bad_key:
        libivs.sign_playback_token("-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----", arn)
    assert bad_key.value.code == "InvalidPlaybackKey"
    assert "nope" not in str(bad_key.value)
    with pytest.raises(libivs.PlaybackTokenError) as long_viewer:
        libivs.sign_playback_token(keys.private_key_pem, arn, viewer_id="v" * 41)
    assert long_viewer.value.code == "InvalidPlaybackClaims"
    with pytest.raises(libivs.PlaybackTokenError):
        libivs.sign_playback_token(keys.private_key_pem, arn, viewer_id="v", expires_in=3600)
    stranger = libivs.generate_playback_key_pair()
    token = libivs.sign_playback_token(keys.private_key_pem, arn)
    with pytest.raises(libivs.PlaybackTokenError) as mismatch:
        libivs.verify_playback_token(stranger.public_key_pem, token)
    assert mismatch.value.code == "PlaybackTokenSignatureMismatch"
    assert isinstance(mismatch.value, libivs.IvsError)
    assert "PRIVATE" not in repr(keys)
