/**
 * The photos a stored selfie search matched, for Download Originals with `method: "selfie"`.
 * Implemented by the face-search area (`FaceService`); when the app has none (`deps.selfieResults` undefined),
 * every selfie request_id is unknown (404). Checkout gets the same object through its constructor.
 */
export interface SelfieResults {
  /** Matched image ids of the search, best first; null when `requestId` is unknown for this event. */
  imageIds(eventId: number, requestId: string): Promise<string[] | null>;
}
