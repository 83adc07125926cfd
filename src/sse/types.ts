/** One Server-Sent Event as framed by eventsource-parser. */
export interface SseEvent {
  /** The `event:` name, undefined when the server sent none. */
  readonly event: string | undefined;
  readonly data: string;
  readonly id: string | undefined;
}
