import { describe, expect, it } from 'vitest';
import { redact } from '../../../extension/core/util/redact';

describe('redact', () => {
  it('removes Anthropic keys but keeps a recognisable head', () => {
    const out = redact('key=sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789 done');
    expect(out).not.toContain('AbCdEfGhIjKlMnOp');
    expect(out).toContain('sk-ant-api0…[redacted]');
    expect(out).toContain('done');
  });
  it('removes x-api-key and authorization header values', () => {
    expect(redact('{"x-api-key": "secret-value-123"}')).not.toContain('secret-value-123');
    expect(redact('Authorization: Bearer-abcdef')).not.toContain('Bearer-abcdef');
  });
  it('leaves ordinary text alone', () => {
    expect(redact('nothing secret here: sk-ant')).toBe('nothing secret here: sk-ant');
  });
});
