import { ErrBadRequestBody, ErrMissingField } from './errors.ts';
import { errorMessage } from '../errors.ts';

// Decoding of the API's request bodies: the edge where JSON becomes typed fields. Messages
// follow Toxiproxy's (Go's encoding/json) so clients that match on them keep working.
//
// Deliberate deviation from Toxiproxy 2.4.0: it stores any number as an attribute (a
// latency of -5 is answered 200). Here an attribute must be a non-negative number and
// `toxicity` a number from 0 to 1; anything else is answered 400 "bad request body: ...".

/** Fields of a proxy in a create, update or populate body; absent (or null) when not given. */
export interface ProxyFields {
  name?: string;
  listen?: string;
  upstream?: string;
  enabled?: boolean;
}

/** Fields of a toxic in a create or update body; `attributes` is checked per toxic type. */
export interface ToxicFields {
  name?: string;
  type?: string;
  stream?: string;
  toxicity?: number;
  attributes?: Record<string, unknown>;
}

/** Parses a body as JSON; an empty body is Go's `EOF`. */
export function parseBody(text: string): unknown {
  if (text.trim() === '') throw ErrBadRequestBody.with('EOF');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw ErrBadRequestBody.with(errorMessage(error));
  }
}

export function decodeProxyFields(body: unknown, where = 'toxiproxy.Proxy'): ProxyFields {
  const object = expectObject(body, where);
  return {
    name: field(object, 'name', 'string', where),
    listen: field(object, 'listen', 'string', where),
    upstream: field(object, 'upstream', 'string', where),
    enabled: field(object, 'enabled', 'boolean', where),
  };
}

/** A create body must name the proxy and its upstream (`suffix`: " at proxy N" in populate). */
export function requireProxyFields(fields: ProxyFields, suffix = ''): Required<Pick<ProxyFields, 'name' | 'upstream'>> & ProxyFields {
  if (!fields.name) throw ErrMissingField.with(`name${suffix}`);
  if (!fields.upstream) throw ErrMissingField.with(`upstream${suffix}`);
  return { ...fields, name: fields.name, upstream: fields.upstream };
}

export function decodePopulate(body: unknown): ProxyFields[] {
  if (!Array.isArray(body)) throw ErrBadRequestBody.with(`json: cannot unmarshal ${jsonType(body)} into Go value of type []struct { toxiproxy.Proxy; Enabled *bool "json:\\"enabled\\"" }`);
  return body.map((item) => decodeProxyFields(item, 'Proxy'));
}

export function decodeToxicFields(body: unknown): ToxicFields {
  const where = 'toxics.ToxicWrapper';
  const object = expectObject(body, where);
  const toxicity = field(object, 'toxicity', 'number', where);
  if (toxicity !== undefined && !(toxicity >= 0 && toxicity <= 1)) {
    throw ErrBadRequestBody.with(`toxicity must be a number from 0 to 1, got ${toxicity}`);
  }
  const attributes = object.attributes;
  if (attributes !== undefined && attributes !== null && (typeof attributes !== 'object' || Array.isArray(attributes))) {
    throw ErrBadRequestBody.with(`json: cannot unmarshal ${jsonType(attributes)} into Go struct field ${where}.attributes of type toxics.Toxic`);
  }
  return {
    name: field(object, 'name', 'string', where),
    type: field(object, 'type', 'string', where),
    stream: field(object, 'stream', 'string', where),
    toxicity,
    attributes: (attributes ?? undefined) as Record<string, unknown> | undefined,
  };
}

/**
 * A toxic's attributes: the given values over `base` (the current ones on an update; 0 for
 * each attribute on a create), in the toxic's attribute order. Unknown names are ignored,
 * as Toxiproxy ignores them.
 */
export function decodeAttributes(names: readonly string[], given: Record<string, unknown> | undefined, base: Record<string, number> | undefined): Record<string, number> {
  const result: Record<string, number> = {};
  for (const name of names) {
    const value = given?.[name];
    if (value === undefined || value === null) {
      result[name] = base?.[name] ?? 0;
      continue;
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      const shown = typeof value === 'number' ? `number ${value}` : jsonType(value);
      throw ErrBadRequestBody.with(`json: cannot unmarshal ${shown} into Go struct field .attributes.${name} of type int64`);
    }
    if (value < 0) throw ErrBadRequestBody.with(`attribute ${name} must not be negative, got ${value}`);
    result[name] = value;
  }
  return result;
}

function expectObject(body: unknown, where: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw ErrBadRequestBody.with(`json: cannot unmarshal ${jsonType(body)} into Go value of type ${where}`);
  }
  return body as Record<string, unknown>;
}

const GO_TYPES = { string: 'string', boolean: 'bool', number: 'float32' } as const;
type Kind = keyof typeof GO_TYPES;
type Of<K extends Kind> = K extends 'string' ? string : K extends 'boolean' ? boolean : number;

/** A field of the expected JSON type; null counts as absent (Go leaves the field unchanged). */
function field<K extends Kind>(object: Record<string, unknown>, name: string, kind: K, where: string): Of<K> | undefined {
  const value = object[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== kind) {
    throw ErrBadRequestBody.with(`json: cannot unmarshal ${jsonType(value)} into Go struct field ${where.split('.').pop()}.${name} of type ${GO_TYPES[kind]}`);
  }
  return value as Of<K>;
}

/** The JSON type's name as Go's decoder says it. */
function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}
