// A real broadcast through @aws-sdk/client-ivs: ffmpeg publishes over plain RTMP (insecureIngest)
// to the embedded emulator; the stream goes LIVE with what was sent, ends after the delay, and
// emulator.events() tells the story. ffmpeg comes from the system packages (make test installs it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { startEmulator } from '../index.mjs';

const require = createRequire(import.meta.url);
const sdk = require('@aws-sdk/client-ivs');

function publish(url, seconds) {
  return spawn('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-nostdin', '-re',
    '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30',
    '-f', 'lavfi', '-i', 'sine=sample_rate=44100',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '600k', '-g', '30', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-t', String(seconds), '-f', 'flv', url,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Polls `check` every 100 ms until it answers something truthy, for at most `limitMs`. */
async function eventually(check, limitMs = 10000) {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

test('an RTMP broadcast through @aws-sdk/client-ivs: LIVE, ingest configuration, end, events', { timeout: 60000 }, async () => {
  const emulator = startEmulator({ streamEndDelayMs: 1000 });
  try {
    assert.match(emulator.rtmpUrl, /^rtmp:\/\/127\.0\.0\.1:\d+\/app\/$/);
    assert.match(emulator.rtmpsUrl, /^rtmps:\/\/127\.0\.0\.1:\d+\/app\/$/);
    const ivs = new sdk.IvsClient({ ...emulator.clientConfig, maxAttempts: 1 });
    const created = await ivs.send(new sdk.CreateChannelCommand({ name: 'node-broadcast', insecureIngest: true }));
    const channelArn = created.channel.arn;
    const ffmpeg = publish(emulator.rtmpUrl + created.streamKey.value, 3);
    const exited = once(ffmpeg, 'exit');

    const stream = await eventually(async () => {
      try {
        return (await ivs.send(new sdk.GetStreamCommand({ channelArn }))).stream;
      } catch (error) {
        if (error.name === 'ChannelNotBroadcasting') return undefined;
        throw error;
      }
    });
    assert.equal(stream?.state, 'LIVE');
    const ingest = await eventually(async () => {
      const { streamSession } = await ivs.send(new sdk.GetStreamSessionCommand({ channelArn }));
      const configuration = streamSession.ingestConfiguration;
      return configuration?.video?.codec && configuration?.audio?.codec ? configuration : undefined;
    });
    assert.ok(ingest, 'the ingest configuration arrives');
    assert.deepEqual([ingest.video.videoWidth, ingest.video.videoHeight, ingest.video.targetFramerate], [640, 360, 30]);
    assert.deepEqual([ingest.audio.codec, ingest.audio.sampleRate, ingest.audio.channels], ['mp4a.40.2', 44100, 1]);

    const [code] = await exited;
    assert.equal(code, 0, 'ffmpeg published');
    await assert.rejects(ivs.send(new sdk.DeleteChannelCommand({ arn: channelArn })), { name: 'ConflictException' });
    assert.ok(await eventually(async () => (await ivs.send(new sdk.ListStreamsCommand({}))).streams.length === 0));

    const { events, cursor } = emulator.events();
    assert.deepEqual(events.map((event) => event.detail.event_name), ['Session Created', 'Stream Start', 'Stream End', 'Session Ended']);
    assert.ok(events.every((event) => event.source === 'aws.ivs' && event['detail-type'] === 'IVS Stream State Change'));
    assert.deepEqual(emulator.events({ since: cursor }).events, []);
    const { streamSession } = await ivs.send(new sdk.GetStreamSessionCommand({ channelArn }));
    assert.deepEqual(streamSession.truncatedEvents.map((event) => event.name), ['Session Ended', 'Stream End', 'Stream Start', 'Session Created']);
    await ivs.send(new sdk.DeleteChannelCommand({ arn: channelArn }));
    assert.throws(() => emulator.events({ since: -1 }));
  } finally {
    emulator.stop();
  }
});
