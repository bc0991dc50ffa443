/**
 * Errors are data: every failure a client can cause has a stable `code`, and one table maps
 * codes to HTTP statuses. Handlers throw DomainError; the error middleware renders
 * `{ error: { code, message, details? } }` and never leaks internals for 5xx.
 */
export const errorStatus = {
  invalid_json: 400,
  invalid_request: 400,
  invalid_date_range: 400,
  invalid_idempotency_key: 400,
  unauthorized: 401,
  unknown_user: 401,
  export_link_invalid: 401,
  forbidden: 403,
  not_found: 404,
  route_not_found: 404,
  tenant_not_found: 404,
  booking_not_found: 404,
  service_not_found: 404,
  provider_not_found: 404,
  block_not_found: 404,
  user_not_found: 404,
  feed_not_found: 404,
  customer_not_found: 404,
  merge_not_found: 404,
  task_not_found: 404,
  preferences_not_found: 404,
  /** A waitlist entry that is gone (left, claimed, over, erased), or a token that is not its own. */
  waitlist_entry_not_found: 404,
  method_not_allowed: 405,
  slot_taken: 409,
  concurrent_modification: 409,
  customer_merged: 409,
  later_merge_exists: 409,
  idempotency_in_progress: 409,
  booking_cancelled: 409,
  blocked_by_bookings: 409,
  id_taken: 409,
  export_link_expired: 410,
  /** A waitlist offer link whose slot has begun, or whose offer was used. */
  offer_expired: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unknown_service: 422,
  unknown_provider: 422,
  provider_not_offering_service: 422,
  slot_unavailable: 422,
  change_cutoff_passed: 422,
  attendance_too_early: 422,
  idempotency_key_reused: 422,
  invalid_tenant_config: 422,
  data_export_already_requested: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
