import { load } from 'js-yaml';

/** The published realtime contract, parsed; rejects when the server does not answer it. */
export async function fetchContract() {
  const response = await fetch('/asyncapi.yaml');
  if (!response.ok) throw new Error(`/asyncapi.yaml answered ${response.status}`);
  return load(await response.text());
}

/** The object a local `$ref` (`#/components/...`) points to. */
export function resolve(document, node) {
  if (!node?.$ref) return node;
  return resolve(document, node.$ref.slice(2).split('/').reduce((target, part) => target?.[part], document));
}

/** A schema with every local reference replaced by its target, for showing it whole. */
export function inline(document, node, seen = new Set()) {
  if (Array.isArray(node)) return node.map((item) => inline(document, item, seen));
  if (!node || typeof node !== 'object') return node;
  if (node.$ref) {
    if (seen.has(node.$ref)) return { $ref: node.$ref };
    return inline(document, resolve(document, node), new Set([...seen, node.$ref]));
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, inline(document, value, seen)]));
}

/** One row per property: its name, its type as a short text, and whether it is required. */
export function fields(document, schema) {
  const resolved = inline(document, schema) ?? {};
  const required = new Set(resolved.required ?? []);
  return Object.entries(resolved.properties ?? {}).map(([name, property]) => ({
    name,
    type: typeText(property),
    required: required.has(name),
    description: property.description ?? ''
  }));
}

function typeText(schema) {
  if ('const' in schema) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  if (Array.isArray(schema.type)) return schema.type.join(' | ');
  if (schema.type === 'array' && schema.items?.type) return `${schema.items.type}[]`;
  return schema.type ?? 'object';
}

/** An event's data schema apart from the envelope every event shares; any other message's whole payload. */
export function messagePayload(document, message) {
  const payload = message.payload ?? {};
  const [envelope, own] = payload.allOf ?? [];
  if (envelope?.$ref === '#/components/schemas/EventEnvelope') {
    return { envelope: true, schema: own.properties.data };
  }
  return { envelope: false, schema: payload };
}

const schemeName = (reference) => reference.$ref.split('/').pop();

/** What the reference page shows: servers, security, channels with their operations and messages, error codes. */
export function contractView(document) {
  const operations = Object.entries(document.operations ?? {});
  const channels = Object.entries(document.channels ?? {}).filter(([, channel]) => channel.address !== null)
    .map(([id, channel]) => ({
      id,
      address: channel.address,
      description: channel.description ?? '',
      parameters: Object.entries(channel.parameters ?? {}).map(([name, parameter]) => ({ name, description: parameter.description })),
      operations: operations.filter(([, operation]) => operation.channel.$ref === `#/channels/${id}`)
        .map(([operationId, operation]) => ({
          id: operationId,
          action: operation.action,
          description: operation.description ?? '',
          security: (operation.security ?? []).map(schemeName),
          scope: operation['x-api-key-scope'] ?? null,
          errorCodes: operation['x-error-codes'] ?? [],
          reply: (operation.reply?.messages ?? []).map((reference) => resolve(document, reference).name)
        })),
      messages: Object.entries(channel.messages ?? {}).map(([messageId, reference]) => {
        const message = resolve(document, reference);
        return {
          id: messageId,
          name: message.name,
          summary: message.summary ?? '',
          ...messagePayload(document, message),
          example: message.examples?.[0]?.payload
        };
      })
    }));
  const schemes = document.components?.securitySchemes ?? {};
  return {
    title: document.info.title,
    version: document.info.version,
    sections: introSections(document.info.description ?? ''),
    servers: Object.entries(document.servers ?? {}).map(([id, server]) => ({
      id,
      title: server.title ?? id,
      url: `${server.protocol}://${server.host}${server.pathname ?? ''}`,
      description: server.description ?? '',
      security: (server.security ?? []).map(schemeName)
    })),
    security: Object.entries(schemes).map(([id, scheme]) => ({
      id,
      how: scheme.in === 'cookie' ? `Cookie ${scheme.name}` : `Authorization: Bearer ${scheme.bearerFormat}`,
      description: scheme.description ?? ''
    })),
    envelope: document.components?.schemas?.EventEnvelope,
    channels,
    errorCodes: (document.components?.schemas?.ErrorCode?.oneOf ?? [])
      .map((code) => ({ code: code.const, name: code.title, meaning: code.description }))
  };
}

/** The description's paragraphs, each with its bold lead-in (`**Replay.** ...`) as a heading. */
function introSections(markdown) {
  return markdown.trim().split(/\n\s*\n/).map((paragraph) => {
    const lead = /^\*\*(.+?)\*\*\s*([\s\S]*)$/.exec(paragraph);
    return lead ? { heading: lead[1], text: lead[2].replace(/\s+/g, ' ') } : { heading: '', text: paragraph.replace(/\s+/g, ' ') };
  });
}
