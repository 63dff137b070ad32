"""libivs from Python: the same code you would write for boto3.client("ivs"), against the
embedded emulator (point it at AWS by dropping the emulator and passing your region).

    make demo-python
"""

import asyncio

import libivs


def main() -> None:
    with libivs.Emulator() as emulator:
        ivs = libivs.client(
            "ivs",
            region_name=emulator.region,
            endpoint_url=emulator.url,
            aws_access_key_id=emulator.access_key_id,
            aws_secret_access_key=emulator.secret_access_key,
            config=libivs.Config(retries={"max_attempts": 3, "mode": "standard"}),
        )

        created = ivs.create_channel(name="demo", latencyMode="LOW", tags={"app": "demo"})
        channel = created["channel"]
        print(f"created {channel['name']} ({channel['latencyMode']}): {channel['arn']}")
        print(f"  playback: {channel['playbackUrl']}")

        # A broadcaster connects with the channel's stream key (simulated by the emulator).
        emulator.start_stream(created["streamKey"]["value"])
        stream = ivs.get_stream(channelArn=channel["arn"])["stream"]
        print(f"stream {stream['streamId']} is {stream['state']}, health {stream['health']}, "
              f"started {stream['startTime'].isoformat()}")

        try:
            ivs.delete_channel(arn=channel["arn"])
        except ivs.exceptions.ConflictException as error:
            print(f"cannot delete a live channel: {error.response['Error']['Message']}")

        for i in range(4):
            ivs.create_channel(name=f"extra-{i}")
        paginator = ivs.get_paginator("list_channels")
        for number, page in enumerate(paginator.paginate(PaginationConfig={"PageSize": 2}), 1):
            print(f"page {number}: {[summary['name'] for summary in page['channels']]}")

        async def concurrently() -> int:
            async with emulator.async_client() as aivs:
                pages = await asyncio.gather(*(aivs.list_channels() for _ in range(8)))
                return sum(len(page["channels"]) for page in pages)

        print(f"asyncio: 8 concurrent list_channels saw {asyncio.run(concurrently())} channels")

        ivs.stop_stream(channelArn=channel["arn"])
        for summary in paginator.paginate().items():
            ivs.delete_channel(arn=summary["arn"])
        print(f"cleaned up: {len(ivs.list_channels()['channels'])} channels left")


if __name__ == "__main__":
    main()
