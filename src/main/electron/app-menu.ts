import type { MenuItemConstructorOptions } from 'electron'

/**
 * The application menu: "Add Files…" picks files and opens a new job with them (as "Open with Spool" does),
 * "New Window" opens another window on the same queue; the rest are standard roles.
 */
export function appMenuTemplate(options: {
  isMac: boolean
  addFiles(): void
  openWindow(): void
}): MenuItemConstructorOptions[] {
  return [
    ...(options.isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Add Files…', accelerator: 'CmdOrCtrl+O', click: () => options.addFiles() },
        { label: 'New Window', accelerator: 'CmdOrCtrl+N', click: () => options.openWindow() },
        { type: 'separator' },
        options.isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
    { role: 'windowMenu' },
  ]
}
