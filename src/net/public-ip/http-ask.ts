import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { describeNetworkError, ProviderError } from './provider-error.js';
import type { IpVersion } from './provider-spec.js';

export interface HttpAskOptions {
  readonly url: string;
  readonly version: IpVersion;
  readonly userAgent: string;
  /** Largest body accepted; an echo service answers a few dozen bytes. */
  readonly maxBodyBytes: number;
  /** Extra trusted certificates (PEM) for HTTPS, e.g. a company's own CA or a test's. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** Aborted on timeout and when the round is decided; the request is torn down at once. */
  readonly signal: AbortSignal;
}

/**
 * One GET to an echo service, over the asked family only: the name is looked up for that family
 * (`family: 4|6`), so the service sees the address Sesame would knock from over that family.
 * Each request has a connection of its own (`agent: false`): a pooled connection could keep an
 * address the machine no longer uses. Redirects are not followed; a service that moved is a
 * failure to report, not a reason to fetch from somewhere else.
 */
export function httpAsk(options: HttpAskOptions): Promise<string> {
  const url = new URL(options.url);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<string>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        family: options.version,
        agent: false,
        signal: options.signal,
        headers: {
          'user-agent': options.userAgent,
          accept: 'text/plain, application/json;q=0.9, */*;q=0.1',
        },
        ...(options.ca !== undefined && {
          ca: options.ca as string | Buffer | (string | Buffer)[],
        }),
      },
      (response) => {
        readBody(response, options.maxBodyBytes).then(resolve, (error: unknown) => {
          req.destroy();
          reject(error instanceof ProviderError ? error : describeNetworkError(error));
        });
      },
    );
    req.once('error', (error) => reject(describeNetworkError(error)));
    req.end();
  });
}

function readBody(response: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const status = response.statusCode ?? 0;
    if (status !== 200) {
      response.resume();
      reject(new ProviderError('http-status', `HTTP ${status}${statusText(response)}`));
      return;
    }
    const declared = Number(response.headers['content-length'] ?? NaN);
    if (declared > maxBytes) {
      response.destroy();
      reject(tooLarge(maxBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        response.destroy();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    response.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.once('error', reject);
  });
}

function statusText(response: IncomingMessage): string {
  return response.statusMessage ? ` ${response.statusMessage}` : '';
}

function tooLarge(maxBytes: number): ProviderError {
  return new ProviderError('too-large', `answer longer than ${maxBytes} bytes`);
}
