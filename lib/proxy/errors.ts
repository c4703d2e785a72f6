import { errorMessage } from '../errors.ts';

// The API's errors, with Toxiproxy's messages and status codes (answered as
// `{"error": message, "status": code}`).

export class ApiError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = 'ApiError';
  }

  /** This error with `detail` appended, as Toxiproxy joins a cause to its message. */
  with(detail: string): ApiError {
    return new ApiError(`${this.message}: ${detail}`, this.status);
  }

  toJSON(): { error: string; status: number } {
    return { error: this.message, status: this.status };
  }
}

export const ErrBadRequestBody = new ApiError('bad request body', 400);
export const ErrMissingField = new ApiError('missing required field', 400);
export const ErrProxyNotFound = new ApiError('proxy not found', 404);
export const ErrProxyAlreadyExists = new ApiError('proxy already exists', 409);
export const ErrInvalidStream = new ApiError('stream was invalid, can be either upstream or downstream', 400);
export const ErrInvalidToxicType = new ApiError('invalid toxic type', 400);
export const ErrToxicAlreadyExists = new ApiError('toxic already exists', 409);
export const ErrToxicNotFound = new ApiError('toxic not found', 404);

/** Any other failure (a listen error, say) is answered 500 with its message, as Toxiproxy does. */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(errorMessage(error), 500);
}
