"""libivs's OpenTelemetry spans (opentelemetry-api present, a tracer provider set), checked with
the SDK's in-memory exporter: a call, a retried call, a failed call, an async call."""

import asyncio

import pytest

import libivs

MISSING = "arn:aws:ivs:us-west-2:123456789012:channel/missing"

otel_sdk = pytest.importorskip("opentelemetry.sdk.trace")


@pytest.fixture(scope="module")
def spans():
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    yield exporter
    exporter.clear()


def _ivs_spans(exporter):
    return [s for s in exporter.get_finished_spans() if s.name.startswith("ivs.")]


def test_a_call_is_a_client_span_child_of_the_callers(ivs, spans):
    from opentelemetry import trace

    spans.clear()
    with trace.get_tracer("test").start_as_current_span("caller") as caller:
        created = ivs.create_channel(name="traced")
    [span] = _ivs_spans(spans)
    assert span.name == "ivs.CreateChannel"
    assert span.kind == trace.SpanKind.CLIENT
    assert span.parent is not None and span.parent.span_id == caller.get_span_context().span_id
    attributes = dict(span.attributes)
    assert attributes["rpc.system"] == "aws-api"
    assert attributes["rpc.service"] == "ivs"
    assert attributes["rpc.method"] == "CreateChannel"
    assert attributes["aws.region"] == "us-west-2"
    assert attributes["aws.request_id"] == created["ResponseMetadata"]["RequestId"]
    assert attributes["http.status_code"] == 200
    assert attributes["retry_attempts"] == 0
    assert span.status.status_code == trace.StatusCode.UNSET
    text = str(attributes)
    assert created["streamKey"]["value"] not in text


def test_a_retried_call_has_one_event_per_retry(emu, spans):
    spans.clear()
    emu.inject_fault("ListChannels", count=2, status=503)
    with emu.client(config=libivs.Config(retries={"total_max_attempts": 3})) as client:
        client.list_channels()
    [span] = _ivs_spans(spans)
    assert [e.name for e in span.events] == ["retry", "retry"]
    assert [e.attributes["attempt"] for e in span.events] == [2, 3]
    assert span.attributes["retry_attempts"] == 2


def test_a_failed_call_has_error_status_and_type(ivs, spans):
    from opentelemetry import trace

    spans.clear()
    with pytest.raises(ivs.exceptions.ResourceNotFoundException):
        ivs.get_channel(arn=MISSING)
    [span] = _ivs_spans(spans)
    assert span.status.status_code == trace.StatusCode.ERROR
    assert span.attributes["error.type"] == "ResourceNotFoundException"
    assert span.attributes["http.status_code"] == 404


def test_an_async_call_span_is_a_child_of_the_awaiting_span(emu, spans):
    from opentelemetry import trace

    spans.clear()

    async def main():
        async with emu.async_client() as client:
            with trace.get_tracer("test").start_as_current_span("caller") as caller:
                await client.list_channels()
                return caller.get_span_context().span_id

    caller_id = asyncio.run(main())
    [span] = _ivs_spans(spans)
    assert span.name == "ivs.ListChannels"
    assert span.parent.span_id == caller_id
