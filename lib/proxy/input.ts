import { ErrBadRequestBody, ErrMissingField } from './errors.ts';
import { errorMessage } from '../errors.ts';
import type { ToxicKind } from './toxics/index.ts';

// Decoding of the API's request bodies: the edge where JSON becomes typed fields. Messages
// follow Toxiproxy's (Go's encoding/json) so clients that match on them keep working.
//
// Deliberate deviation from Toxiproxy 2.4.0 (README, "Where it deliberately differs", 1): it
// stores any integer as an attribute (a latency of -5 is answered 200) and any toxicity. Here
// an attribute must be a non-negative integer and `toxicity` a number from 0 to 1; anything
// else is answered 400 "bad request body: ...".

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

/** What Go's decoder decodes a body into, as its messages name it: the value's type, and the struct in field errors. */
interface GoTarget {
  type: string;
  struct: string;
}

const PROXY: GoTarget = { type: 'toxiproxy.Proxy', struct: 'Proxy' };
const POPULATE_ITEM: GoTarget = { type: 'struct { toxiproxy.Proxy; Enabled *bool "json:\\"enabled\\"" }', struct: '' };
const TOXIC: GoTarget = { type: 'toxics.ToxicWrapper', struct: 'ToxicWrapper' };
const TOXIC_UPDATE: GoTarget = { type: 'struct { Attributes interface {} "json:\\"attributes\\""; Toxicity float32 "json:\\"toxicity\\"" }', struct: '' };

export function decodeProxyFields(body: unknown, target = PROXY): ProxyFields {
  const object = expectObject(body, target);
  return {
    name: field(object, 'name', 'string', target),
    listen: field(object, 'listen', 'string', target),
    upstream: field(object, 'upstream', 'string', target),
    enabled: field(object, 'enabled', 'boolean', target),
  };
}

/** A create body must name the proxy and its upstream (`suffix`: " at proxy N" in populate). */
export function requireProxyFields(fields: ProxyFields, suffix = ''): Required<Pick<ProxyFields, 'name' | 'upstream'>> & ProxyFields {
  if (!fields.name) throw ErrMissingField.with(`name${suffix}`);
  if (!fields.upstream) throw ErrMissingField.with(`upstream${suffix}`);
  return { ...fields, name: fields.name, upstream: fields.upstream };
}

/** A populate body: a list of proxies (`null` is an empty one, as in Go). */
export function decodePopulate(body: unknown): ProxyFields[] {
  if (body === null) return [];
  if (!Array.isArray(body)) throw ErrBadRequestBody.with(`json: cannot unmarshal ${jsonType(body)} into Go value of type []${POPULATE_ITEM.type}`);
  return body.map((item) => decodeProxyFields(item, POPULATE_ITEM));
}

/** A toxic create body; `attributes` is checked against the toxic's type once that is known. */
export function decodeToxicFields(body: unknown): ToxicFields {
  const object = expectObject(body, TOXIC);
  return {
    name: field(object, 'name', 'string', TOXIC),
    type: field(object, 'type', 'string', TOXIC),
    stream: field(object, 'stream', 'string', TOXIC),
    toxicity: toxicityOf(object, TOXIC),
    // Toxiproxy first reads the attributes into a placeholder toxic, whence its type's name.
    attributes: attributesOf(object, TOXIC, 'toxics.NoopToxic'),
  };
}

/** A toxic update body: only `attributes` and `toxicity` are read (Toxiproxy ignores the rest). */
export function decodeToxicUpdate(body: unknown, kind: ToxicKind): Pick<ToxicFields, 'toxicity' | 'attributes'> {
  const object = expectObject(body, TOXIC_UPDATE);
  return { toxicity: toxicityOf(object, TOXIC_UPDATE), attributes: attributesOf(object, TOXIC_UPDATE, `toxics.${kind.goType.struct}`) };
}

/**
 * A toxic's attributes: the given values over `base` (the current ones on an update; 0 for
 * each attribute on a create), in the toxic's attribute order. Unknown names are ignored,
 * as Toxiproxy ignores them.
 */
export function decodeAttributes(kind: ToxicKind, given: Record<string, unknown> | undefined, base: Record<string, number> | undefined): Record<string, number> {
  const result: Record<string, number> = {};
  const { struct, int } = kind.goType;
  for (const name of kind.attributes) {
    const value = given && lookup(given, name);
    if (value === undefined || value === null) {
      result[name] = base?.[name] ?? 0;
      continue;
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      const shown = typeof value === 'number' ? `number ${value}` : jsonType(value);
      throw ErrBadRequestBody.with(`json: cannot unmarshal ${shown} into Go struct field ${struct}.attributes.${name} of type ${int}`);
    }
    if (value < 0) throw ErrBadRequestBody.with(`attribute ${name} must not be negative, got ${value}`);
    result[name] = value;
  }
  return result;
}

/** The body as an object; `null` is an empty one (Go leaves the value as it was). */
function expectObject(body: unknown, target: GoTarget): Record<string, unknown> {
  if (body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw ErrBadRequestBody.with(`json: cannot unmarshal ${jsonType(body)} into Go value of type ${target.type}`);
  }
  return body as Record<string, unknown>;
}

function toxicityOf(object: Record<string, unknown>, target: GoTarget): number | undefined {
  const toxicity = field(object, 'toxicity', 'number', target);
  if (toxicity !== undefined && !(toxicity >= 0 && toxicity <= 1)) {
    throw ErrBadRequestBody.with(`toxicity must be a number from 0 to 1, got ${toxicity}`);
  }
  return toxicity;
}

/** `attributes` when it is an object; `goType` names the value Toxiproxy would read them into. */
function attributesOf(object: Record<string, unknown>, target: GoTarget, goType: string): Record<string, unknown> | undefined {
  const attributes = lookup(object, 'attributes');
  if (attributes === undefined || attributes === null) return undefined;
  if (typeof attributes !== 'object' || Array.isArray(attributes)) {
    throw ErrBadRequestBody.with(`json: cannot unmarshal ${jsonType(attributes)} into Go struct field ${target.struct}.attributes of type ${goType}`);
  }
  return attributes as Record<string, unknown>;
}

const GO_TYPES = { string: 'string', boolean: 'bool', number: 'float32' } as const;
type Kind = keyof typeof GO_TYPES;
type Of<K extends Kind> = K extends 'string' ? string : K extends 'boolean' ? boolean : number;

/** A field of the expected JSON type; null counts as absent (Go leaves the field unchanged). */
function field<K extends Kind>(object: Record<string, unknown>, name: string, kind: K, target: GoTarget): Of<K> | undefined {
  const value = lookup(object, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== kind) {
    throw ErrBadRequestBody.with(`json: cannot unmarshal ${jsonType(value)} into Go struct field ${target.struct}.${name} of type ${GO_TYPES[kind]}`);
  }
  return value as Of<K>;
}

/** A key's value as Go's decoder finds it: in any case (`Name`, `NAME`), the last one given winning. */
function lookup(object: Record<string, unknown>, name: string): unknown {
  let value: unknown;
  for (const key of Object.keys(object)) if (key.toLowerCase() === name) value = object[key];
  return value;
}

/** The JSON type's name as Go's decoder says it. */
function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}
