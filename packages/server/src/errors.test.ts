import { describe, expect, it } from 'vitest';
import { type ValidationError, pointerToField, validationError } from './errors.js';

const err = (
  keyword: string,
  instancePath: string,
  params: Record<string, unknown> = {},
  message?: string,
): ValidationError => ({
  keyword,
  instancePath,
  params,
  message,
});

describe('pointerToField', () => {
  it('turns JSON pointers into field paths', () => {
    expect(pointerToField('')).toBe('');
    expect(pointerToField('/flows/0/port')).toBe('flows[0].port');
    expect(pointerToField('/options/domainIps/a~1b~0c')).toBe('options.domainIps.a/b~c');
    expect(pointerToField('/manifests/12')).toBe('manifests[12]');
  });
});

describe('validationError', () => {
  it('names missing and unknown fields', () => {
    expect(validationError([err('required', '/flows/1', { missingProperty: 'port' })]).body).toEqual({
      code: 'INVALID_BODY',
      message: 'flows[1].port: is required',
      field: 'flows[1].port',
    });
    expect(validationError([err('additionalProperties', '', { additionalProperty: 'x' })]).body.field).toBe('x');
  });

  it('prefers the deepest branch of an alternative and merges type errors', () => {
    const e = validationError([
      err('type', '/manifests', { type: 'string' }),
      err('type', '/manifests/3', { type: 'object' }),
      err('anyOf', '/manifests'),
    ]);
    expect(e.body).toMatchObject({ field: 'manifests[3]', message: 'manifests[3]: must be object' });
    const merged = validationError([
      err('type', '/flows/0/port', { type: 'integer' }),
      err('type', '/flows/0/port', { type: 'string' }),
      err('anyOf', '/flows/0/port'),
    ]);
    expect(merged.body.message).toBe('flows[0].port: must be integer or string');
    expect(merged.statusCode).toBe(400);
  });

  it('lists enum values and falls back to ajv messages', () => {
    expect(validationError([err('enum', '/flows/0/protocol', { allowedValues: ['TCP', 'UDP'] })]).body.message).toBe(
      'flows[0].protocol: must be one of "TCP", "UDP"',
    );
    expect(validationError([err('maximum', '/flows/0/port', {}, 'must be <= 65535')]).body.message).toBe(
      'flows[0].port: must be <= 65535',
    );
    expect(validationError([err('type', '', { type: 'object' })]).body).toEqual({
      code: 'INVALID_BODY',
      message: 'request body: must be object',
    });
  });
});
