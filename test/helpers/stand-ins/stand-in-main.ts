// The stand-in providers as a process of their own, for a network namespace that plays the
// internet: the client namespace's address really changes, and the echo answers the new one.
//
//   node --import tsx test/helpers/stand-ins/stand-in-main.ts \
//     --host :: --http 8080 --https 8443 --dns 5353 \
//     --cert-out /tmp/ca.pem --cert-host echo.test --control 127.0.0.1:9099
//
// --host is where to listen (`::` serves both families); a port of 0 picks a free one; the HTTPS
// certificate is self-signed, made at start, valid for localhost, loopback and each --cert-host,
// and written to --cert-out for the clients to trust (NODE_EXTRA_CA_CERTS for `sesame ip`).
//
// Prints one JSON line when ready: {"http":8080,"https":8443,"dns":5353,"control":9099}.
// Modes change at run time, for one service (http, https, dns) or all:
//   on stdin:            dns dead          all echo          http slow:5000
//   over HTTP:           curl -X PUT --data dead http://127.0.0.1:9099/mode/dns
//                        curl http://127.0.0.1:9099/mode      (the current modes, as JSON)
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { type DnsStandIn, startDnsStandIn } from './dns-stand-in.js';
import { type HttpEcho, startHttpEcho, type EchoFormat } from './http-echo.js';
import { createSelfSignedCert } from './self-signed.js';
import { formatMode, parseMode, type StandInMode } from './stand-in-mode.js';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '::' },
    http: { type: 'string' },
    https: { type: 'string' },
    dns: { type: 'string' },
    format: { type: 'string', default: 'text' },
    'cert-out': { type: 'string' },
    'cert-host': { type: 'string', multiple: true, default: [] },
    control: { type: 'string', default: '127.0.0.1:0' },
  },
});

interface Service {
  readonly mode: StandInMode;
  setMode(mode: StandInMode): Promise<void>;
}

const services: Record<string, Service[]> = {};
const ready: Record<string, number> = {};
const host = values.host;
const format = values.format as EchoFormat;

if (values.http !== undefined) {
  const echo: HttpEcho = await startHttpEcho({ host, port: Number(values.http), format });
  services.http = [echo];
  ready.http = echo.port;
}
if (values.https !== undefined) {
  const tls = createSelfSignedCert(values['cert-host']);
  if (values['cert-out'] !== undefined) writeFileSync(values['cert-out'], tls.cert);
  const echo = await startHttpEcho({ host, port: Number(values.https), format, tls });
  services.https = [echo];
  ready.https = echo.port;
}
if (values.dns !== undefined) {
  // One socket per family on the same port, so IPv4 sources are seen as plain IPv4.
  const hosts = host === '::' ? ['0.0.0.0', '::'] : [host];
  const first: DnsStandIn = await startDnsStandIn({
    host: hosts[0] ?? host,
    port: Number(values.dns),
  });
  services.dns = [first];
  for (const other of hosts.slice(1)) {
    services.dns.push(await startDnsStandIn({ host: other, port: first.port }));
  }
  ready.dns = first.port;
}

async function setMode(service: string, modeText: string): Promise<string> {
  const mode = parseMode(modeText);
  const targets = service === 'all' ? Object.values(services).flat() : services[service];
  if (targets === undefined)
    throw new Error(`no service "${service}" (${Object.keys(services).join(', ')}, all)`);
  for (const target of targets) await target.setMode(mode);
  return formatMode(mode);
}

function modes(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(services).map(([name, list]) => [
      name,
      formatMode(list[0]?.mode ?? { kind: 'dead' }),
    ]),
  );
}

const control = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    const match = /^\/mode(?:\/(\w+))?$/.exec(req.url ?? '');
    if (!match) {
      res.writeHead(404).end('try GET /mode or PUT /mode/<service>\n');
    } else if (req.method === 'GET') {
      res.end(`${JSON.stringify(modes())}\n`);
    } else {
      setMode(match[1] ?? 'all', body).then(
        (mode) => res.end(`${mode}\n`),
        (error: Error) => res.writeHead(400).end(`${error.message}\n`),
      );
    }
  });
});
const [controlHost = '127.0.0.1', controlPort = '0'] = values.control.split(/:(?=\d+$)/);
await new Promise<void>((resolve) =>
  control.listen(Number(controlPort), controlHost.replace(/^\[|\]$/g, ''), resolve),
);
const controlAddress = control.address();
ready.control = typeof controlAddress === 'object' && controlAddress ? controlAddress.port : 0;

createInterface({ input: process.stdin }).on('line', (line) => {
  const [service = '', mode = ''] = line.trim().split(/\s+/);
  if (service === '') return;
  setMode(service, mode).then(
    (set) => console.log(JSON.stringify({ service, mode: set })),
    (error: Error) => console.log(JSON.stringify({ service, error: error.message })),
  );
});

const stop = (): void => process.exit(0);
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
console.log(JSON.stringify(ready));
