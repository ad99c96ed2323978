/** Why a .Z stream could not be decoded. */
export class LzwError extends Error {
  constructor(message: string) {
    super(`invalid .Z (compress) data: ${message}`);
    this.name = 'LzwError';
  }
}
