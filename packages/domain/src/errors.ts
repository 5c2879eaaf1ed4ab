/**
 * An impossible sequence or value in the rules (e.g. `verkstalld` when nothing is waiting).
 * The message is Swedish: it is shown to the user who tried to log the event.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    message: string,
    /** What the error concerns, e.g. the id of the offending event. */
    readonly subject?: string,
  ) {
    super(message);
  }
}
