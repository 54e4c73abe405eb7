/** Limits every host enforces before a command reaches the engine; plain data, so a window can read them too. */
export const limits = {
  specsPerSubmit: 10_000,
  labelLength: 200,
  inputBytes: 1_000_000,
  /**
   * A job's result, as JSON: kept with the job and sent to every window. The outputs of 10,000 images take
   * about 1.3 MB; a job with more to say writes it to a file.
   */
  resultBytes: 8_000_000,
  idsPerCommand: 100_000,
  listPage: 5_000,
  textQuery: 200,
  maxConcurrency: 64,
  priority: 1_000_000,
  maxAttempts: 100,
  /** Entries the web host lists of one folder in its file browser. */
  browseEntries: 5_000,
} as const
