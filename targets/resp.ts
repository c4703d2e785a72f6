// RESP2, the Redis wire protocol: just enough to read client commands (arrays of bulk
// strings, plus inline commands typed by hand into nc/telnet) and to write replies.
// https://redis.io/docs/latest/develop/reference/protocol-spec/

/** Largest bulk string or inline line accepted, in bytes (Redis allows 512 MiB; a demo needs far less). */
export const MAX_BULK_BYTES = 8 * 1024 * 1024;
/** Largest number of arguments in one command. */
const MAX_ARGS = 1024 * 1024;

export class RespProtocolError extends Error {}

export interface ParsedCommand {
  /** The command's arguments, the name first. */
  args: string[];
  /** Offset just past the command in the buffer. */
  end: number;
}

/**
 * Reads one complete command starting at `offset`; undefined when the buffer ends first
 * (wait for more bytes). Throws RespProtocolError on bytes that are not RESP.
 */
export function parseCommand(buf: Buffer, offset: number): ParsedCommand | undefined {
  if (offset >= buf.length) return undefined;
  if (buf[offset] !== 0x2a /* '*' */) return parseInline(buf, offset);
  const header = readLine(buf, offset + 1);
  if (!header) return undefined;
  const count = toInt(header.text, 'multibulk length');
  if (count > MAX_ARGS) throw new RespProtocolError('invalid multibulk length');
  const args: string[] = [];
  let pos = header.end;
  for (let i = 0; i < count; i++) {
    if (pos >= buf.length) return undefined;
    if (buf[pos] !== 0x24 /* '$' */) throw new RespProtocolError(`expected '$', got '${String.fromCharCode(buf[pos]!)}'`);
    const lenLine = readLine(buf, pos + 1);
    if (!lenLine) return undefined;
    const len = toInt(lenLine.text, 'bulk length');
    if (len > MAX_BULK_BYTES) throw new RespProtocolError('invalid bulk length');
    const dataEnd = lenLine.end + len;
    if (dataEnd + 2 > buf.length) return undefined;
    args.push(buf.toString('utf8', lenLine.end, dataEnd));
    pos = dataEnd + 2; // skip the CRLF after the data
  }
  return { args, end: pos };
}

/** An inline command: words separated by spaces, ended by LF (CRLF tolerated). */
function parseInline(buf: Buffer, offset: number): ParsedCommand | undefined {
  const nl = buf.indexOf(0x0a, offset);
  if (nl === -1) {
    if (buf.length - offset > MAX_BULK_BYTES) throw new RespProtocolError('too big inline request');
    return undefined;
  }
  const line = buf.toString('utf8', offset, nl).replace(/\r$/, '');
  return { args: line.split(' ').filter((w) => w.length > 0), end: nl + 1 };
}

function readLine(buf: Buffer, start: number): { text: string; end: number } | undefined {
  const cr = buf.indexOf(0x0d, start);
  if (cr === -1 || cr + 1 >= buf.length) return undefined;
  return { text: buf.toString('latin1', start, cr), end: cr + 2 };
}

function toInt(text: string, what: string): number {
  if (!/^-?\d+$/.test(text)) throw new RespProtocolError(`invalid ${what}`);
  return Number(text);
}

// Replies.
export const simple = (s: string): string => `+${s}\r\n`;
export const error = (message: string): string => `-${message}\r\n`;
export const integer = (n: number): string => `:${n}\r\n`;
export const NULL_BULK = '$-1\r\n';
export const bulk = (s: string | undefined): string =>
  s === undefined ? NULL_BULK : `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
export const OK = simple('OK');
