import { readFileSync } from 'node:fs';
import { Parser, DiagnosticSeverity } from '@asyncapi/parser';
import { describe, expect, it } from 'vitest';

// The official AsyncAPI parser: the JSON Schema of AsyncAPI 3.0.0 plus its rule set (references resolve, operation
// messages belong to their channels, examples match their payloads, ...).
const document = readFileSync(new URL('../../../openapi/asyncapi.yaml', import.meta.url), 'utf8');

describe('openapi/asyncapi.yaml', () => {
  it('is a valid AsyncAPI 3.0.0 document', async () => {
    const { document: parsed, diagnostics } = await new Parser().parse(document);
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error)
      .map((diagnostic) => `${diagnostic.path.join('/')}: ${diagnostic.message}`);
    expect(errors).toEqual([]);
    expect(parsed.version()).toBe('3.0.0');
    expect(parsed.channels().all().map((channel) => channel.address())).toContain('codelab.public.{codelabId}');
  }, 60_000);
});

describe('the reference page model', () => {
  it('lists each channel with its operations, and an event message by its data apart from the envelope', async () => {
    const { load } = await import('js-yaml');
    const { contractView, fields } = await import('../../src/docs/asyncapi.js');
    const contract = load(document);
    const view = contractView(contract);
    expect(view.channels.every((channel) => channel.operations.length === 1 && channel.messages.length > 0)).toBe(true);
    const publicEvents = view.channels.find((channel) => channel.address === 'codelab.public.{codelabId}');
    expect(publicEvents.parameters.map((parameter) => parameter.name)).toEqual(['codelabId']);
    expect(publicEvents.operations[0]).toMatchObject({ action: 'receive', scope: 'events:read' });
    const chat = publicEvents.messages.find((message) => message.name === 'chat.posted');
    expect(chat.envelope).toBe(true);
    expect(fields(contract, chat.schema)).toEqual([{ name: 'message', type: 'object', required: true, description: '' }]);
    const claim = view.channels.find((channel) => channel.address === 'codelab.help.claim');
    expect(claim.operations[0].reply).toEqual(['claimHelpReply', 'err']);
    expect(fields(contract, claim.messages[0].schema).map((field) => field.name)).toEqual(['codelabId', 'helpId']);
    expect(view.errorCodes.find((code) => code.code === 423).name).toBe('STEP_HELD');
  });
});
