import { z } from 'zod'

/**
 * What only the web host can do, beside the shared commands, over the same socket. The browser has no file
 * dialog that yields paths, so the host lets it browse the folders it was started with (`--root`). The page
 * sends these by name; only the host validates them, so the page never loads the schemas.
 */
export const browseParams = z.strictObject({ path: z.string().min(1).max(4096).optional() })

export const webCommands = {
  browse: { params: browseParams },
} as const

export type WebCommandName = keyof typeof webCommands
