/** Why a portrait was refused; `message` is written for the artist, `code` for the UI and tests. */
export type PreprocessErrorCode = 'not-an-image' | 'corrupt' | 'too-small' | 'too-large' | 'empty-foreground';

export class PreprocessError extends Error {
  readonly code: PreprocessErrorCode;
  constructor(code: PreprocessErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PreprocessError';
    this.code = code;
  }
}
