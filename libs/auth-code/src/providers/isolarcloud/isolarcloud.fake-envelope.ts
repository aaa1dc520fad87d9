import { randomBytes } from 'node:crypto';
import type { FakeResponse } from '../../testing/server/fake-server';

/** `result_msg` of each `result_code` the fake answers with. */
export const RESULT_MSG: Record<string, string> = {
  '1': 'success',
  '2': 'Invalid authorization code',
  '3': 'Unauthorized access',
  '4': 'Invalid client',
  '5': 'Redirect URI mismatch.',
  '6': 'The grant type is not supported',
  E00003: 'er_token_login_invalid',
};

/**
 * The iSolarCloud envelope of seed 2.1/2.2, field for field: HTTP 200, `req_serial_num` (date and
 * 24 hex digits), `result_code` as a string, `result_msg`, `result_data`.
 */
export function envelope(
  resultCode: string,
  data: unknown,
  message = RESULT_MSG[resultCode],
): FakeResponse {
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  const body = {
    req_serial_num: day + randomBytes(12).toString('hex'),
    result_code: resultCode,
    result_msg: message ?? `Error ${resultCode}`,
    result_data: data,
  };
  return { status: 200, body };
}

/** An error envelope: `result_data: null`; code 5 also carries the RFC-style fields. */
export function envelopeError(resultCode: string, message?: string): FakeResponse {
  const answer = envelope(resultCode, null, message);
  if (resultCode === '5') {
    const rfc = { error: 'invalid_grant', error_description: RESULT_MSG['5'] };
    Object.assign(answer.body as object, rfc);
  }
  return answer;
}

/** A bare HTML page, as the login app answers bad parameters. */
export function htmlPage(status: number, text: string): FakeResponse {
  return { status, body: `<!doctype html><html><body><h1>${text}</h1></body></html>` };
}
