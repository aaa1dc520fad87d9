/** The step of the protocol an error or a call belongs to. */
export type AuthOperation =
  | 'authorize'
  | 'callback'
  | 'exchange'
  | 'refresh'
  | 'revoke'
  | 'userinfo'
  | 'discovery'
  | 'id_token'
  | 'api'
  | 'logout'
  | 'session'
  | 'store'
  | 'config';
