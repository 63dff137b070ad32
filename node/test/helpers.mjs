// Shared by the node --test suites: an emulator per suite and a client pointed at it.
import { generateKeyPairSync } from 'node:crypto';
import { IvsClient, startEmulator } from '../index.mjs';

export function setup(config = {}) {
  const emulator = startEmulator();
  const client = new IvsClient({ ...emulator.clientConfig, ...config });
  return { emulator, client };
}

/** A P-384 public key in PEM, as ImportPlaybackKeyPair wants. */
export function publicKeyPem() {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
  return publicKey.export({ type: 'spki', format: 'pem' });
}

/** An address on loopback where nothing listens. */
export async function closedPortUrl() {
  const net = await import('node:net');
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

export const MISSING_CHANNEL_ARN = 'arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234';
