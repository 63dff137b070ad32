"""Members the model binds to HTTP headers: the batch operations' CORS and security headers, and
every modeled error's (test_boto3_parity.py checks those). libivs returns them as boto3 does
against the same emulator."""

#: member -> the emulator's value (IVS's).
HEADER_MEMBERS = {
    "accessControlAllowOrigin": "*",
    "accessControlExposeHeaders": "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date",
    "cacheControl": "no-store, no-cache, must-revalidate",
    "contentSecurityPolicy": "upgrade-insecure-requests",
    "strictTransportSecurity": "max-age=47304000; includeSubDomains",
    "xContentTypeOptions": "nosniff",
    "xFrameOptions": "DENY",
}


def test_batch_operations_return_the_header_members_as_boto3(ivs, boto3_ivs):
    created = ivs.create_channel(name="headers")
    arn, key = created["channel"]["arn"], created["streamKey"]["arn"]
    calls = [
        ("batch_get_channel", {"arns": [arn]}),
        ("batch_get_stream_key", {"arns": [key]}),
        ("batch_start_viewer_session_revocation",
         {"viewerSessions": [{"channelArn": arn, "viewerId": "v1"}]}),
    ]
    for name, params in calls:
        ours = getattr(ivs, name)(**params)
        theirs = getattr(boto3_ivs, name)(**params)
        for member, value in HEADER_MEMBERS.items():
            assert ours[member] == value, (name, member)
            assert theirs[member] == value, (name, member)
        headers = ours["ResponseMetadata"]["HTTPHeaders"]
        assert headers["x-frame-options"] == ours["xFrameOptions"]
    # An output that binds no header has none of them (boto3 neither).
    got = ivs.get_channel(arn=arn)
    assert not set(got) & set(HEADER_MEMBERS)
    assert not set(boto3_ivs.get_channel(arn=arn)) & set(HEADER_MEMBERS)


def test_async_client_returns_them_too(emu):
    import asyncio

    async def main():
        async with emu.async_client() as aivs:
            arn = (await aivs.create_channel(name="a"))["channel"]["arn"]
            return await aivs.batch_get_channel(arns=[arn])

    batch = asyncio.run(main())
    assert {m: batch[m] for m in HEADER_MEMBERS} == HEADER_MEMBERS
