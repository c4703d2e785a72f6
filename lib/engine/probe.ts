import { Client } from 'undici';
import { RunFailedError } from '../errors.ts';
import { classifyError } from './error-codes.ts';

/**
 * One GET to `url` before the load: any HTTP answer (even a 500) proves the target is
 * there. If it cannot connect, or nothing answers within `timeoutMs`, throws
 * RunFailedError naming the URL. Nothing else is sent.
 */
export async function probeTarget(url: string, timeoutMs = 5000): Promise<{ status: number }> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new RunFailedError(`target ${url} is not a URL`, error);
  }
  const client = new Client(parsed.origin, { connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  try {
    const res = await client.request({ method: 'GET', path: `${parsed.pathname}${parsed.search}` || '/', signal: AbortSignal.timeout(timeoutMs) });
    await res.body.dump();
    return { status: res.statusCode };
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : classifyError(error).message;
    throw new RunFailedError(`cannot reach the target ${url}: ${reason}`, error);
  } finally {
    await client.destroy();
  }
}
