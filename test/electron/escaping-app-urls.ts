/** `app://` requests that try to read outside the renderer bundle, or from another origin. */
export const escapingAppUrls = [
  'app://spool/../secret.txt',
  'app://spool/%2e%2e/secret.txt',
  'app://spool/assets/%2E%2E%2F%2E%2E%2Fsecret.txt',
  'app://spool/..%5csecret.txt',
  'app://spool/%00index.html',
  'app://spool/%E0%A4%A',
  'app://other/index.html',
  'file:///etc/passwd',
]
