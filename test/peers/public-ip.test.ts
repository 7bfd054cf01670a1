import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Cleanup } from './harness/cleanup.js';
import { type LineProcess, startTsLineProcess } from './harness/line-process.js';
import { createLab, type Lab } from './harness/netns.js';
import { describePeers } from './harness/requirements.js';
import { mustRun, stopProcess, waitFor } from './harness/run.js';
import { sesameIn } from './harness/sesame-cli.js';

const STAND_INS = fileURLToPath(new URL('../helpers/stand-ins/stand-in-main.ts', import.meta.url));
const WATCH = fileURLToPath(new URL('../helpers/stand-ins/watch-main.ts', import.meta.url));

describePeers(
  'the public IP as the internet sees it, from a namespace whose address changes',
  ['ip', 'openssl'],
  () => {
    const cleanup = new Cleanup();
    let lab: Lab;
    let work: string;
    let ports: { http: number; https: number; dns: number };
    let standIns: LineProcess;
    let providers: string[];

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'sesame-public-ip-'));
      cleanup.add(() => rmSync(work, { recursive: true, force: true }));
      lab = await createLab(cleanup);
      // The server namespace plays the internet: every provider echoes the client's address.
      standIns = startTsLineProcess(lab.server, cleanup, [
        STAND_INS,
        '--host',
        '::',
        '--http',
        '0',
        '--https',
        '0',
        '--dns',
        '0',
        '--cert-out',
        join(work, 'ca.pem'),
        '--cert-host',
        lab.serverName,
      ]);
      const ready = await waitFor(
        'the stand-ins to listen',
        () => standIns.lines.find((l) => 'http' in l || l.event === 'exit'),
        20_000,
      );
      expect(ready).not.toHaveProperty('event');
      ports = ready as typeof ports;
      providers = [
        // By name: the client's hosts file gives both families, and each is asked over its own.
        `http://${lab.serverName}:${ports.http}/`,
        `https://${lab.serverName}:${ports.https}/`,
        `dns://${lab.serverIp}:${ports.dns}/myip.opendns.com?type=A`,
        `dns://[${lab.serverIp6}]:${ports.dns}/myip.opendns.com?type=AAAA`,
        `dns://${lab.serverIp}:${ports.dns}/o-o.myaddr.l.google.com?type=TXT`,
      ];
    });

    afterAll(() => cleanup.run());

    const sesameIp = (...args: string[]) =>
      sesameIn(
        lab.client,
        [
          'ip',
          '--json',
          '--accept-non-public',
          ...providers.flatMap((p) => ['--provider', p]),
          ...args,
        ],
        { ...process.env, NODE_EXTRA_CA_CERTS: join(work, 'ca.pem') },
      );

    async function moveClient(from4: string, to4: string, from6: string, to6: string) {
      const ip = (...args: string[]) => mustRun('ip', ['-n', lab.client.name, ...args]);
      await ip('addr', 'del', `${from4}/24`, 'dev', lab.clientIf);
      await ip('addr', 'add', `${to4}/24`, 'dev', lab.clientIf);
      await ip('addr', 'del', `${from6}/64`, 'dev', lab.clientIf);
      await ip('addr', 'add', `${to6}/64`, 'dev', lab.clientIf, 'nodad');
    }

    it('sesame ip sees the new address after the client namespace’s address really changes', async () => {
      const before = await sesameIp();
      expect(before.stderr).toBe('');
      const json = JSON.parse(before.stdout) as {
        ipv4: { address: string; answers: { provider: string }[] };
        ipv6: { address: string; answers: { provider: string }[] };
      };
      expect(json.ipv4.address).toBe(lab.clientIp);
      expect(json.ipv6.address).toBe(lab.clientIp6);
      // Every provider answered: HTTP and HTTPS by name over each family, DNS A and TXT, AAAA.
      expect(json.ipv4.answers).toHaveLength(4);
      expect(json.ipv6.answers).toHaveLength(3);

      await moveClient(lab.clientIp, '10.200.0.7', lab.clientIp6, 'fd5e:5a3e::7');
      try {
        const after = JSON.parse((await sesameIp()).stdout) as typeof json;
        expect([after.ipv4.address, after.ipv6.address]).toEqual(['10.200.0.7', 'fd5e:5a3e::7']);
      } finally {
        await moveClient('10.200.0.7', lab.clientIp, 'fd5e:5a3e::7', lab.clientIp6);
      }
    });

    it('the watcher in the client namespace notices the change and reports the new public IP', async () => {
      const specs = [
        {
          kind: 'http',
          name: 'http',
          ipv4: `http://${lab.serverName}:${ports.http}/`,
          ipv6: `http://${lab.serverName}:${ports.http}/`,
        },
        {
          kind: 'dns',
          name: 'dns',
          ipv4: { server: `${lab.serverIp}:${ports.dns}`, name: 'myip.opendns.com', type: 'A' },
          ipv6: {
            server: `[${lab.serverIp6}]:${ports.dns}`,
            name: 'myip.opendns.com',
            type: 'AAAA',
          },
        },
      ];
      const watch = startTsLineProcess(lab.client, cleanup, [
        WATCH,
        JSON.stringify({ providers: specs, pollMs: 200, quietMs: 500, acceptNonPublic: true }),
      ]);
      const changes = () => watch.lines.filter((l) => l.event === 'public-ip-changed');
      await waitFor(
        'the first check',
        () => watch.lines.some((l) => l.event === 'check-done' || l.event === 'exit'),
        20_000,
      );
      expect(changes()).toEqual([
        expect.objectContaining({ family: 4, current: lab.clientIp }),
        expect.objectContaining({ family: 6, current: lab.clientIp6 }),
      ]);

      await moveClient(lab.clientIp, '10.200.0.9', lab.clientIp6, 'fd5e:5a3e::9');
      try {
        await waitFor('the watcher to see both new addresses', () => changes().length >= 4, 20_000);
        expect(changes().slice(2)).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ family: 4, previous: lab.clientIp, current: '10.200.0.9' }),
            expect.objectContaining({
              family: 6,
              previous: lab.clientIp6,
              current: 'fd5e:5a3e::9',
            }),
          ]),
        );
        expect(watch.lines.filter((l) => l.event === 'local-change').length).toBeGreaterThanOrEqual(
          1,
        );

        // Every provider dead: the round is unknown, and the address stays.
        standIns.child.stdin?.write('all dead\n');
        await waitFor(
          'the stand-ins to die',
          () => standIns.lines.some((l) => l.mode === 'dead'),
          5000,
        );
        await mustRun('ip', [
          '-n',
          lab.client.name,
          'addr',
          'add',
          '10.200.0.99/24',
          'dev',
          lab.clientIf,
        ]);
        await waitFor(
          'an unknown round',
          () => watch.lines.some((l) => l.event === 'public-ip-unknown'),
          20_000,
        );
        expect(changes()).toHaveLength(4);
      } finally {
        standIns.child.stdin?.write('all echo\n');
        await mustRun('ip', [
          '-n',
          lab.client.name,
          'addr',
          'del',
          '10.200.0.99/24',
          'dev',
          lab.clientIf,
        ]).catch(() => undefined);
        await moveClient('10.200.0.9', lab.clientIp, 'fd5e:5a3e::9', lab.clientIp6);
        await stopProcess(watch.child);
      }
    });
  },
);
