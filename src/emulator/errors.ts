// Errors the emulator answers with. A handler (or OrgState) throws ApiError; the router turns it into the
// REST body `[{"message","errorCode","fields"?}]` with the given HTTP status (salesforce-api.md §12).

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: string[],
  ) {
    super(message);
  }
  body(): unknown[] {
    return [{ message: this.message, errorCode: this.errorCode, ...(this.fields ? { fields: this.fields } : {}) }];
  }
}

/** A per-record failure (SaveResult error): `statusCode` rather than `errorCode` on the wire. */
export class RecordError extends Error {
  constructor(
    readonly statusCode: string,
    message: string,
    readonly fields: string[] = [],
    /** HTTP status when this error is the answer to a single-record call. */
    readonly status = 400,
  ) {
    super(message);
  }
  toJSON(): { statusCode: string; message: string; fields: string[] } {
    return { statusCode: this.statusCode, message: this.message, fields: this.fields };
  }
}

export const notFound = (): ApiError => new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
export const invalidSession = (): ApiError => new ApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
